/**
 * @module
 * The delivery loop of the outbox: POSTs the oldest events in batches ({@link EventBatch}) to
 * `<serverUrl>/api/proxy_callbacks/events` with the shared bearer token, one request at a time,
 * and deletes them only after a 2xx answer. Failures are retried with exponential backoff, so
 * delivery is at least once and in order per task (the server drops duplicates by
 * `(task_id, seq)`).
 */
import { coerceError, EVENTS_CALLBACK_PATH, type EventBatch, type TaskEvent } from '@remex/common';

import type { ProxyLogger } from '../logger.ts';
import type { OutboxStore, StoredEvent } from './outbox-store.ts';

/** Options of {@link EventDelivery}. */
export interface EventDeliveryOptions {
  store: OutboxStore;
  /** Server base URL, without trailing slash. */
  serverUrl: string;
  /** Shared bearer token. */
  token: string;
  /** Proxy name sent in each batch. */
  proxyName: string;
  /** Most events per request. */
  batchSize: number;
  /** Approximate most bytes of JSON per request. */
  batchBytes: number;
  /** Longest pause between retries, in ms. */
  maxBackoffMs: number;
  /** Timeout of one request, in ms. (Default: `30000`.) */
  requestTimeoutMs?: number;
  logger: ProxyLogger;
}

const MIN_BACKOFF_MS = 100;

/** Delivers persisted events to the server. */
export class EventDelivery {
  readonly #o: EventDeliveryOptions;
  readonly #url: string;
  #running = false;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #interrupt: (() => void) | undefined;
  #sleepTimer: NodeJS.Timeout | undefined;
  #inFlight: AbortController | undefined;
  #batchLimit: number;
  #consecutiveFailures = 0;

  constructor(options: EventDeliveryOptions) {
    this.#o = options;
    this.#url = `${options.serverUrl}${EVENTS_CALLBACK_PATH}`;
    this.#batchLimit = options.batchSize;
  }

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run().catch((e: unknown) => {
      this.#o.logger.error({ err: coerceError(e) }, 'event delivery loop crashed');
    });
  }

  /** Signals that new events were persisted. */
  notify(): void {
    this.#wake?.();
  }

  /**
   * Stops the loop: keeps delivering while the server answers, for at most `drainTimeoutMs`,
   * then aborts. Undelivered events stay in the outbox for the next start.
   */
  async stop(drainTimeoutMs = 5000): Promise<void> {
    if (!this.#running) return;
    this.#stopping = true;
    this.#interrupt?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs)))]);
    clearTimeout(timer);
    this.#running = false;
    this.#inFlight?.abort();
    this.#interrupt?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const batch = this.#nextBatch();
      if (batch.length === 0) {
        if (this.#stopping) return;
        await this.#sleep(undefined);
        continue;
      }
      const ok = await this.#post(batch);
      if (ok) {
        this.#o.store.deleteUpTo(batch[batch.length - 1]?.id ?? 0);
        this.#consecutiveFailures = 0;
        continue;
      }
      if (this.#stopping || !this.#running) return;
      this.#consecutiveFailures++;
      const backoff = Math.min(this.#o.maxBackoffMs, MIN_BACKOFF_MS * 2 ** Math.min(this.#consecutiveFailures - 1, 16));
      await this.#sleep(backoff);
    }
  }

  #nextBatch(): StoredEvent[] {
    const rows = this.#o.store.peek(this.#batchLimit);
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) {
      bytes += (rows[i]?.data.length ?? 0) + 96;
      if (bytes > this.#o.batchBytes && i > 0) return rows.slice(0, i);
    }
    return rows;
  }

  async #post(batch: StoredEvent[]): Promise<boolean> {
    const events: TaskEvent[] = batch.map((e) => ({ task_id: e.task_id, seq: e.seq, type: e.type, data: e.data, timestamp: e.timestamp }));
    const body: EventBatch = { proxy: this.#o.proxyName, events };
    const controller = new AbortController();
    this.#inFlight = controller;
    const timer = setTimeout(() => controller.abort(), this.#o.requestTimeoutMs ?? 30_000);
    try {
      const response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#o.token}` },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const text = await response.text();
      if (response.ok) {
        this.#batchLimit = Math.min(this.#o.batchSize, this.#batchLimit * 2);
        return true;
      }
      if (response.status === 413 && this.#batchLimit > 1) this.#batchLimit = Math.max(1, Math.floor(batch.length / 2));
      this.#o.logger.warn(
        { status: response.status, events: batch.length, body: text.slice(0, 500) },
        'the server refused an event batch; retrying',
      );
      return false;
    } catch (e: unknown) {
      if (this.#running) {
        const err = coerceError(e);
        const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
        this.#o.logger.warn({ url: this.#url, events: batch.length }, `cannot deliver events (${err.message}${cause}); retrying`);
      }
      return false;
    } finally {
      clearTimeout(timer);
      this.#inFlight = undefined;
    }
  }

  #sleep(ms: number | undefined): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(this.#sleepTimer);
        this.#sleepTimer = undefined;
        this.#wake = undefined;
        this.#interrupt = undefined;
        resolve();
      };
      this.#interrupt = done;
      // New events end an idle wait, but not a backoff (the server is struggling).
      if (ms === undefined) this.#wake = done;
      else this.#sleepTimer = setTimeout(done, ms);
    });
  }
}
