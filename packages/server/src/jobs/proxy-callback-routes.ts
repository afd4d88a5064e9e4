/**
 * @module
 * `POST /api/proxy_callbacks/events`: proxies deliver event batches here (Bearer proxy token).
 */
import { EVENTS_CALLBACK_PATH, EventBatchSchema } from '@remex/common';
import type { EventBatch } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { ingestEvents } from './event-ingest.ts';

/** Registers the callback route. */
export function registerProxyCallbackRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(EVENTS_CALLBACK_PATH, { schema: { body: EventBatchSchema }, bodyLimit: 256 * 1024 * 1024 }, async (req) => {
    const batch = req.body as EventBatch;
    const result = await ingestEvents(ctx.store.db, ctx.bus, batch.events);
    // Stopped tasks free slots of concurrency-limited jobs: look for work now.
    if (result.stopped > 0) ctx.dispatch.wake();
    return { stored: result.stored, duplicates: result.duplicates };
  });
}
