/**
 * @module
 * A small stand-in for the server side of the contract: records every `EventBatch` POSTed to
 * `/api/proxy_callbacks/events`, deduplicates by `(task_id, seq)` like the real server, and can
 * answer 500 a given number of times first. It is the neighbour, not the thing under test.
 */
import type { AddressInfo } from 'node:net';

import { EVENTS_CALLBACK_PATH, type EventBatch, parseProxyCredential, parseSignature, type TaskEvent, verifySignature } from '@remex/common';
import Fastify from 'fastify';

/** A running fake callback server. */
export interface FakeCallbackServer {
  url: string;
  /** Every batch as received, including duplicates and refused ones (in arrival order). */
  batches: EventBatch[];
  /** Number of requests answered 500. */
  refused: number;
  /** First-received event of each `(task_id, seq)`, grouped by task. */
  events(taskId: number): TaskEvent[];
  /** `(task_id, seq)` keys that arrived twice with different payloads (must stay empty). */
  conflicts: string[];
  /** Requests without a valid signature of the proxy credential. */
  unauthorized: number;
  /** Makes the next `n` accepted-token requests answer 500. */
  failNext(n: number): void;
  /** Delays every answer by `ms` (the batch is stored first), to let the proxy's outbox fill up. */
  setDelay(ms: number): void;
  /** Resolves when `predicate` holds (polling), rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** True when the task's exit event arrived. */
  finished(taskId: number): boolean;
  close(): Promise<void>;
}

/**
 * Starts the fake server on 127.0.0.1 (free port).
 * @param token - the proxy's credential (text form): requests must be signed with it
 */
export async function startFakeCallbackServer(token: string): Promise<FakeCallbackServer> {
  const credential = parseProxyCredential(token);
  const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
  const raw = new WeakMap<object, string>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    raw.set(request, String(body));
    try {
      done(null, JSON.parse(String(body)));
    } catch (e: unknown) {
      done(e as Error, undefined);
    }
  });
  const signedByProxy = async (request: { method: string; url: string; headers: { authorization?: string } }): Promise<boolean> => {
    const f = parseSignature(request.headers.authorization);
    if (!f || f.keyId !== credential.keyId) return false;
    try {
      await verifySignature(credential.secret, f, { kind: 'request', method: request.method, path: request.url, body: raw.get(request) ?? '' });
      return true;
    } catch {
      return false;
    }
  };
  const byTask = new Map<number, Map<number, TaskEvent>>();
  let failures = 0;
  let delayMs = 0;
  const state: Omit<FakeCallbackServer, 'url' | 'close'> = {
    batches: [],
    refused: 0,
    conflicts: [],
    unauthorized: 0,
    failNext: (n) => {
      failures = n;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    events: (taskId) => [...(byTask.get(taskId)?.values() ?? [])].sort((a, b) => a.seq - b.seq),
    finished: (taskId) => [...(byTask.get(taskId)?.values() ?? [])].some((e) => e.type === 'exit'),
    waitFor: async (predicate, timeoutMs = 30_000, what = 'condition') => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
  app.post(EVENTS_CALLBACK_PATH, async (request, reply) => {
    if (!(await signedByProxy(request))) {
      state.unauthorized++;
      return reply.status(401).send({ error: { name: 'AuthenticationError', message: 'bad token' }, response: { statusCode: 401 } });
    }
    const batch = request.body as EventBatch;
    state.batches.push(batch);
    if (failures > 0) {
      failures--;
      state.refused++;
      return reply.status(500).send({ error: { name: 'InternalError', message: 'try again' }, response: { statusCode: 500 } });
    }
    let stored = 0;
    for (const event of batch.events) {
      let events = byTask.get(event.task_id);
      if (!events) byTask.set(event.task_id, (events = new Map<number, TaskEvent>()));
      const known = events.get(event.seq);
      if (!known) {
        events.set(event.seq, event);
        stored++;
      } else if (known.type !== event.type || known.data !== event.data) {
        state.conflicts.push(`${event.task_id}/${event.seq}`);
      }
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return { stored, duplicates: batch.events.length - stored };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, close: () => app.close() });
}
