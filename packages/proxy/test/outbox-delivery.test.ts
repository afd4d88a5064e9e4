/**
 * The outbox delivers at least once and in order: when the server answers 500 a few times, the
 * same events come again until acknowledged, and nothing is lost or stored twice.
 */
import { startSshFleet, type SshFleet, type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadProxyConfig, LOST_SECRETS_MESSAGE, type RunningProxy, startProxy } from '../src/index.ts';
import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { exitOf, launch, makeTask, TEST_TOKEN, textOf } from './helpers/proxy-harness.ts';

let fleet: SshFleet;
let server: FakeCallbackServer;
let proxy: RunningProxy;
let data: TempDir;

function startOn(dataDir: string, maxConcurrentSessions = 200): Promise<RunningProxy> {
  return startProxy(
    loadProxyConfig({
      env: {},
      overrides: {
        token: TEST_TOKEN,
        serverUrl: server.url,
        dataDir,
        listenPort: 0, plainHttp: true,
        logLevel: 'silent',
        deliveryMaxBackoffMs: 200,
        maxConcurrentSessions,
      },
    }),
  );
}

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: 3 });
  server = await startFakeCallbackServer(TEST_TOKEN);
  data = await tempDir('remex-proxy-outbox-');
  proxy = await startOn(data.path);
  await fleet.authorize(proxy.publicKey);
});

afterAll(async () => {
  await proxy?.stop();
  await server?.close();
  await fleet?.stop();
  await data?.cleanup();
});

describe('outbox delivery', () => {
  it('retries refused batches until the server acknowledges them', async () => {
    server.failNext(4);
    const tasks = fleet.hosts.map((host, i) =>
      makeTask({ task_id: 7000 + i, address: host.address, port: fleet.port, script: 'for i in 1 2 3 4 5 6 7 8 9 10; do echo "o$i"; echo "e$i" >&2; done; exit 7' }),
    );
    await launch(proxy.url, tasks);
    await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 30_000, 'delivery after the refusals');
    expect(server.refused).toBe(4);
    expect(server.conflicts).toEqual([]);
    for (const task of tasks) {
      const events = server.events(task.task_id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(textOf(events, 'stdout')).toBe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => `o${i}\n`).join(''));
      expect(textOf(events, 'stderr')).toBe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => `e${i}\n`).join(''));
      expect(exitOf(events)).toBe('7');
    }
    // Every batch carried the proxy's name, and each task's events arrived in seq order.
    for (const batch of server.batches) {
      expect(batch.proxy).toBe(proxy.name);
      const last = new Map<number, number>();
      for (const event of batch.events) {
        expect(event.seq).toBeGreaterThan(last.get(event.task_id) ?? 0);
        last.set(event.task_id, event.seq);
      }
    }
  });

  it('after a stop, runs queued tasks on the next start but fails those whose secrets were lost', async () => {
    const dir = await tempDir('remex-proxy-restart-');
    let single = await startOn(dir.path, 1);
    await fleet.authorize(single.publicKey);
    const host = fleet.hosts[0]!;
    const running = makeTask({ task_id: 7100, address: host.address, port: fleet.port, script: 'echo started; sleep 3' });
    const withSecret = makeTask({
      task_id: 7101,
      address: host.address,
      port: fleet.port,
      script: 'echo secret',
      secrets: { ssh_password: fleet.user.password },
    });
    const plain = makeTask({ task_id: 7102, address: host.address, port: fleet.port, script: 'echo plain' });
    await launch(single.url, [running, withSecret, plain]);
    await server.waitFor(() => textOf(server.events(running.task_id), 'stdout') === 'started\n', 30_000, 'the first task');
    await single.stop();
    expect(server.events(running.task_id).slice(-2).map((e) => [e.type, e.data])).toEqual([
      ['debug', 'The proxy was stopped while this task was running; its SSH session was closed\n'],
      ['exit', 'EXCEPTION'],
    ]);
    expect(server.finished(withSecret.task_id) || server.finished(plain.task_id)).toBe(false);

    single = await startOn(dir.path, 1);
    await server.waitFor(() => server.finished(withSecret.task_id) && server.finished(plain.task_id), 30_000, 'the queued tasks');
    expect(server.events(withSecret.task_id).map((e) => [e.type, e.data])).toEqual([
      ['debug', `${LOST_SECRETS_MESSAGE}\n`],
      ['exit', 'EXCEPTION'],
    ]);
    expect(textOf(server.events(plain.task_id), 'stdout')).toBe('plain\n');
    expect(exitOf(server.events(plain.task_id))).toBe('0');
    await single.stop();
    await dir.cleanup();
  });
});
