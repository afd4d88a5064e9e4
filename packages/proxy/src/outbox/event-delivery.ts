/**
 * @module
 * The delivery loop of the outbox: POSTs the oldest events in batches ({@link EventBatch}) to
 * `<serverUrl>/api/proxy_callbacks/events`, each request signed with the proxy's credential
 * (`Remex-HMAC`, ADR 0007), one request at a time,
 * and deletes them only after a 2xx answer. Failures are retried with exponential backoff, so
 * delivery is at least once and in order per task (the server drops duplicates by
 * `(task_id, seq)`).
 */
import http from 'node:http';
import https from 'node:https';

import { coerceError, EVENTS_CALLBACK_PATH, type EventBatch, type ProxyCredential, signMessage, type TaskEvent } from '@remex/common';

import type { ProxyLogger } from '../logger.ts';
import type { OutboxStore, StoredEvent } from './outbox-store.ts';

/** Options of {@link EventDelivery}. */
export interface EventDeliveryOptions {
  store: OutboxStore;
  /** Server base URL, without trailing slash. */
  serverUrl: string;
  /** This proxy's credential (signs each request; never sent). */
  credential: ProxyCredential;
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
  readonly #url: URL;
  /** Own keep-alive agent, destroyed by stop() so no socket outlives the proxy. */
  readonly #agent: http.Agent;
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
    this.#url = new URL(`${options.serverUrl}${EVENTS_CALLBACK_PATH}`);
    this.#agent = this.#url.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
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
    if (!this.#running) {
      this.#agent.destroy();
      return;
    }
    this.#stopping = true;
    this.#interrupt?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs)))]);
    clearTimeout(timer);
    this.#running = false;
    this.#inFlight?.abort();
    this.#interrupt?.();
    await this.#loop;
    this.#agent.destroy();
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
    try {
      const payload = JSON.stringify(body);
      const authorization = await signMessage(this.#o.credential, { kind: 'request', method: 'POST', path: `${this.#url.pathname}${this.#url.search}`, body: payload });
      const response = await this.#request(payload, authorization, controller.signal);
      if (response.status >= 200 && response.status < 300) {
        this.#batchLimit = Math.min(this.#o.batchSize, this.#batchLimit * 2);
        return true;
      }
      if (response.status === 413 && this.#batchLimit > 1) this.#batchLimit = Math.max(1, Math.floor(batch.length / 2));
      this.#o.logger.warn(
        { status: response.status, events: batch.length, body: response.text.slice(0, 500) },
        'the server refused an event batch; retrying',
      );
      return false;
    } catch (e: unknown) {
      if (this.#running) {
        this.#o.logger.warn({ url: this.#url.href, events: batch.length }, `cannot deliver events (${coerceError(e).message}); retrying`);
      }
      return false;
    } finally {
      this.#inFlight = undefined;
    }
  }

  /** One POST over the own agent; resolves with status and body text. */
  #request(payload: string, authorization: string, signal: AbortSignal): Promise<{ status: number; text: string }> {
    const transport = this.#url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        this.#url,
        {
          method: 'POST',
          agent: this.#agent,
          signal,
          timeout: this.#o.requestTimeoutMs ?? 30_000,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            authorization,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('request timed out')));
      request.on('error', reject);
      request.end(payload);
    });
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
