import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { LaunchTask } from '@remex/common';
import { afterEach, describe, expect, it } from 'vitest';

import { openProxyDatabase } from '../db/proxy-database.ts';
import { TaskStore } from '../tasks/task-store.ts';
import { EventOutbox } from './event-outbox.ts';
import { OutboxStore } from './outbox-store.ts';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'remex-outbox-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function task(id: number, secrets?: LaunchTask['secrets']): LaunchTask {
  return {
    task_id: id,
    job_invocation_id: 1,
    provider: 'script',
    host_name: 'h',
    address: '127.0.0.1',
    port: 22,
    ssh_user: 'u',
    effective_user: 'u',
    effective_user_method: 'sudo',
    script: 'echo hi',
    remote_working_dir: '/var/tmp',
    cleanup_working_dirs: true,
    ...(secrets ? { secrets } : {}),
  };
}

describe('EventOutbox', () => {
  it('numbers events per task from 1 and continues after a reopen', () => {
    const dir = dataDir();
    let db = openProxyDatabase(dir);
    new TaskStore(db).accept([task(1), task(2)]);
    let outbox = new EventOutbox(new OutboxStore(db));
    outbox.append(1, 'started', '');
    outbox.append(2, 'started', '');
    outbox.append(1, 'stdout', 'a');
    outbox.close();
    db.close();

    db = openProxyDatabase(dir);
    const store = new OutboxStore(db);
    outbox = new EventOutbox(store);
    outbox.append(1, 'stdout', 'b');
    outbox.append(1, 'exit', '0');
    outbox.flush();
    expect(store.peek(100).map((e) => [e.task_id, e.seq, e.type, e.data])).toEqual([
      [1, 1, 'started', ''],
      [2, 1, 'started', ''],
      [1, 2, 'stdout', 'a'],
      [1, 3, 'stdout', 'b'],
      [1, 4, 'exit', '0'],
    ]);
    // The exit event marked the task done in the same transaction; task 2 is still queued.
    expect(new TaskStore(db).unfinished().map((t) => [t.taskId, t.state])).toEqual([[2, 'queued']]);
    store.deleteUpTo(store.peek(2).at(-1)!.id);
    expect(store.count()).toBe(3);
    outbox.close();
    db.close();
  });

  it('never stores secrets and accepts each task id once', () => {
    const db = openProxyDatabase(dataDir());
    const tasks = new TaskStore(db);
    expect(tasks.accept([task(5, { ssh_password: 'hunter2' }), task(6)]).map((t) => t.task_id)).toEqual([5, 6]);
    expect(tasks.accept([task(5), task(7)]).map((t) => t.task_id)).toEqual([7]);
    const rows = db.prepare('SELECT payload FROM tasks').all() as { payload: string }[];
    expect(rows.map((r) => r.payload).join('')).not.toContain('hunter2');
    expect(tasks.unfinished().find((t) => t.taskId === 5)?.needsSecrets).toBe(true);
    db.close();
  });
});
