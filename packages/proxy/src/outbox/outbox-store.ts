/**
 * @module
 * SQL of the durable outbox. Events are inserted in batches, one transaction per flush, together
 * with the next sequence number of each task they belong to (`tasks.next_seq`); an `exit` event
 * also marks its task `done` in the same transaction, so "exit persisted" and "task done" can
 * never disagree after a crash. Rows are deleted only once the server acknowledged them.
 */
import type { TaskEvent } from '@remex/common';

import type { ProxyDatabase } from '../db/proxy-database.ts';

/** An event with its outbox row id. */
export interface StoredEvent extends TaskEvent {
  id: number;
}

/** Prepared statements over `outbox_events` (and the outbox's two columns of `tasks`). */
export class OutboxStore {
  readonly #db: ProxyDatabase;
  readonly #insert;
  readonly #setNextSeq;
  readonly #markDone;
  readonly #peek;
  readonly #deleteUpTo;
  readonly #count;
  readonly #nextSeq;
  readonly #insertMany;

  constructor(db: ProxyDatabase) {
    this.#db = db;
    this.#insert = db.prepare<[number, number, string, string, number]>(
      'INSERT INTO outbox_events (task_id, seq, type, data, timestamp) VALUES (?, ?, ?, ?, ?)',
    );
    this.#setNextSeq = db.prepare<[number, number]>('UPDATE tasks SET next_seq = ? WHERE task_id = ?');
    this.#markDone = db.prepare<[number, number]>(
      "UPDATE tasks SET state = 'done', finished_at = ?, payload = NULL, provider_state = NULL WHERE task_id = ?",
    );
    this.#peek = db.prepare<[number], StoredEvent>(
      'SELECT id, task_id, seq, type, data, timestamp FROM outbox_events ORDER BY id LIMIT ?',
    );
    this.#deleteUpTo = db.prepare<[number]>('DELETE FROM outbox_events WHERE id <= ?');
    this.#count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox_events');
    this.#nextSeq = db.prepare<[number], { next_seq: number }>('SELECT next_seq FROM tasks WHERE task_id = ?');
    this.#insertMany = db.transaction((events: readonly TaskEvent[]) => {
      const next = new Map<number, number>();
      const now = Date.now() / 1000;
      for (const e of events) {
        this.#insert.run(e.task_id, e.seq, e.type, e.data, e.timestamp);
        next.set(e.task_id, e.seq + 1);
        if (e.type === 'exit') this.#markDone.run(now, e.task_id);
      }
      for (const [taskId, seq] of next) this.#setNextSeq.run(seq, taskId);
    });
  }

  /** Persists `events` (already numbered) in one transaction. */
  insert(events: readonly TaskEvent[]): void {
    if (events.length > 0) this.#insertMany(events);
  }

  /** The persisted next sequence number of a task (1 when unknown). */
  nextSeq(taskId: number): number {
    return this.#nextSeq.get(taskId)?.next_seq ?? 1;
  }

  /** The oldest `limit` events, in insertion order. */
  peek(limit: number): StoredEvent[] {
    return this.#peek.all(limit);
  }

  /** Deletes every event up to and including row `id` (after the server acknowledged them). */
  deleteUpTo(id: number): void {
    this.#deleteUpTo.run(id);
  }

  /** Number of undelivered events. */
  count(): number {
    return this.#count.get()?.n ?? 0;
  }

  /** Runs `fn` in a transaction of the outbox's database. */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }
}
