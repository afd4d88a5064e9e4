/**
 * @module
 * The write side of the outbox: numbers each event (per task, gap-free from 1), buffers it until
 * the end of the current event-loop turn (every I/O callback of that turn has run) and then
 * persists the whole turn in one SQLite transaction. Only persisted
 * events are ever delivered, so a crash can lose at most the last tick of in-memory events and
 * never makes a sequence number stand for two different events: the next number after a
 * restart is the one stored with the last persisted event.
 */
import type { TaskEvent, TaskEventType } from '@remex/common';

import type { OutboxStore } from './outbox-store.ts';

/** Options of {@link EventOutbox}. */
export interface EventOutboxOptions {
  /**
   * How long events gather before one transaction writes them, in ms; `0` writes them at the
   * end of the current event-loop turn (`setImmediate`), which batches whatever arrived in that
   * turn without waiting for a timer turn. (Default: `0`.)
   */
  flushDelayMs?: number;
  /** Called after each flush that wrote events (wakes the delivery loop). */
  onFlushed?: () => void;
  /** Called when a timed flush failed (the events stay buffered and are retried). */
  onError?: (error: unknown) => void;
}

/** Numbers, buffers and persists task events. */
export class EventOutbox {
  readonly #store: OutboxStore;
  readonly #flushDelayMs: number;
  readonly #onFlushed: () => void;
  readonly #onError: (error: unknown) => void;
  readonly #nextSeq = new Map<number, number>();
  #buffer: TaskEvent[] = [];
  #timer: { cancel(): void } | undefined;
  #closed = false;

  constructor(store: OutboxStore, options: EventOutboxOptions = {}) {
    this.#store = store;
    this.#flushDelayMs = options.flushDelayMs ?? 0;
    this.#onFlushed = options.onFlushed ?? (() => undefined);
    this.#onError = options.onError ?? (() => undefined);
  }

  /**
   * Appends one event for `taskId`; persisted at the end of this event-loop turn (or after
   * `flushDelayMs`). An `exit` event marks the
   * task `done` in the same transaction and ends its numbering.
   */
  append(taskId: number, type: TaskEventType, data: string): void {
    if (this.#closed) throw new Error('The event outbox is closed');
    let seq = this.#nextSeq.get(taskId);
    if (seq === undefined) seq = this.#store.nextSeq(taskId);
    this.#buffer.push({ task_id: taskId, seq, type, data, timestamp: Date.now() / 1000 });
    if (type === 'exit') this.#nextSeq.delete(taskId);
    else this.#nextSeq.set(taskId, seq + 1);
    this.#timer ??= this.#schedule(this.#flushDelayMs);
  }

  #schedule(ms: number): { cancel(): void } {
    if (ms <= 0) {
      const immediate = setImmediate(() => this.#timedFlush());
      return { cancel: () => clearImmediate(immediate) };
    }
    const timeout = setTimeout(() => this.#timedFlush(), ms);
    return { cancel: () => clearTimeout(timeout) };
  }

  #timedFlush(): void {
    this.#timer = undefined;
    try {
      this.flush();
    } catch (e: unknown) {
      this.#onError(e);
      this.#timer ??= this.#schedule(1000);
    }
  }

  /** Writes buffered events now (one transaction). */
  flush(): void {
    if (this.#timer) {
      this.#timer.cancel();
      this.#timer = undefined;
    }
    if (this.#buffer.length === 0) return;
    const events = this.#buffer;
    this.#buffer = [];
    try {
      this.#store.insert(events);
    } catch (e: unknown) {
      this.#buffer = events.concat(this.#buffer);
      throw e;
    }
    this.#onFlushed();
  }

  /** Flushes and refuses further events. */
  close(): void {
    this.flush();
    this.#closed = true;
  }
}
