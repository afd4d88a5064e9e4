/**
 * Async SSH survives `kill -9` of the proxy process (src/main.ts): 20 hosts run
 * `for i in $(seq 30); do echo $i; sleep 1; done` detached; the proxy is killed mid-way and
 * started again on the same data dir; every host ends `0` with lines 1–30 exactly once and
 * gap-free sequence numbers, and no working dir is left behind.
 */
import { readdirSync } from 'node:fs';

import { startSshFleet, type SshFleet, type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { exitOf, launch, makeTask, TEST_TOKEN, textOf } from './helpers/proxy-harness.ts';
import { type ProxyProcess, proxyProcess } from './helpers/proxy-child.ts';

const HOSTS = 20;
const LINES = 30;

let fleet: SshFleet;
let server: FakeCallbackServer;
let data: TempDir;
let proxy: ProxyProcess;

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: HOSTS, namePrefix: 'acrash' });
  server = await startFakeCallbackServer(TEST_TOKEN);
  data = await tempDir('remex-proxy-async-crash-');
  proxy = await proxyProcess(data.path, 'async-crash-proxy', server.url, ['async_ssh: true', 'runner_refresh_interval: 0.5']);
  await proxy.start();
  await fleet.authorize((await (await fetch(`${proxy.url}/ssh/pubkey`)).text()).trim());
});

afterAll(async () => {
  await proxy?.kill9();
  await server?.close();
  await fleet?.stop();
  await data?.cleanup();
});

describe('async SSH across kill -9 of the proxy', () => {
  it('ends every host with lines 1-30 exactly once after a restart', async () => {
    const tasks = fleet.hosts.map((host, i) =>
      makeTask({ task_id: 9000 + i, address: host.address, host_name: host.name, port: fleet.port, script: `for i in $(seq ${LINES}); do echo $i; sleep 1; done` }),
    );
    await launch(proxy.url, tasks);
    await server.waitFor(
      () => tasks.every((t) => textOf(server.events(t.task_id), 'stdout').split('\n').length > 5),
      60_000,
      'output of every host',
    );
    await proxy.kill9();
    const before = tasks.map((t) => textOf(server.events(t.task_id), 'stdout'));
    expect(before.every((text) => text.length > 0 && text.length < 80)).toBe(true);
    // The scripts go on without a proxy for a while.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await proxy.start();
    await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 90_000, 'every task to finish after the restart');

    const lines = Array.from({ length: LINES }, (_, i) => `${i + 1}\n`).join('');
    expect(server.conflicts).toEqual([]);
    for (const task of tasks) {
      const events = server.events(task.task_id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(textOf(events, 'stdout')).toBe(lines);
      expect(textOf(events, 'stderr')).toBe('');
      expect(events.filter((e) => e.type === 'debug')).toEqual([]);
      expect(exitOf(events)).toBe('0');
      expect(readdirSync('/var/tmp').filter((name) => name.startsWith(`remex-${task.task_id}-`))).toEqual([]);
    }
  }, 180_000);
});
