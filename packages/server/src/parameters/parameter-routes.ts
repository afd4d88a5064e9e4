/**
 * @module
 * Parameter endpoints: `/api/common_parameters`, `/api/hosts/:host_id/parameters`,
 * `/api/hostgroups/:hostgroup_id/parameters` (Foreman API v2 shapes). `search` fields:
 * `parameter-search.ts`; queries in {@link ParameterStore}.
 */
import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { ListQuerySchema, ParameterCreateSchema, ParameterListSchema, ParameterSchema, ParameterUpdateSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import type { ParameterScope } from '../db/schema.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { OWNED_PARAMETER_LEVELS, parameterOwnerId } from './parameter-owners.ts';
import type { OwnerResolver } from './parameter-store.ts';
import { ParameterStore } from './parameter-store.ts';

function registerScoped(app: FastifyInstance, ctx: ServerContext, base: string, scope: ParameterScope, wrapKey: string, owner: OwnerResolver): void {
  const api = typed(app);
  const store = new ParameterStore(ctx.store.db, ctx.secrets, scope, owner);
  const access = { auth: 'user' } as const;
  const tags = [scope === 'common' ? 'common_parameters' : `${scope}_parameters`];
  const ownerProp: Record<string, TSchema> = scope === 'common' ? {} : { owner: Type.String({ minLength: 1, description: `Id or name of the ${scope}` }) };
  const listPath = Type.Object(ownerProp);
  const itemPath = Type.Object({ ...ownerProp, id: Type.String({ minLength: 1, description: 'Parameter id or name' }) });
  const wrapped = unwrapBody(wrapKey);
  const ownerOf = (params: object): string | undefined => (params as { owner?: string }).owner;

  api.get(base, { config: { access }, schema: { tags, summary: `List ${scope} parameters`, params: listPath, querystring: ListQuerySchema, response: { 200: ParameterListSchema } } }, (req) =>
    store.list(ownerOf(req.params), listParams(req.query, ['name', 'id', 'parameter_type']), ctx.store.dialect, currentUser(req)),
  );

  api.get(`${base}/:id`, { config: { access }, schema: { tags, summary: `Show a ${scope} parameter`, params: itemPath, response: { 200: ParameterSchema } } }, (req) =>
    store.show(ownerOf(req.params), req.params.id),
  );

  api.post(base, { config: { access }, preValidation: wrapped, schema: { tags, summary: `Create a ${scope} parameter`, params: listPath, body: ParameterCreateSchema, response: { 201: ParameterSchema } } }, async (req, reply) =>
    reply.status(201).send(await store.create(ownerOf(req.params), req.body)),
  );

  api.put(`${base}/:id`, { config: { access }, preValidation: wrapped, schema: { tags, summary: `Update a ${scope} parameter`, params: itemPath, body: ParameterUpdateSchema, response: { 200: ParameterSchema } } }, (req) =>
    store.update(ownerOf(req.params), req.params.id, req.body),
  );

  api.delete(`${base}/:id`, { config: { access }, schema: { tags, summary: `Delete a ${scope} parameter`, params: itemPath, response: { 200: ParameterSchema } } }, (req) =>
    store.delete(ownerOf(req.params), req.params.id),
  );
}

/** Registers the three parameter families. */
export function registerParameterRoutes(app: FastifyInstance, ctx: ServerContext, owners: { host: OwnerResolver; hostgroup: OwnerResolver }): void {
  registerScoped(app, ctx, '/api/common_parameters', 'common', 'common_parameter', () => Promise.resolve(0));
  registerScoped(app, ctx, '/api/hosts/:owner/parameters', 'host', 'parameter', owners.host);
  registerScoped(app, ctx, '/api/hostgroups/:owner/parameters', 'hostgroup', 'parameter', owners.hostgroup);
  for (const level of OWNED_PARAMETER_LEVELS) registerScoped(app, ctx, level.base, level.scope, 'parameter', (db, ref) => parameterOwnerId(db, level.scope, ref));
}
