/**
 * Runs real scripts through a real proxy against a real OpenSSH server (testkit fleet):
 * output streams, exit codes, key and password auth, connection and auth failures, host key
 * changes, the effective user, the execution timeout, cancel and the concurrency limit. The
 * whole suite runs once per transport (`ssh2` and `openssh`), each with proxies of their own.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { fleetAddress, OTHER_USER, startSshFleet, type SshFleet, TEST_USER, type TempDir, tempDir, unreachableAddress } from '@remex/testkit';
import type { TransportName } from '@remex/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadProxyConfig, type RunningProxy, startProxy, TIMEOUT_MESSAGE } from '../src/index.ts';
import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { cancel, count, exitOf, launch, makeTask, TEST_TOKEN, textOf } from './helpers/proxy-harness.ts';
import { liveProcesses } from './helpers/sshd-connections.ts';

let fleet: SshFleet;
let server: FakeCallbackServer;
let proxy: RunningProxy;
/** A second proxy whose key the fleet does not know: only password auth can work. */
let keylessProxy: RunningProxy;
let dirs: TempDir[] = [];
let nextId = 1000;

/** The transport the proxies of the suite running now use. */
let transport: TransportName = 'ssh2';

async function startTestProxy(extra: Partial<Parameters<typeof loadProxyConfig>[0] & object> = {}, maxSessions = 50): Promise<RunningProxy> {
  const dir = await tempDir('remex-proxy-');
  dirs.push(dir);
  return startProxy(
    loadProxyConfig({
      env: {},
      ...extra,
      overrides: {
        token: TEST_TOKEN,
        serverUrl: server.url,
        dataDir: dir.path,
        listenPort: 0, plainHttp: true,
        logLevel: 'silent',
        maxConcurrentSessions: maxSessions,
        sshConnectTimeout: 10,
        sshTransport: transport,
      },
    }),
  );
}

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: 20 });
  server = await startFakeCallbackServer(TEST_TOKEN);
});

afterAll(async () => {
  await server?.close();
  await fleet?.stop();
  for (const dir of dirs) await dir.cleanup();
  dirs = [];
});

describe.each(['ssh2', 'openssh'] as const)('script provider over %s', (name) => {
  beforeAll(async () => {
    transport = name;
    proxy = await startTestProxy();
    keylessProxy = await startTestProxy();
    await fleet.authorize(proxy.publicKey);
  });

  afterAll(async () => {
    await proxy?.stop();
    await keylessProxy?.stop();
  });

    it('runs on 20 hosts with key auth: ordered events, separate streams, exit code', async () => {
      const tasks = fleet.hosts.map((host) =>
        makeTask({ task_id: nextId++, address: host.address, host_name: host.name, port: fleet.port, script: 'echo out; echo err >&2; hostname; exit 3' }),
      );
      const answer = await launch(proxy.url, tasks);
      expect(answer.accepted).toEqual(tasks.map((t) => t.task_id));
      await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 60_000, 'all 20 tasks');
      for (const task of tasks) {
        const events = server.events(task.task_id);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        expect(events[0]?.type).toBe('started');
        expect(events.at(-1)).toMatchObject({ type: 'exit', data: '3' });
        const stdout = textOf(events, 'stdout');
        expect(stdout.startsWith('out\n')).toBe(true);
        expect(stdout.split('\n').filter(Boolean)).toHaveLength(2);
        expect(textOf(events, 'stderr')).toBe('err\n');
        expect(events.filter((e) => e.type === 'debug')).toEqual([]);
      }
      expect(server.conflicts).toEqual([]);
      expect(server.unauthorized).toBe(0);
    });

    it('is idempotent by task id', async () => {
      const host = fleet.hosts[0]!;
      const task = makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'echo once' });
      await launch(proxy.url, [task]);
      await launch(proxy.url, [task]);
      await server.waitFor(() => server.finished(task.task_id), 30_000, 'the task');
      await launch(proxy.url, [task]);
      const events = server.events(task.task_id);
      expect(textOf(events, 'stdout')).toBe('once\n');
      expect(events.filter((e) => e.type === 'exit')).toHaveLength(1);
    });

    it('authenticates with a password when the key is not authorized', async () => {
      const host = fleet.hosts[1]!;
      const task = makeTask({
        task_id: nextId++,
        address: host.address,
        port: fleet.port,
        script: 'id -un',
        secrets: { ssh_password: fleet.user.password },
      });
      await launch(keylessProxy.url, [task]);
      await server.waitFor(() => server.finished(task.task_id), 30_000, 'the password task');
      const events = server.events(task.task_id);
      expect(textOf(events, 'stdout')).toBe('remex-test\n');
      expect(exitOf(events)).toBe('0');
    });

    it('reports a wrong password and an unusable key clearly', async () => {
      const host = fleet.hosts[2]!;
      const wrong = makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'true', secrets: { ssh_password: 'nope' } });
      const noPassword = makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'true' });
      await launch(keylessProxy.url, [wrong, noPassword]);
      await server.waitFor(() => server.finished(wrong.task_id) && server.finished(noPassword.task_id), 30_000, 'auth failures');
      for (const task of [wrong, noPassword]) {
        const events = server.events(task.task_id);
        expect(events.map((e) => e.type)).toEqual(['debug', 'exit']);
        expect(events[0]?.data).toMatch(/^Authentication failed for user remex-test on host /);
        expect(exitOf(events)).toBe('EXCEPTION');
      }
    });

    it('fails an unreachable host with a connect error naming it', async () => {
      const address = unreachableAddress();
      const task = makeTask({ task_id: nextId++, address, port: fleet.port, script: 'true' });
      await launch(proxy.url, [task]);
      await server.waitFor(() => server.finished(task.task_id), 30_000, 'the unreachable task');
      const events = server.events(task.task_id);
      expect(events.map((e) => e.type)).toEqual(['debug', 'exit']);
      expect(events[0]?.data).toMatch(new RegExp(`^Failed to connect to ${address.replace(/\./g, '\\.')}:${fleet.port}: connect E[A-Z]+`));
      expect(exitOf(events)).toBe('EXCEPTION');
    });

    it('runs as the effective user through sudo', async () => {
      const host = fleet.hosts[3]!;
      const task = makeTask({
        task_id: nextId++,
        address: host.address,
        port: fleet.port,
        effective_user: 'remex-other',
        script: '#!/bin/sh\nwhoami\npwd >/dev/null\n',
      });
      await launch(proxy.url, [task]);
      await server.waitFor(() => server.finished(task.task_id), 30_000, 'the sudo task');
      const events = server.events(task.task_id);
      expect(textOf(events, 'stderr')).toBe('');
      expect(textOf(events, 'stdout')).toBe('remex-other\n');
      expect(exitOf(events)).toBe('0');
    });

    it('never shows the script in the host\'s process list: run directly, from a kept working dir, or through sudo', async () => {
      const secret = `remex-secret-${process.pid}-${nextId}`;
      const script = `#!/bin/sh\n: '${secret}'\necho started\nsleep 2\necho done\n`;
      const variants = [{}, { cleanup_working_dirs: false }, { effective_user: 'remex-other' }];
      const tasks = variants.map((fields, i) =>
        makeTask({ task_id: nextId++, address: fleet.hosts[10 + i]!.address, port: fleet.port, script, ...fields }),
      );
      await launch(proxy.url, tasks);
      await server.waitFor(() => tasks.every((t) => textOf(server.events(t.task_id), 'stdout').includes('started')), 30_000, 'the scripts to start');
      expect(liveProcesses(secret)).toEqual([]);
      await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 30_000, 'the scripts to end');
      for (const task of tasks) {
        const events = server.events(task.task_id);
        expect(textOf(events, 'stdout')).toBe('started\ndone\n');
        expect(exitOf(events)).toBe('0');
      }
    });

    it('answers sudo with the effective user password (never on disk, in the command or in the output); a wrong one fails at once', async () => {
      const host = fleet.hosts[7]!;
      const as = (password: string, script: string) =>
        makeTask({
          task_id: nextId++,
          address: host.address,
          port: fleet.port,
          ssh_user: OTHER_USER.name,
          effective_user: TEST_USER.name,
          script,
          secrets: { ssh_password: OTHER_USER.password, effective_user_password: password },
        });
      // remex-other may run commands as remex-test only after giving its own password (sudoers).
      const good = as(OTHER_USER.password, '#!/bin/sh\nid -un\nps -eo args | grep -c -- "remex-other-p[w]" || true\n');
      const wrong = as('not-the-password', 'id -un');
      await launch(keylessProxy.url, [good, wrong]);
      await server.waitFor(() => server.finished(good.task_id) && server.finished(wrong.task_id), 30_000, 'the sudo password tasks');
      const events = server.events(good.task_id);
      expect(textOf(events, 'stderr')).toBe('');
      // The script ran as remex-test, and no process of the host had the password in its command line.
      expect(textOf(events, 'stdout')).toBe(`${TEST_USER.name}\n0\n`);
      expect(exitOf(events)).toBe('0');
      const failed = server.events(wrong.task_id);
      expect(textOf(failed, 'stdout')).toBe('');
      expect(textOf(failed, 'stderr')).toMatch(/incorrect password/);
      expect(exitOf(failed)).toBe('1');
      for (const e of [...events, ...failed]) expect(e.data).not.toContain(OTHER_USER.password);
    });

    it('answers su\'s password prompt on a terminal: the script runs as the user; a wrong password fails at once; timeout kills through su', async () => {
      // remex-other logs in by password; su asks for remex-test's own password.
      const su = (id: number, host: number, password: string, script: string, timeout?: number) =>
        makeTask({
          task_id: id,
          address: fleet.hosts[host]!.address,
          port: fleet.port,
          ssh_user: OTHER_USER.name,
          effective_user: TEST_USER.name,
          effective_user_method: 'su',
          script,
          ...(timeout === undefined ? {} : { execution_timeout_interval: timeout }),
          secrets: { ssh_password: OTHER_USER.password, effective_user_password: password },
        });
      const sleepMarker = `${600 + (process.pid % 300)}.3`;
      const good = su(nextId++, 8, TEST_USER.password, '#!/bin/sh\nid -un\necho to-stderr >&2\nps -eo args | grep -c -- "remex-test-p[w]" || true\nexit 4\n');
      const wrong = su(nextId++, 9, 'not-the-password', 'id -un');
      const slow = su(nextId++, 10, TEST_USER.password, `echo before; sleep ${sleepMarker}; echo after`, 2);
      await launch(keylessProxy.url, [good, wrong, slow]);
      await server.waitFor(() => [good, wrong, slow].every((t) => server.finished(t.task_id)), 60_000, 'the su tasks');

      const events = server.events(good.task_id);
      // On a terminal both streams arrive as one; the prompt is not part of the output.
      expect(textOf(events, 'stdout')).toBe(`${TEST_USER.name}\nto-stderr\n0\n`);
      expect(events.some((e) => e.type === 'started')).toBe(true);
      expect(exitOf(events)).toBe('4');

      const failed = server.events(wrong.task_id);
      expect(textOf(failed, 'stdout')).toMatch(/Authentication failure/);
      expect(textOf(failed, 'debug')).toMatch(/su did not accept the effective user password for remex-test: su: Authentication failure/);
      expect(exitOf(failed)).toBe('EXCEPTION');

      const killed = server.events(slow.task_id);
      // su itself reports how its child ended ("Terminated").
      expect(textOf(killed, 'stdout')).toMatch(/^before\n(Terminated\n)?$/);
      expect(textOf(killed, 'debug')).toBe(`${TIMEOUT_MESSAGE}\n`);
      expect(liveProcesses(`sleep ${sleepMarker}`)).toEqual([]);
      expect(exitOf(killed)).toBe('143');
      for (const e of [...events, ...failed, ...killed]) {
        expect(e.data).not.toContain(TEST_USER.password);
        expect(e.data).not.toContain('not-the-password');
      }
    });

    it('kills the remote process when the execution timeout passes (also as another user)', async () => {
      const marker = `${600 + (process.pid % 300)}.5`;
      const tasks = ['remex-test', 'remex-other'].map((user, i) =>
        makeTask({
          task_id: nextId++,
          address: fleet.hosts[4 + i]!.address,
          port: fleet.port,
          effective_user: user,
          execution_timeout_interval: 1,
          script: `echo before; sleep ${marker}; echo after`,
        }),
      );
      await launch(proxy.url, tasks);
      await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 30_000, 'the timed-out tasks');
      for (const task of tasks) {
        const events = server.events(task.task_id);
        expect(textOf(events, 'stdout')).toBe('before\n');
        expect(events.filter((e) => e.type === 'debug').map((e) => e.data)).toEqual([`${TIMEOUT_MESSAGE}\n`]);
        // The wrapper's shell does not report the killed job ("… Killed setsid …") into the output.
        expect(textOf(events, 'stderr')).toBe('');
        expect(exitOf(events)).toBe('143');
      }
      expect(liveProcesses(`sleep ${marker}`)).toEqual([]);
    });

    it('cancels a running task through the same kill path, and a queued one at once', async () => {
      const single = await startTestProxy({}, 1);
      await fleet.authorize(single.publicKey);
      const host = fleet.hosts[5]!;
      const cancelMarker = `${600 + (process.pid % 300)}.7`;
      const running = makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: `echo go; sleep ${cancelMarker}` });
      const queued = makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'echo never' });
      await launch(single.url, [running, queued]);
      await server.waitFor(() => server.events(running.task_id).some((e) => e.type === 'stdout'), 30_000, 'the task to start');
      expect(await count(single.url)).toEqual({ running: 1, queued: 1 });
      expect(await cancel(single.url, queued.task_id)).toEqual({ cancelled: true });
      await server.waitFor(() => server.finished(queued.task_id), 30_000, 'the queued task to end');
      expect(server.events(queued.task_id).map((e) => [e.type, e.data])).toEqual([
        ['debug', 'The task was cancelled before it started\n'],
        ['exit', 'EXCEPTION'],
      ]);
      expect(await cancel(single.url, running.task_id)).toEqual({ cancelled: true });
      await server.waitFor(() => server.finished(running.task_id), 30_000, 'the cancelled task');
      const events = server.events(running.task_id);
      expect(events.filter((e) => e.type === 'debug').map((e) => e.data)).toEqual(['The task was cancelled, trying to stop the job\n']);
      expect(textOf(events, 'stderr')).toBe('');
      expect(exitOf(events)).toBe('143');
      expect(liveProcesses(`sleep ${cancelMarker}`)).toEqual([]);
      expect(await cancel(single.url, running.task_id)).toEqual({ cancelled: false });
      expect(await cancel(single.url, 999_999)).toEqual({ cancelled: false });
      await single.stop();
    });

    it('never runs more than max_concurrent_sessions tasks at once', async () => {
      const limited = await startTestProxy({}, 3);
      await fleet.authorize(limited.publicKey);
      const shared = await tempDir('remex-concurrency-');
      dirs.push(shared);
      chmodSync(shared.path, 0o777);
      const log = join(shared.path, 'log');
      const tasks = fleet.hosts.slice(0, 12).map((host) =>
        makeTask({
          task_id: nextId++,
          address: host.address,
          port: fleet.port,
          script: `echo + >> ${log}; sleep 0.3; echo - >> ${log}`,
        }),
      );
      await launch(limited.url, tasks);
      let maxRunning = 0;
      while (!tasks.every((t) => server.finished(t.task_id))) {
        const c = await count(limited.url);
        maxRunning = Math.max(maxRunning, c.running);
        expect(c.running + c.queued).toBeLessThanOrEqual(12);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      let current = 0;
      let maxSeen = 0;
      for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
        current += line === '+' ? 1 : -1;
        maxSeen = Math.max(maxSeen, current);
      }
      expect(maxSeen).toBeLessThanOrEqual(3);
      expect(maxRunning).toBeLessThanOrEqual(3);
      for (const task of tasks) expect(exitOf(server.events(task.task_id))).toBe('0');
      await limited.stop();
    });

    it('ends a task whose connection drops (host reboot) with EXCEPTION', async () => {
      const host = fleet.hosts[8]!;
      const task = makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'echo up; sleep 20' });
      await launch(proxy.url, [task]);
      await server.waitFor(() => textOf(server.events(task.task_id), 'stdout') === 'up\n', 30_000, 'the task to start');
      await fleet.sshd.restart();
      await server.waitFor(() => server.finished(task.task_id), 30_000, 'the dropped task');
      const events = server.events(task.task_id);
      expect(events.slice(-2).map((e) => e.type)).toEqual(['debug', 'exit']);
      expect(events.at(-2)?.data).toMatch(/^Connection to .* was lost; the script's exit status is unknown\n$/);
      expect(exitOf(events)).toBe('EXCEPTION');
    });

    it('trusts a host key on first use and refuses a changed one', async () => {
      const host = fleet.hosts[6]!;
      const first = makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'echo hi' });
      await launch(proxy.url, [first]);
      await server.waitFor(() => server.finished(first.task_id), 30_000, 'the first task');
      expect(exitOf(server.events(first.task_id))).toBe('0');

      const trusted = fleet.sshd.hostKeyFingerprint();
      await fleet.sshd.restart({ newHostKey: true });
      const second = makeTask({ task_id: nextId++, address: host.address, port: fleet.port, script: 'echo hi' });
      const otherHost = makeTask({ task_id: nextId++, address: fleetAddress(50), port: fleet.port, script: 'echo new host' });
      await launch(proxy.url, [second, otherHost]);
      await server.waitFor(() => server.finished(second.task_id) && server.finished(otherHost.task_id), 30_000, 'the re-keyed tasks');
      const events = server.events(second.task_id);
      expect(events.map((e) => e.type)).toEqual(['debug', 'exit']);
      // The failure is the host key check naming both keys, not any connection or auth failure.
      expect(events[0]?.data).toMatch(/^Host key verification failed for /);
      expect(events[0]?.data).toContain(`key ${fleet.sshd.hostKeyFingerprint()}, but`);
      expect(events[0]?.data).toContain(`key ${trusted} was trusted on first use`);
      expect(exitOf(events)).toBe('EXCEPTION');
      // A host seen for the first time after the change is trusted on first use.
      expect(exitOf(server.events(otherHost.task_id))).toBe('0');
    });
});
