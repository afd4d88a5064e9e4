/**
 * @module
 * `/api/domains` (Foreman API v2). Schema-first: `@remex/common` `api/domain.ts`; queries in
 * {@link DomainStore}.
 */
import { DomainBodySchema, DomainListSchema, DomainSchema, IdParamsSchema, ListQuerySchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { DomainStore } from './domain-store.ts';

/** Registers domain routes. */
export function registerDomainRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const store = new DomainStore(ctx.store.db);
  const access = { auth: 'user' } as const;
  const tags = ['domains'];
  const wrapped = unwrapBody('domain');
  api.get('/api/domains', { config: { access }, schema: { tags, summary: 'List domains', querystring: ListQuerySchema, response: { 200: DomainListSchema } } }, (req) =>
    store.list(listParams(req.query, ['name', 'id']), ctx.store.dialect, currentUser(req)),
  );
  api.get('/api/domains/:id', { config: { access }, schema: { tags, summary: 'Show a domain', params: IdParamsSchema, response: { 200: DomainSchema } } }, (req) => store.show(req.params.id));
  api.post('/api/domains', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Create a domain', body: DomainBodySchema, response: { 201: DomainSchema } } }, async (req, reply) =>
    reply.status(201).send(await store.create(req.body)),
  );
  api.put('/api/domains/:id', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Rename a domain (also on its hosts)', params: IdParamsSchema, body: DomainBodySchema, response: { 200: DomainSchema } } }, (req) =>
    store.update(req.params.id, req.body),
  );
  api.delete('/api/domains/:id', { config: { access }, schema: { tags, summary: 'Delete a domain without hosts', params: IdParamsSchema, response: { 200: DomainSchema } } }, (req) => store.delete(req.params.id));
}
