/**
 * @module
 * `/api/hostgroups`: nested groups (`parent_id`), `title` = full path. Schema-first:
 * `@remex/common` `api/hostgroup.ts`; queries in {@link HostgroupStore}.
 */
import {
  HostgroupCreateSchema,
  HostgroupDetailSchema,
  HostgroupListSchema,
  HostgroupSchema,
  HostgroupUpdateSchema,
  IdParamsSchema,
  ListQuerySchema,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { HostgroupStore } from './hostgroup-store.ts';

/** Registers hostgroup routes. */
export function registerHostgroupRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const store = new HostgroupStore(ctx.store.db, ctx.secrets);
  const access = { auth: 'user' } as const;
  const tags = ['hostgroups'];
  const wrapped = unwrapBody('hostgroup');

  api.get('/api/hostgroups', { config: { access }, schema: { tags, summary: 'List hostgroups', querystring: ListQuerySchema, response: { 200: HostgroupListSchema } } }, (req) =>
    store.list(listParams(req.query, ['name', 'title', 'id']), ctx.store.dialect, currentUser(req)),
  );

  api.get('/api/hostgroups/:id', { config: { access }, schema: { tags, summary: 'Show a hostgroup with its parameters', params: IdParamsSchema, response: { 200: HostgroupDetailSchema } } }, (req) =>
    store.show(req.params.id),
  );

  api.post('/api/hostgroups', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Create a hostgroup', body: HostgroupCreateSchema, response: { 201: HostgroupSchema } } }, async (req, reply) =>
    reply.status(201).send(await store.create(req.body)),
  );

  api.put('/api/hostgroups/:id', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Update a hostgroup', params: IdParamsSchema, body: HostgroupUpdateSchema, response: { 200: HostgroupSchema } } }, (req) =>
    store.update(req.params.id, req.body),
  );

  api.delete('/api/hostgroups/:id', { config: { access }, schema: { tags, summary: 'Delete a hostgroup', params: IdParamsSchema, response: { 200: HostgroupSchema } } }, (req) =>
    store.delete(req.params.id),
  );
}
