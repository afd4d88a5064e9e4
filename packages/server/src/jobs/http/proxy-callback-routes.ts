/**
 * @module
 * `POST /api/proxy_callbacks/events`: proxies deliver event batches here, signed with their own
 * credential (`http/proxy-auth.ts`); a proxy's events count only for the tasks it was given.
 * A batch body is at most {@link CALLBACK_BODY_LIMIT}: proxies send ~900 KB batches (their
 * `delivery_batch_bytes`; even all-escaped JSON stays under the limit) and halve a batch that is
 * answered 413.
 *
 * A batch is stored in slices of {@link INGEST_SLICE} events, one transaction each, with a turn of
 * the event loop between them: a 5,000-event batch would otherwise hold the server (and its one
 * SQLite connection) for its whole ingest, delaying every other request. Storing is idempotent by
 * (task, seq), so a batch that fails half-way is stored whole by the proxy's retry, never twice.
 */
import { AuthenticationError, EVENTS_CALLBACK_PATH, EventBatchSchema } from '@remex/common';
import type { EventBatch } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../../context.ts';
import { currentProxy } from '../../http/proxy-auth.ts';
import { ingestEvents } from '../finish/event-ingest.ts';

/** Largest event batch body accepted (8 MiB). */
export const CALLBACK_BODY_LIMIT = 8 * 1024 * 1024;

/** Events stored per transaction. */
export const INGEST_SLICE = 500;

/** Registers the callback route. */
export function registerProxyCallbackRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(EVENTS_CALLBACK_PATH, { schema: { body: EventBatchSchema }, bodyLimit: CALLBACK_BODY_LIMIT }, async (req) => {
    const proxy = currentProxy(req);
    if (!proxy) throw new AuthenticationError('Proxy callbacks must be signed with the proxy credential');
    const batch = req.body as EventBatch;
    const result = { stored: 0, duplicates: 0, stopped: 0, foreign: 0 };
    for (let i = 0; i < batch.events.length; i += INGEST_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const part = await ingestEvents(ctx.store.db, ctx.bus, batch.events.slice(i, i + INGEST_SLICE), proxy.id, ctx.maxHostOutputBytes);
      result.stored += part.stored;
      result.duplicates += part.duplicates;
      result.stopped += part.stopped;
      result.foreign += part.foreign;
    }
    if (result.foreign > 0) {
      req.log.warn({ proxy: proxy.name, events: result.foreign }, 'dropped events for tasks this proxy was not given');
    }
    // Stopped tasks free slots of concurrency-limited jobs: look for work now.
    if (result.stopped > 0) ctx.dispatch.wake();
    return { stored: result.stored, duplicates: result.duplicates };
  });
}
