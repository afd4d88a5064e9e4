/**
 * Warm SSH connections (ADR 0014) against a real OpenSSH server, measured on the sshd's side
 * (its established TCP connections in /proc/net/tcp, the sshd processes holding them): reuse by
 * a later task, no sharing across users or credentials, the idle timeout, the cap, sshd's
 * MaxSessions, a connection killed under the pool, timeout and cancel over a warm connection,
 * and stop().
 */
import type { LaunchTask } from '@remex/common';
import { startSshFleet, type SshFleet, type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadProxyConfig, type ProxyConfig, type RunningProxy, startProxy } from '../src/index.ts';
import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { cancel, exitOf, launch, makeTask, TEST_TOKEN, textOf } from './helpers/proxy-harness.ts';
import { liveProcesses, sessionsPerConnection, sshdConnectionsTo, socketHolders } from './helpers/sshd-connections.ts';

let fleet: SshFleet;
/** A fleet whose sshd allows only 2 sessions per connection. */
let tight: SshFleet;
let server: FakeCallbackServer;
const proxies: RunningProxy[] = [];
const dirs: TempDir[] = [];
let nextId = 5000;

async function startTestProxy(overrides: Partial<ProxyConfig> = {}): Promise<RunningProxy> {
  const dir = await tempDir('remex-proxy-warm-');
  dirs.push(dir);
  const proxy = await startProxy(
    loadProxyConfig({
      env: {},
      overrides: { token: TEST_TOKEN, serverUrl: server.url, dataDir: dir.path, listenPort: 0, plainHttp: true, logLevel: 'silent', sshConnectTimeout: 10, ...overrides },
    }),
  );
  proxies.push(proxy);
  await fleet.authorize(proxy.publicKey);
  await tight.authorize(proxy.publicKey);
  return proxy;
}

/** Runs tasks and waits for all of them; returns their events. */
async function runAll(proxy: RunningProxy, tasks: LaunchTask[]): Promise<void> {
  await launch(proxy.url, tasks);
  await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 60_000, `tasks ${tasks.map((t) => t.task_id).join(',')}`);
}

function task(on: SshFleet, host: number, script: string, extra: Partial<LaunchTask> = {}): LaunchTask {
  const h = on.hosts[host]!;
  return makeTask({ task_id: nextId++, address: h.address, host_name: h.name, port: on.port, script, ...extra });
}

const peerPorts = (on: SshFleet, host: number): number[] => sshdConnectionsTo(on.port, on.hosts[host]!.address).map((c) => c.peerPort).sort();

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: 14, namePrefix: 'warm' });
  tight = await startSshFleet({ hosts: 2, namePrefix: 'tight', maxSessions: 2 });
  server = await startFakeCallbackServer(TEST_TOKEN);
});

afterAll(async () => {
  for (const p of proxies) await p.stop();
  await server?.close();
  await fleet?.stop();
  await tight?.stop();
  for (const dir of dirs) await dir.cleanup();
});

describe('warm SSH connections', () => {
  it('runs a later task to the same host over the same connection', async () => {
    const proxy = await startTestProxy();
    const first = task(fleet, 0, 'echo one');
    await runAll(proxy, [first]);
    const after1 = peerPorts(fleet, 0);
    expect(after1).toHaveLength(1);
    const second = task(fleet, 0, 'echo two; exit 4');
    await runAll(proxy, [second]);
    expect(textOf(server.events(second.task_id), 'stdout')).toBe('two\n');
    expect(exitOf(server.events(second.task_id))).toBe('4');
    // The same TCP connection (same client port) served both tasks.
    expect(peerPorts(fleet, 0)).toEqual(after1);
  });

  it('never shares a connection across SSH users, credentials or hosts', async () => {
    const proxy = await startTestProxy();
    const asTest = task(fleet, 1, 'id -un');
    const asOther = task(fleet, 1, 'id -un', { ssh_user: 'remex-other', effective_user: 'remex-other' });
    const withPassword = task(fleet, 1, 'id -un', { secrets: { ssh_password: fleet.user.password } });
    const otherHost = task(fleet, 2, 'id -un');
    for (const t of [asTest, asOther, withPassword, otherHost]) await runAll(proxy, [t]);
    expect([asTest, asOther, withPassword, otherHost].map((t) => textOf(server.events(t.task_id), 'stdout'))).toEqual([
      'remex-test\n',
      'remex-other\n',
      'remex-test\n',
      'remex-test\n',
    ]);
    expect(peerPorts(fleet, 1)).toHaveLength(3);
    expect(peerPorts(fleet, 2)).toHaveLength(1);
    // Each of them is reused by its own kind only.
    const before = peerPorts(fleet, 1);
    await runAll(proxy, [task(fleet, 1, 'true', { ssh_user: 'remex-other', effective_user: 'remex-other' })]);
    await runAll(proxy, [task(fleet, 1, 'true', { secrets: { ssh_password: fleet.user.password } })]);
    expect(peerPorts(fleet, 1)).toEqual(before);
  });

  it('closes a connection after the idle timeout, and keeps none with a timeout of 0', async () => {
    const short = await startTestProxy({ sshConnectionIdleTimeout: 1 });
    await runAll(short, [task(fleet, 3, 'true')]);
    await server.waitFor(() => peerPorts(fleet, 3).length === 0, 30_000, 'the idle connection to close');
    const none = await startTestProxy({ sshConnectionIdleTimeout: 0 });
    await runAll(none, [task(fleet, 4, 'true')]);
    await server.waitFor(() => peerPorts(fleet, 4).length === 0, 30_000, 'the connection to close at once');
  });

  it('keeps at most ssh_max_open_connections, closing the least recently used first', async () => {
    const capped = await startTestProxy({ sshMaxOpenConnections: 2 });
    for (const host of [5, 6, 7]) await runAll(capped, [task(fleet, host, 'true')]);
    await server.waitFor(() => peerPorts(fleet, 5).length === 0, 30_000, 'the oldest connection to close');
    expect(peerPorts(fleet, 6)).toHaveLength(1);
    expect(peerPorts(fleet, 7)).toHaveLength(1);
  });

  it("respects sshd's MaxSessions: more concurrent tasks than it allows on one connection all succeed", async () => {
    const proxy = await startTestProxy();
    await runAll(proxy, [task(tight, 0, 'true')]);
    expect(peerPorts(tight, 0)).toHaveLength(1);
    // All five lease the warm connection; sshd refuses the third channel, the proxy opens more.
    const tasks = [1, 2, 3, 4, 5].map((i) => task(tight, 0, `sleep 1; echo ${i}`));
    await runAll(proxy, tasks);
    expect(tasks.map((t) => [textOf(server.events(t.task_id), 'stdout'), exitOf(server.events(t.task_id))])).toEqual(
      [1, 2, 3, 4, 5].map((i) => [`${i}\n`, '0']),
    );
    expect(peerPorts(tight, 0).length).toBeGreaterThanOrEqual(3);
  });

  it('never runs more than ssh_max_sessions_per_connection sessions on one connection (counted on the sshd)', async () => {
    const proxy = await startTestProxy({ sshMaxSessionsPerConnection: 2 });
    await runAll(proxy, [task(fleet, 13, 'true')]);
    const tasks = [1, 2, 3, 4, 5, 6].map((i) => task(fleet, 13, `sleep 1.5; echo ${i}`));
    await launch(proxy.url, tasks);
    let most = 0;
    let sampled = 0;
    while (!tasks.every((t) => server.finished(t.task_id))) {
      const counts = sessionsPerConnection(fleet.port, fleet.hosts[13]!.address);
      most = Math.max(most, ...counts);
      if (counts.some((n) => n > 0)) sampled++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(sampled).toBeGreaterThan(0);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
    for (const t of tasks) expect(exitOf(server.events(t.task_id))).toBe('0');
    expect(peerPorts(fleet, 13).length).toBeGreaterThanOrEqual(3);
  });

  it('cancels tasks on a full connection (the kill needs one more channel than sshd allows)', async () => {
    const proxy = await startTestProxy({ sshMaxSessionsPerConnection: 2 });
    await runAll(proxy, [task(tight, 1, 'true')]);
    const marker = `${700 + (process.pid % 200)}.3`;
    const tasks = [task(tight, 1, `echo go; sleep ${marker}`), task(tight, 1, `echo go; sleep ${marker}`)];
    await launch(proxy.url, tasks);
    await server.waitFor(() => tasks.every((t) => textOf(server.events(t.task_id), 'stdout') === 'go\n'), 30_000, 'both tasks to start');
    for (const t of tasks) expect(await cancel(proxy.url, t.task_id)).toEqual({ cancelled: true });
    await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 30_000, 'the cancelled tasks');
    for (const t of tasks) expect(exitOf(server.events(t.task_id))).toBe('143');
    expect(liveProcesses(`sleep ${marker}`)).toEqual([]);
  });

  it('replaces a pooled connection whose sshd process was killed, and the task succeeds', async () => {
    const proxy = await startTestProxy();
    await runAll(proxy, [task(fleet, 8, 'true')]);
    const [warm] = sshdConnectionsTo(fleet.port, fleet.hosts[8]!.address);
    expect(warm).toBeDefined();
    const holders = socketHolders(warm!.inode);
    expect(holders.length).toBeGreaterThan(0);
    for (const pid of holders) process.kill(pid, 'SIGKILL');
    const next = task(fleet, 8, 'echo still here');
    await runAll(proxy, [next]);
    expect(server.events(next.task_id).filter((e) => e.type === 'debug')).toEqual([]);
    expect(textOf(server.events(next.task_id), 'stdout')).toBe('still here\n');
    expect(exitOf(server.events(next.task_id))).toBe('0');
    expect(peerPorts(fleet, 8)).not.toContain(warm!.peerPort);
  });

  it('replaces a pooled connection that stopped answering (its sshd frozen), and the task succeeds', async () => {
    const proxy = await startTestProxy({ sshConnectTimeout: 2 });
    await runAll(proxy, [task(fleet, 12, 'true')]);
    const [warm] = sshdConnectionsTo(fleet.port, fleet.hosts[12]!.address);
    const holders = socketHolders(warm!.inode);
    expect(holders.length).toBeGreaterThan(0);
    // Frozen, the connection looks open to the proxy, but its channel open is never answered.
    for (const pid of holders) process.kill(pid, 'SIGSTOP');
    try {
      const next = task(fleet, 12, 'echo replaced');
      await runAll(proxy, [next]);
      expect(server.events(next.task_id).filter((e) => e.type === 'debug')).toEqual([]);
      expect(textOf(server.events(next.task_id), 'stdout')).toBe('replaced\n');
      expect(exitOf(server.events(next.task_id))).toBe('0');
    } finally {
      for (const pid of holders) process.kill(pid, 'SIGKILL');
    }
  });

  it('times out and cancels tasks over a warm connection, which stays usable', async () => {
    const proxy = await startTestProxy();
    await runAll(proxy, [task(fleet, 9, 'true')]);
    const warm = peerPorts(fleet, 9);
    const marker = `${700 + (process.pid % 200)}.7`;
    const timedOut = task(fleet, 9, `echo before; sleep ${marker}`, { execution_timeout_interval: 1 });
    await runAll(proxy, [timedOut]);
    expect(exitOf(server.events(timedOut.task_id))).toBe('143');
    const cancelled = task(fleet, 9, `echo go; sleep ${marker}`);
    await launch(proxy.url, [cancelled]);
    await server.waitFor(() => textOf(server.events(cancelled.task_id), 'stdout') === 'go\n', 30_000, 'the task to start');
    expect(await cancel(proxy.url, cancelled.task_id)).toEqual({ cancelled: true });
    await server.waitFor(() => server.finished(cancelled.task_id), 30_000, 'the cancelled task');
    expect(exitOf(server.events(cancelled.task_id))).toBe('143');
    expect(liveProcesses(`sleep ${marker}`)).toEqual([]);
    const after = task(fleet, 9, 'echo fine');
    await runAll(proxy, [after]);
    expect(textOf(server.events(after.task_id), 'stdout')).toBe('fine\n');
    expect(peerPorts(fleet, 9)).toEqual(warm);
  });

  it('closes every warm connection on stop()', async () => {
    const proxy = await startTestProxy();
    await runAll(proxy, [task(fleet, 10, 'true'), task(fleet, 11, 'true')]);
    expect(peerPorts(fleet, 10).length + peerPorts(fleet, 11).length).toBe(2);
    await proxy.stop();
    proxies.splice(proxies.indexOf(proxy), 1);
    await server.waitFor(() => peerPorts(fleet, 10).length + peerPorts(fleet, 11).length === 0, 30_000, 'the connections to close');
  });
});
