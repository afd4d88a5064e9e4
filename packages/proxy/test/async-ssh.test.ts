/**
 * Async SSH (manual §4.6) against a real OpenSSH server: the script runs detached, its output is
 * read from files on the host. Separate streams and the exit code as for an attached run; the
 * working dir removed; sudo with a password (never in the output); timeout and cancel kill the
 * script's processes, also as another user; a proxy stopped while scripts run leaves them running
 * and a new proxy on the same data dir reads every line on, exactly once; a connection killed
 * under a running script is replaced without a trace in its output.
 */
import { readdirSync, rmSync } from 'node:fs';

import type { LaunchTask } from '@remex/common';
import { OTHER_USER, startSshFleet, type SshFleet, TEST_USER, type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CANCEL_MESSAGE, loadProxyConfig, type ProxyConfig, type RunningProxy, startProxy, TIMEOUT_MESSAGE } from '../src/index.ts';
import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { cancel, exitOf, launch, makeTask, TEST_TOKEN, textOf } from './helpers/proxy-harness.ts';
import { liveProcesses, sshdConnectionsTo, socketHolders } from './helpers/sshd-connections.ts';

let fleet: SshFleet;
let server: FakeCallbackServer;
const proxies: RunningProxy[] = [];
const dirs: TempDir[] = [];
let nextId = 7000;

async function startTestProxy(dataDir: string, overrides: Partial<ProxyConfig> = {}): Promise<RunningProxy> {
  const proxy = await startProxy(
    loadProxyConfig({
      env: {},
      overrides: {
        token: TEST_TOKEN,
        serverUrl: server.url,
        dataDir,
        listenPort: 0,
        plainHttp: true,
        logLevel: 'silent',
        asyncSsh: true,
        runnerRefreshInterval: 0.2,
        ...overrides,
      },
    }),
  );
  proxies.push(proxy);
  await fleet.authorize(proxy.publicKey);
  return proxy;
}

async function dataDir(): Promise<string> {
  const dir = await tempDir('remex-proxy-async-');
  dirs.push(dir);
  return dir.path;
}

function task(host: number, script: string, extra: Partial<LaunchTask> = {}): LaunchTask {
  const h = fleet.hosts[host]!;
  return makeTask({ task_id: nextId++, address: h.address, host_name: h.name, port: fleet.port, script, ...extra });
}

/** Working dirs of `task` left in /var/tmp. */
function leftDirs(t: LaunchTask): string[] {
  return readdirSync('/var/tmp').filter((name) => name.startsWith(`remex-${t.task_id}-`));
}

/** Removes working dirs of `task` (kept by a test, or left by an earlier run with the same ids). */
function removeDirs(t: LaunchTask): void {
  for (const name of leftDirs(t)) rmSync(`/var/tmp/${name}`, { recursive: true, force: true });
}

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: 11, namePrefix: 'async' });
  server = await startFakeCallbackServer(TEST_TOKEN);
});

afterAll(async () => {
  for (const p of proxies) await p.stop();
  await server?.close();
  await fleet?.stop();
  for (const dir of dirs) await dir.cleanup();
});

describe('async SSH', () => {
  it('runs a script detached: separate streams, exit code, UTF-8 intact, working dir removed', async () => {
    const proxy = await startTestProxy(await dataDir());
    // 3 MiB of output: more than one read (1 MiB per stream), with multi-byte characters across reads.
    const big = task(0, `#!/bin/sh\ni=0; while [ $i -lt 100000 ]; do echo "ünïcødé-$i-x"; i=$((i+1)); done\necho to-stderr >&2\nexit 3\n`);
    const small = task(1, 'echo hello; echo oops >&2; exit 0', { cleanup_working_dirs: false });
    removeDirs(small);
    await launch(proxy.url, [big, small]);
    await server.waitFor(() => server.finished(big.task_id) && server.finished(small.task_id), 60_000, 'the detached tasks');
    const events = server.events(big.task_id);
    let expected = '';
    for (let i = 0; i < 100_000; i++) expected += `ünïcødé-${i}-x\n`;
    expect(textOf(events, 'stdout')).toBe(expected);
    expect(textOf(events, 'stderr')).toBe('to-stderr\n');
    expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
    expect(exitOf(events)).toBe('3');
    expect(leftDirs(big)).toEqual([]);
    const other = server.events(small.task_id);
    expect([textOf(other, 'stdout'), textOf(other, 'stderr'), exitOf(other)]).toEqual(['hello\n', 'oops\n', '0']);
    expect(leftDirs(small)).toHaveLength(1);
    removeDirs(small);
  });

  it('runs as the effective user through sudo with a password that never shows', async () => {
    const proxy = await startTestProxy(await dataDir());
    const t = task(2, '#!/bin/sh\nid -un\nps -eo args | grep -c -- "remex-other-p[w]" || true\n', {
      ssh_user: OTHER_USER.name,
      effective_user: TEST_USER.name,
      secrets: { ssh_password: OTHER_USER.password, effective_user_password: OTHER_USER.password },
    });
    await launch(proxy.url, [t]);
    await server.waitFor(() => server.finished(t.task_id), 30_000, 'the sudo task');
    const events = server.events(t.task_id);
    expect(textOf(events, 'stdout')).toBe(`${TEST_USER.name}\n0\n`);
    expect(exitOf(events)).toBe('0');
    for (const e of events) expect(e.data).not.toContain(OTHER_USER.password);
  });

  it('kills the script on timeout and on cancel, also as another user', async () => {
    const proxy = await startTestProxy(await dataDir());
    const marker = `${700 + (process.pid % 200)}.3`;
    const timed = ['remex-test', 'remex-other'].map((user, i) =>
      task(3 + i, `echo before; sleep ${marker}; echo after`, { effective_user: user, execution_timeout_interval: 2 }),
    );
    const cancelled = task(5, `echo go; sleep ${marker}; echo after`);
    await launch(proxy.url, [...timed, cancelled]);
    await server.waitFor(() => textOf(server.events(cancelled.task_id), 'stdout') === 'go\n', 30_000, 'the task to start');
    expect(await cancel(proxy.url, cancelled.task_id)).toEqual({ cancelled: true });
    await server.waitFor(() => [...timed, cancelled].every((t) => server.finished(t.task_id)), 60_000, 'the killed tasks');
    for (const t of timed) {
      const events = server.events(t.task_id);
      expect(textOf(events, 'stdout')).toBe('before\n');
      expect(events.filter((e) => e.type === 'debug').map((e) => e.data)).toEqual([`${TIMEOUT_MESSAGE}\n`]);
      expect(exitOf(events)).toBe('143');
    }
    const events = server.events(cancelled.task_id);
    expect(textOf(events, 'stdout')).toBe('go\n');
    expect(events.filter((e) => e.type === 'debug').map((e) => e.data)).toEqual([`${CANCEL_MESSAGE}\n`]);
    expect(exitOf(events)).toBe('143');
    expect(liveProcesses(`sleep ${marker}`)).toEqual([]);
  });

  it('leaves scripts running when the proxy stops; the next proxy on the same data dir reads on, every line once', async () => {
    const dir = await dataDir();
    const first = await startTestProxy(dir);
    const tasks = [6, 7].map((host) => task(host, 'i=1; while [ $i -le 12 ]; do echo "line $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.25; done; exit 5'));
    await launch(first.url, tasks);
    await server.waitFor(() => tasks.every((t) => textOf(server.events(t.task_id), 'stdout').includes('line 3\n')), 30_000, 'some output');
    await first.stop();
    expect(tasks.some((t) => server.finished(t.task_id))).toBe(false);
    // The scripts went on without a proxy.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await startTestProxy(dir);
    await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 30_000, 'the resumed tasks');
    for (const t of tasks) {
      const events = server.events(t.task_id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(textOf(events, 'stdout')).toBe(Array.from({ length: 12 }, (_, i) => `line ${i + 1}\n`).join(''));
      expect(textOf(events, 'stderr')).toBe(Array.from({ length: 12 }, (_, i) => `err ${i + 1}\n`).join(''));
      expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
      expect(exitOf(events)).toBe('5');
      expect(leftDirs(t)).toEqual([]);
    }
    await second.stop();
  });

  it('replaces a connection killed under a running script; the task ends as if nothing happened', async () => {
    const proxy = await startTestProxy(await dataDir());
    const t = task(8, 'i=1; while [ $i -le 10 ]; do echo "line $i"; i=$((i+1)); sleep 0.3; done');
    await launch(proxy.url, [t]);
    // Twice: the second time the session has used up its own one replacement.
    for (const line of [2, 5]) {
      await server.waitFor(() => textOf(server.events(t.task_id), 'stdout').includes(`line ${line}\n`), 30_000, 'some output');
      const connections = sshdConnectionsTo(fleet.port, fleet.hosts[8]!.address);
      expect(connections.length).toBeGreaterThan(0);
      for (const c of connections) for (const pid of socketHolders(c.inode)) process.kill(pid, 'SIGKILL');
    }
    await server.waitFor(() => server.finished(t.task_id), 30_000, 'the task');
    const events = server.events(t.task_id);
    expect(textOf(events, 'stdout')).toBe(Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join(''));
    expect(events.filter((e) => e.type === 'debug')).toEqual([]);
    expect(exitOf(events)).toBe('0');
  });

  it('works over the OpenSSH transport too', async () => {
    const proxy = await startTestProxy(await dataDir());
    const t = task(9, 'echo "over openssh"; echo err >&2; exit 4', { transport: 'openssh' });
    await launch(proxy.url, [t]);
    await server.waitFor(() => server.finished(t.task_id), 30_000, 'the openssh task');
    const events = server.events(t.task_id);
    expect([textOf(events, 'stdout'), textOf(events, 'stderr'), exitOf(events)]).toEqual(['over openssh\n', 'err\n', '4']);
  });

  it('applies the execution timeout to a task resumed after a restart', async () => {
    const dir = await dataDir();
    const first = await startTestProxy(dir);
    const marker = `${700 + (process.pid % 200)}.9`;
    const t = task(10, `echo before; sleep ${marker}; echo after`, { execution_timeout_interval: 3 });
    await launch(first.url, [t]);
    await server.waitFor(() => textOf(server.events(t.task_id), 'stdout') === 'before\n', 30_000, 'the task to start');
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const second = await startTestProxy(dir);
    // Without a timeout the resumed script would sleep for minutes.
    await server.waitFor(() => server.finished(t.task_id), 30_000, 'the timed-out task');
    const events = server.events(t.task_id);
    expect(textOf(events, 'stdout')).toBe('before\n');
    expect(events.filter((e) => e.type === 'debug').map((e) => e.data)).toEqual([`${TIMEOUT_MESSAGE}\n`]);
    expect(exitOf(events)).toBe('143');
    expect(liveProcesses(`sleep ${marker}`)).toEqual([]);
    await second.stop();
  });
});
