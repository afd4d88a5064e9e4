/**
 * @module
 * `/api/hosts`: CRUD, facts upload/read and the bulk import. Schema-first: `@remex/common`
 * `api/host.ts`; queries in {@link HostStore}.
 */
import {
  HostCreateSchema,
  HostDetailSchema,
  HostFactListSchema,
  HostFactsUploadSchema,
  HostImportResultSchema,
  HostImportSchema,
  HostKeyResetSchema,
  HostListSchema,
  HostSchema,
  HostUpdateSchema,
  IdParamsSchema,
  ListQuerySchema,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { resetHostKey } from './host-key-reset.ts';
import { HostStore } from './host-store.ts';

/** Largest accepted import body (20,000 rows with parameters). */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

/** Registers host routes. */
export function registerHostRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const store = new HostStore(ctx.store.db, ctx.secrets);
  const access = { auth: 'user' } as const;
  const tags = ['hosts'];
  const wrapped = unwrapBody('host');

  api.get('/api/hosts', { config: { access }, schema: { tags, summary: 'List hosts', querystring: ListQuerySchema, response: { 200: HostListSchema } } }, (req) =>
    store.list(listParams(req.query, ['name', 'id', 'ip', 'hostgroup', 'created_at']), ctx.store.dialect, currentUser(req)),
  );

  api.get('/api/hosts/:id', { config: { access }, schema: { tags, summary: 'Show a host with its parameters', params: IdParamsSchema, response: { 200: HostDetailSchema } } }, (req) =>
    store.show(req.params.id),
  );

  api.post('/api/hosts', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Create a host', body: HostCreateSchema, response: { 201: HostDetailSchema } } }, async (req, reply) =>
    reply.status(201).send(await store.create(req.body)),
  );

  api.put('/api/hosts/:id', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Update a host', params: IdParamsSchema, body: HostUpdateSchema, response: { 200: HostDetailSchema } } }, (req) =>
    store.update(req.params.id, req.body),
  );

  api.delete('/api/hosts/:id', { config: { access }, schema: { tags, summary: 'Delete a host', params: IdParamsSchema, response: { 200: HostSchema } } }, (req) => store.delete(req.params.id));

  api.post(
    '/api/hosts/:id/reset_host_key',
    { config: { access }, schema: { tags, summary: "Make every proxy forget the host's trusted SSH host key (after a re-key)", params: IdParamsSchema, response: { 200: HostKeyResetSchema } } },
    (req) => resetHostKey(ctx.store.db, ctx.secrets, ctx.settings, req.params.id),
  );

  api.post('/api/hosts/facts', { config: { access }, schema: { tags, summary: 'Upload the facts of a host', body: HostFactsUploadSchema, response: { 201: HostDetailSchema } } }, async (req, reply) =>
    reply.status(201).send(await store.uploadFacts(req.body.name, req.body.facts)),
  );

  api.get(
    '/api/hosts/:id/facts',
    { config: { access }, schema: { tags, summary: 'The facts of a host', params: IdParamsSchema, querystring: ListQuerySchema, response: { 200: HostFactListSchema } } },
    (req) => store.facts(req.params.id, listParams(req.query, ['name', 'value']), ctx.store.dialect, currentUser(req)),
  );

  api.post(
    '/api/hosts/import',
    {
      config: { access },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { tags, summary: 'Create or update hosts in bulk (all rows or none)', body: HostImportSchema, response: { 200: HostImportResultSchema } },
    },
    (req) => store.import(req.body),
  );
}
