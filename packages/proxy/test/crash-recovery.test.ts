/**
 * `kill -9` of a proxy process (src/main.ts) while tasks stream output: after a restart the
 * server receives every persisted line exactly once, sequence numbers stay gap-free and never
 * stand for two different events, tasks that were running end with the restart message and
 * `EXCEPTION`, and tasks that were still queued run to completion.
 */

import type { TaskEvent } from '@remex/common';
import { startSshFleet, type SshFleet, type TempDir, tempDir } from '@remex/testkit';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RESTART_MESSAGE } from '../src/index.ts';
import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { exitOf, launch, makeTask, TEST_TOKEN, textOf } from './helpers/proxy-harness.ts';
import { type ProxyProcess, proxyProcess } from './helpers/proxy-child.ts';

const LINES = 250;

let fleet: SshFleet;
let server: FakeCallbackServer;
let data: TempDir;
let proxy: ProxyProcess;

function script(): string {
  return `i=1; while [ $i -le ${LINES} ]; do echo "line-$i"; echo "err-$i" >&2; i=$((i+1)); sleep 0.01; done`;
}

function expected(prefix: string): string {
  let text = '';
  for (let i = 1; i <= LINES; i++) text += `${prefix}-${i}\n`;
  return text;
}

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: 8 });
  server = await startFakeCallbackServer(TEST_TOKEN);
  data = await tempDir('remex-proxy-crash-');
  proxy = await proxyProcess(data.path, 'crash-test-proxy', server.url, ['max_concurrent_sessions: 4']);
  await proxy.start();
  await fleet.authorize((await (await fetch(`${proxy.url}/ssh/pubkey`)).text()).trim());
});

afterAll(async () => {
  await proxy?.kill9();
  await server?.close();
  await fleet?.stop();
  await data?.cleanup();
});

describe('proxy crash (kill -9) with output in flight', () => {
  it('loses and doubles nothing, and settles every task', async () => {
    const tasks = fleet.hosts.map((host, i) =>
      makeTask({ task_id: 5000 + i, address: host.address, host_name: host.name, port: fleet.port, script: script() }),
    );
    await launch(proxy.url, tasks);
    const firstFour = tasks.slice(0, 4);
    await server.waitFor(
      () => firstFour.every((t) => server.events(t.task_id).filter((e) => e.type === 'stdout').length >= 10),
      60_000,
      'output of the running tasks',
    );
    // Slow acknowledgements: events pile up in the outbox, and one batch is in flight at the kill.
    server.setDelay(400);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await proxy.kill9();
    server.setDelay(0);

    // What the dead proxy had persisted but not delivered yet, and which tasks were running.
    const db = new Database(proxy.databaseFile, { readonly: true });
    const pending = db.prepare('SELECT task_id, seq, type, data FROM outbox_events ORDER BY id').all() as TaskEvent[];
    const states = new Map(
      (db.prepare('SELECT task_id, state FROM tasks').all() as { task_id: number; state: string }[]).map((r) => [r.task_id, r.state]),
    );
    db.close();
    const wasRunning = tasks.filter((t) => states.get(t.task_id) === 'running');
    const wasQueued = tasks.filter((t) => states.get(t.task_id) === 'queued');
    expect(wasRunning.length).toBeGreaterThan(0);
    expect(wasQueued.length).toBeGreaterThan(0);
    expect(pending.length).toBeGreaterThan(0);

    await proxy.start();
    await server.waitFor(() => tasks.every((t) => server.finished(t.task_id)), 120_000, 'every task to finish after the restart');

    expect(server.conflicts).toEqual([]);
    for (const task of tasks) {
      const events = server.events(task.task_id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((e) => e.type === 'exit')).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('exit');
    }
    for (const event of pending) {
      expect(server.events(event.task_id)[event.seq - 1]).toMatchObject({ type: event.type, data: event.data });
    }
    for (const task of wasRunning) {
      const events = server.events(task.task_id);
      expect(events.slice(-2).map((e) => [e.type, e.data])).toEqual([
        ['debug', `${RESTART_MESSAGE}\n`],
        ['exit', 'EXCEPTION'],
      ]);
      // Every line that got out before the crash is there, once, in order, without holes.
      expect(expected('line').startsWith(textOf(events, 'stdout'))).toBe(true);
      expect(expected('err').startsWith(textOf(events, 'stderr'))).toBe(true);
    }
    for (const task of [...wasQueued, ...tasks.filter((t) => states.get(t.task_id) === 'done')]) {
      const events = server.events(task.task_id);
      expect(textOf(events, 'stdout')).toBe(expected('line'));
      expect(textOf(events, 'stderr')).toBe(expected('err'));
      expect(exitOf(events)).toBe('0');
    }
  }, 240_000);
});
