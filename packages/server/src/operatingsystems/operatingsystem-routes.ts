/**
 * @module
 * `/api/operatingsystems` (Foreman API v2). Schema-first: `@remex/common` `api/operatingsystem.ts`;
 * queries in {@link OperatingsystemStore}.
 */
import { IdParamsSchema, ListQuerySchema, OperatingsystemCreateSchema, OperatingsystemListSchema, OperatingsystemSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { OperatingsystemStore } from './operatingsystem-store.ts';

const TAGS = ['operatingsystems'];

/** Registers operating system routes. */
export function registerOperatingsystemRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const store = new OperatingsystemStore(ctx.store.db);
  const access = { auth: 'user' } as const;
  const wrapped = unwrapBody('operatingsystem');

  api.get('/api/operatingsystems', { config: { access }, schema: { tags: TAGS, summary: 'List operating systems', querystring: ListQuerySchema, response: { 200: OperatingsystemListSchema } } }, (req) =>
    store.list(listParams(req.query, ['name', 'id', 'family', 'major', 'minor']), ctx.store.dialect, currentUser(req)),
  );

  api.get('/api/operatingsystems/:id', { config: { access }, schema: { tags: TAGS, summary: 'Show an operating system', params: IdParamsSchema, response: { 200: OperatingsystemSchema } } }, (req) =>
    store.show(req.params.id),
  );

  api.post(
    '/api/operatingsystems',
    { config: { access }, preValidation: wrapped, schema: { tags: TAGS, summary: 'Create an operating system', body: OperatingsystemCreateSchema, response: { 201: OperatingsystemSchema } } },
    async (req, reply) => reply.status(201).send(await store.create(req.body)),
  );

  api.put(
    '/api/operatingsystems/:id',
    {
      config: { access },
      preValidation: wrapped,
      schema: { tags: TAGS, summary: 'Update an operating system', params: IdParamsSchema, body: OperatingsystemCreateSchema, response: { 200: OperatingsystemSchema } },
    },
    (req) => store.update(req.params.id, req.body),
  );

  api.delete('/api/operatingsystems/:id', { config: { access }, schema: { tags: TAGS, summary: 'Delete an operating system', params: IdParamsSchema, response: { 200: OperatingsystemSchema } } }, (req) =>
    store.delete(req.params.id),
  );
}
