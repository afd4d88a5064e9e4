/**
 * @module
 * `/api/subnets` with `remote_execution_proxy_ids` (REX proxies of the subnet). Schema-first:
 * params, query, bodies and answers are the schemas of `@remex/common` (`api/subnet.ts`); the
 * queries are in {@link SubnetStore}.
 */
import { IdParamsSchema, ListQuerySchema, SubnetCreateSchema, SubnetListSchema, SubnetRecordSchema, SubnetSchema, SubnetUpdateSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { SUBNET_ORDER, SubnetStore } from './subnet-store.ts';

const TAGS = ['subnets'];

/** Registers subnet routes. */
export function registerSubnetRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const store = new SubnetStore(ctx.store.db);
  const access = { auth: 'user' } as const;

  api.get('/api/subnets', { config: { access }, schema: { tags: TAGS, summary: 'List subnets', querystring: ListQuerySchema, response: { 200: SubnetListSchema } } }, (req) =>
    store.list(listParams(req.query, SUBNET_ORDER), ctx.store.dialect, currentUser(req)),
  );

  api.get('/api/subnets/:id', { config: { access }, schema: { tags: TAGS, summary: 'Show a subnet', params: IdParamsSchema, response: { 200: SubnetSchema } } }, (req) =>
    store.get(req.params.id),
  );

  api.post(
    '/api/subnets',
    { config: { access }, preValidation: unwrapBody('subnet'), schema: { tags: TAGS, summary: 'Create a subnet', body: SubnetCreateSchema, response: { 201: SubnetSchema } } },
    async (req, reply) => reply.status(201).send(await store.create(req.body)),
  );

  api.put(
    '/api/subnets/:id',
    { config: { access }, preValidation: unwrapBody('subnet'), schema: { tags: TAGS, summary: 'Update a subnet', params: IdParamsSchema, body: SubnetUpdateSchema, response: { 200: SubnetSchema } } },
    (req) => store.update(req.params.id, req.body),
  );

  api.delete('/api/subnets/:id', { config: { access }, schema: { tags: TAGS, summary: 'Delete a subnet', params: IdParamsSchema, response: { 200: SubnetRecordSchema } } }, (req) =>
    store.delete(req.params.id),
  );
}
