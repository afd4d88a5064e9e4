/**
 * @module
 * `/api/webhooks`: CRUD (admins by default: `*_webhooks` permissions), the delivery log
 * (`GET /api/webhooks/:id/deliveries`) and a test action (`POST /api/webhooks/:id/test`: a
 * `ping` delivery sent at once and logged, its outcome in the answer).
 */
import { IdParamsSchema, ListQuerySchema, WebhookCreateSchema, WebhookDeliveryListSchema, WebhookListSchema, WebhookSchema, WebhookTestResultSchema, WebhookUpdateSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { emptyBodyAllowed, typed, unwrapBody } from '../http/schema-first.ts';
import { recordAttempt, sendDelivery } from './webhook-deliverer.ts';
import { compileWebhookDeliverySearch, compileWebhookSearch } from './webhook-search.ts';
import { createWebhook, deleteWebhook, findWebhook, serializeDelivery, serializeWebhook, updateWebhook } from './webhook-store.ts';

/** Registers the webhook routes. */
export function registerWebhookRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const tags = ['webhooks'];
  const retryBaseMs = ctx.webhookRetryBaseMs ?? 5000;

  api.get('/api/webhooks', { schema: { tags, summary: 'List webhooks', querystring: ListQuerySchema, response: { 200: WebhookListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['id', 'name']),
      base: db.selectFrom('webhooks'),
      search: (text) => compileWebhookSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { id: 'webhooks.id', name: 'webhooks.name' },
      defaultOrder: 'name',
      tiebreak: ['webhooks.id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeWebhook),
    }),
  );

  api.get('/api/webhooks/:id', { schema: { tags, summary: 'Show a webhook (never its secret)', params: IdParamsSchema, response: { 200: WebhookSchema } } }, async (req) => serializeWebhook(await findWebhook(db, req.params.id)));

  api.post('/api/webhooks', { preValidation: unwrapBody('webhook'), schema: { tags, summary: 'Register a webhook', body: WebhookCreateSchema, response: { 201: WebhookSchema } } }, async (req, reply) =>
    reply.status(201).send(serializeWebhook(await db.transaction().execute((trx) => createWebhook(trx, req.body, ctx.secrets)))),
  );

  api.put('/api/webhooks/:id', { preValidation: unwrapBody('webhook'), schema: { tags, summary: 'Change a webhook', params: IdParamsSchema, body: WebhookUpdateSchema, response: { 200: WebhookSchema } } }, async (req) =>
    serializeWebhook(await db.transaction().execute(async (trx) => updateWebhook(trx, await findWebhook(trx, req.params.id), req.body, ctx.secrets))),
  );

  api.delete('/api/webhooks/:id', { schema: { tags, summary: 'Delete a webhook and its delivery log', params: IdParamsSchema, response: { 200: WebhookSchema } } }, async (req) =>
    db.transaction().execute(async (trx) => {
      const w = await findWebhook(trx, req.params.id);
      await deleteWebhook(trx, w);
      return serializeWebhook(w);
    }),
  );

  api.get('/api/webhooks/:id/deliveries', { schema: { tags, summary: "A webhook's deliveries (newest first)", params: IdParamsSchema, querystring: ListQuerySchema, response: { 200: WebhookDeliveryListSchema } } }, async (req) => {
    const w = await findWebhook(db, req.params.id);
    return listResource({
      params: listParams(req.query, ['id']),
      base: db.selectFrom('webhook_deliveries').where('webhook_id', '=', w.id),
      search: (text) => compileWebhookDeliverySearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { id: 'webhook_deliveries.id' },
      defaultOrder: 'id',
      defaultDirection: 'desc',
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeDelivery),
    });
  });

  api.post('/api/webhooks/:id/test', { preValidation: emptyBodyAllowed, schema: { tags, summary: 'Send a ping delivery now and log it', params: IdParamsSchema, response: { 200: WebhookTestResultSchema } } }, async (req) => {
    const w = await findWebhook(db, req.params.id);
    const now = nowIso();
    const payload = JSON.stringify({ event: 'ping', sent_for: w.name, at: now });
    const delivery = await db
      .insertInto('webhook_deliveries')
      .values({ webhook_id: w.id, event: 'ping', payload, state: 'pending', attempts: 0, next_attempt_at: now, claimed_by: 'test', lease_expires_at: new Date(Date.now() + 60_000).toISOString(), created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const attempt = await sendDelivery(w, delivery, ctx.secrets);
    // A test is tried once: it is logged delivered or failed, never retried.
    const stored = await recordAttempt(db, delivery, attempt, retryBaseMs, true);
    return serializeDelivery(stored);
  });
}
