/**
 * What only the OpenSSH transport does, against a real sshd (testkit fleet): the proxy's
 * `ssh_transport` and the task's `transport` choose it (seen as a ControlMaster `ssh` process on
 * the proxy's machine), a password reaches ssh only through the askpass pipe (never in a
 * process's command line or environment, never left on disk), tasks reuse the master (at most
 * half of ssh_max_sessions_per_connection tasks each; none kept with an idle timeout of 0), and both
 * transports share one trust-on-first-use decision per host.
 */
import { chmodSync, readdirSync, readFileSync } from 'node:fs';

import type { TransportName } from '@remex/common';
import { startSshFleet, type SshFleet, type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadProxyConfig, type RunningProxy, startProxy } from '../src/index.ts';
import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { exitOf, launch, makeTask, TEST_TOKEN, textOf } from './helpers/proxy-harness.ts';

let fleet: SshFleet;
let server: FakeCallbackServer;
const proxies: RunningProxy[] = [];
const dirs: TempDir[] = [];
let nextId = 5000;

async function startTestProxy(sshTransport: TransportName, idle = 60, maxOpen?: number): Promise<{ proxy: RunningProxy; dataDir: string }> {
  const dir = await tempDir('remex-proxy-');
  dirs.push(dir);
  const proxy = await startProxy(
    loadProxyConfig({
      env: {},
      overrides: { token: TEST_TOKEN, serverUrl: server.url, dataDir: dir.path, listenPort: 0, plainHttp: true, logLevel: 'silent', sshConnectTimeout: 10, sshTransport, sshConnectionIdleTimeout: idle, ...(maxOpen === undefined ? {} : { sshMaxOpenConnections: maxOpen }) },
    }),
  );
  proxies.push(proxy);
  return { proxy, dataDir: dir.path };
}

/**
 * `ssh` processes (pid, command line, environment) whose command line mentions `needle`. A
 * backgrounded master (ControlPersist) renames itself `ssh: <control path> [mux]`.
 */
function sshProcesses(needle: string): { pid: string; cmdline: string; environ: string }[] {
  const out: { pid: string; cmdline: string; environ: string }[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!/^ssh[: ]/.test(cmdline) || !cmdline.includes(needle)) continue;
      out.push({ pid, cmdline, environ: readFileSync(`/proc/${pid}/environ`, 'utf8') });
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/** The background master processes of the proxy with data dir `dataDir`. */
function masters(dataDir: string): { pid: string; cmdline: string; environ: string }[] {
  return sshProcesses(`ssh: ${dataDir}/openssh/`).filter((p) => p.cmdline.includes('[mux]'));
}

/** Every file under `dir`, recursively, with its content (sockets and pipes skipped). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    out.push(readFileSync(`${entry.parentPath}/${entry.name}`, 'utf8'));
  }
  return out;
}

async function run(proxy: RunningProxy, task: ReturnType<typeof makeTask>): Promise<ReturnType<FakeCallbackServer['events']>> {
  await launch(proxy.url, [task]);
  await server.waitFor(() => server.finished(task.task_id), 30_000, `task ${task.task_id}`);
  return server.events(task.task_id);
}

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: 4 });
  server = await startFakeCallbackServer(TEST_TOKEN);
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  await server?.close();
  await fleet?.stop();
  for (const dir of dirs) await dir.cleanup();
});

describe('OpenSSH transport', () => {
  it('is chosen by ssh_transport, and per task by its transport; tasks share one master', async () => {
    const viaConfig = await startTestProxy('openssh');
    const viaTask = await startTestProxy('ssh2');
    for (const p of [viaConfig, viaTask]) await fleet.authorize(p.proxy.publicKey);
    const host = fleet.hosts[0]!;
    const task = (transport?: TransportName) =>
      makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'echo hi', ...(transport ? { transport } : {}) });

    for (let i = 0; i < 2; i++) expect(exitOf(await run(viaConfig.proxy, task()))).toBe('0');
    // One master (ControlPersist keeps it after each task) served both tasks.
    expect(masters(viaConfig.dataDir)).toHaveLength(1);

    expect(exitOf(await run(viaTask.proxy, task()))).toBe('0');
    expect(sshProcesses(viaTask.dataDir)).toEqual([]);
    expect(exitOf(await run(viaTask.proxy, task('openssh')))).toBe('0');
    expect(masters(viaTask.dataDir)).toHaveLength(1);
    // …and a task may ask for ssh2 on an openssh proxy (no new master).
    expect(exitOf(await run(viaConfig.proxy, { ...task('ssh2'), address: fleet.hosts[1]!.address }))).toBe('0');
    expect(masters(viaConfig.dataDir)).toHaveLength(1);
    // stop() ends the masters (ssh -O exit).
    await viaConfig.proxy.stop();
    for (let i = 0; i < 100 && masters(viaConfig.dataDir).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(masters(viaConfig.dataDir)).toEqual([]);
  });

  it('answers the password prompt through the askpass pipe only', async () => {
    // This proxy's key is not authorized: only the password can log in.
    const { proxy, dataDir } = await startTestProxy('openssh');
    const host = fleet.hosts[2]!;
    const events = await run(proxy, makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'id -un', secrets: { ssh_password: fleet.user.password } }));
    expect(textOf(events, 'stdout')).toBe(`${fleet.user.name}\n`);
    expect(exitOf(events)).toBe('0');
    const running = masters(dataDir);
    expect(running).toHaveLength(1);
    for (const p of running) {
      expect(p.cmdline).not.toContain(fleet.user.password);
      expect(p.environ).not.toContain(fleet.user.password);
    }
    for (const content of filesUnder(dataDir)) expect(content).not.toContain(fleet.user.password);
    // No pipe is left behind either.
    expect(readdirSync(`${dataDir}/openssh`).filter((f) => f.endsWith('.askpass'))).toEqual([]);
  });

  it('shares trust on first use with ssh2: a key ssh2 trusted is enforced by openssh, and the reverse', async () => {
    const { proxy } = await startTestProxy('ssh2');
    await fleet.authorize(proxy.publicKey);
    const host = fleet.hosts[3]!;
    const task = (transport: TransportName) => makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'echo hi', transport });
    expect(exitOf(await run(proxy, task('ssh2')))).toBe('0');
    expect(exitOf(await run(proxy, task('openssh')))).toBe('0');
    const trusted = fleet.sshd.hostKeyFingerprint();
    await fleet.sshd.restart({ newHostKey: true });
    for (const transport of ['openssh', 'ssh2'] as const) {
      const events = await run(proxy, task(transport));
      expect(events.map((e) => e.type)).toEqual(['debug', 'exit']);
      expect(events[0]?.data).toMatch(/^Host key verification failed for /);
      expect(events[0]?.data).toContain(`key ${trusted} was trusted on first use`);
    }
    // A host first reached over openssh is trusted for ssh2 from then on (and with the same key).
    const other = { ...task('openssh'), address: '127.0.1.77' };
    expect(exitOf(await run(proxy, other))).toBe('0');
    await fleet.sshd.restart({ newHostKey: true });
    const after = await run(proxy, { ...task('ssh2'), address: '127.0.1.77' });
    expect(after[0]?.data).toMatch(/^Host key verification failed for /);
  });

  it('shares a master among at most half of ssh_max_sessions_per_connection tasks, and keeps none with an idle timeout of 0', async () => {
    const busy = await startTestProxy('openssh');
    const once = await startTestProxy('openssh', 0);
    for (const p of [busy, once]) await fleet.authorize(p.proxy.publicKey);
    const host = fleet.hosts[1]!;
    // 12 tasks that all wait until all 12 run (a barrier file), 5 per master at most (10 sessions
    // per connection, each task may need a kill channel): 3 masters.
    const shared = await tempDir('remex-barrier-');
    dirs.push(shared);
    chmodSync(shared.path, 0o777);
    const barrier = `${shared.path}/started`;
    const script = `echo x >> ${barrier}; while [ "$(wc -l < ${barrier})" -lt 12 ]; do sleep 0.05; done; echo done`;
    const tasks = Array.from({ length: 12 }, () => makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script }));
    await launch(busy.proxy.url, tasks);
    await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 60_000, 'the concurrent tasks');
    for (const t of tasks) expect(textOf(server.events(t.task_id), 'stdout')).toBe('done\n');
    expect(masters(busy.dataDir)).toHaveLength(3);

    expect(exitOf(await run(once.proxy, makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'true' })))).toBe('0');
    for (let i = 0; i < 100 && masters(once.dataDir).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(masters(once.dataDir)).toEqual([]);
  });

  it('keeps at most ssh_max_open_connections masters: idle ones exit, least recently used first', async () => {
    const capped = await startTestProxy('openssh', 60, 2);
    await fleet.authorize(capped.proxy.publicKey);
    for (const host of fleet.hosts) {
      expect(exitOf(await run(capped.proxy, makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'true' })))).toBe('0');
      for (let i = 0; i < 100 && masters(capped.dataDir).length > 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(masters(capped.dataDir).length).toBeLessThanOrEqual(2);
    }
    // The two kept are the last two hosts: a task to the last one reuses its master.
    const last = fleet.hosts[fleet.hosts.length - 1]!;
    const before = masters(capped.dataDir).map((m) => m.pid).sort();
    expect(before).toHaveLength(2);
    expect(exitOf(await run(capped.proxy, makeTask({ task_id: nextId++, address: last.address, port: fleet.port, script: 'true' })))).toBe('0');
    expect(masters(capped.dataDir).map((m) => m.pid).sort()).toEqual(before);
  });
});
