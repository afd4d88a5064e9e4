/**
 * @module
 * Parameter endpoints: `/api/common_parameters`, `/api/hosts/:host_id/parameters`,
 * `/api/hostgroups/:hostgroup_id/parameters` (Foreman API v2 shapes). `search` fields:
 * `parameter-search.ts`.
 */
import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { ConflictError, InputError, ListQuerySchema, NotFoundError, ParameterCreateSchema, ParameterListSchema, ParameterSchema, ParameterUpdateSchema, looseBoolean } from '@remex/common';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { ServerContext } from '../context.ts';
import type { Database, ParameterScope } from '../db/schema.ts';
import { flag, nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { SECRET_PARAMETERS, isHiddenParameter } from './hidden-parameters.ts';
import { compileParameterSearch } from './parameter-search.ts';
import { storedParameterValue } from './parameter-secrets.ts';
import { checkParameterName, serializeParameter } from './parameter-store.ts';

type OwnerResolver = (db: Kysely<Database>, ref: string) => Promise<number>;

const bool = (v: Parameters<typeof looseBoolean>[0] | null | undefined): boolean | undefined => (v === undefined || v === null ? undefined : looseBoolean(v));

function registerScoped(app: FastifyInstance, ctx: ServerContext, base: string, scope: ParameterScope, wrapKey: string, owner: OwnerResolver): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const tags = [scope === 'common' ? 'common_parameters' : `${scope}_parameters`];
  const ownerProp: Record<string, TSchema> = scope === 'common' ? {} : { owner: Type.String({ minLength: 1, description: `Id or name of the ${scope}` }) };
  const listPath = Type.Object(ownerProp);
  const itemPath = Type.Object({ ...ownerProp, id: Type.String({ minLength: 1, description: 'Parameter id or name' }) });
  const wrapped = unwrapBody(wrapKey);
  const ownerOf = async (params: object): Promise<number> => (scope === 'common' ? 0 : owner(db, (params as { owner?: string }).owner ?? ''));
  const find = async (scopeId: number, ref: string) => {
    const q = db.selectFrom('parameters').selectAll().where('scope', '=', scope).where('scope_id', '=', scopeId);
    const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
    if (!row) throw new NotFoundError(`Parameter '${ref}' not found`);
    return row;
  };

  api.get(base, { config: { access }, schema: { tags, summary: `List ${scope} parameters`, params: listPath, querystring: ListQuerySchema, response: { 200: ParameterListSchema } } }, async (req) => {
    const scopeId = await ownerOf(req.params);
    return listResource({
      params: listParams(req.query, ['name', 'id', 'parameter_type']),
      base: db.selectFrom('parameters').where('scope', '=', scope).where('scope_id', '=', scopeId),
      search: (text) => compileParameterSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', parameter_type: 'parameter_type' },
      defaultOrder: 'name',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeParameter),
    });
  });

  api.get(`${base}/:id`, { config: { access }, schema: { tags, summary: `Show a ${scope} parameter`, params: itemPath, response: { 200: ParameterSchema } } }, async (req) =>
    serializeParameter(await find(await ownerOf(req.params), req.params.id)),
  );

  api.post(base, { config: { access }, preValidation: wrapped, schema: { tags, summary: `Create a ${scope} parameter`, params: listPath, body: ParameterCreateSchema, response: { 201: ParameterSchema } } }, async (req, reply) => {
    const body = req.body;
    const name = body.name;
    checkParameterName(name);
    const rawValue = body.value;
    if (rawValue === undefined || rawValue === null) throw new InputError('value can\'t be blank');
    const value = typeof rawValue === 'string' ? rawValue : JSON.stringify(rawValue);
    const row = await db.transaction().execute(async (trx) => {
      const scopeId = scope === 'common' ? 0 : await owner(trx, (req.params as { owner?: string }).owner ?? '');
      const exists = await trx.selectFrom('parameters').select('id').where('scope', '=', scope).where('scope_id', '=', scopeId).where('name', '=', name).executeTakeFirst();
      if (exists) throw new ConflictError(`Name has already been taken: parameter '${name}' exists`);
      const now = nowIso();
      const hidden = flag(bool(body.hidden_value) === true || SECRET_PARAMETERS.has(name));
      return trx
        .insertInto('parameters')
        .values({ scope, scope_id: scopeId, name, value: storedParameterValue(ctx.secrets, name, hidden, value), parameter_type: body.parameter_type ?? 'string', hidden_value: hidden, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return reply.status(201).send(serializeParameter(row));
  });

  api.put(`${base}/:id`, { config: { access }, preValidation: wrapped, schema: { tags, summary: `Update a ${scope} parameter`, params: itemPath, body: ParameterUpdateSchema, response: { 200: ParameterSchema } } }, async (req) => {
    const body = req.body;
    const scopeId = await ownerOf(req.params);
    const row = await find(scopeId, req.params.id);
    const name = body.name ?? row.name;
    checkParameterName(name);
    const rawValue = body.value;
    // The value is opened and sealed again: a change of name or of the hidden mark may change whether it is sealed.
    const value = rawValue === undefined ? (isHiddenParameter(row.name, row.hidden_value) ? ctx.secrets.open(row.value) : row.value) : typeof rawValue === 'string' ? rawValue : JSON.stringify(rawValue);
    const given = bool(body.hidden_value);
    const hidden = given === undefined ? row.hidden_value : flag(given);
    const updated = await db
      .updateTable('parameters')
      .set({ name, value: storedParameterValue(ctx.secrets, name, hidden, value), hidden_value: hidden, updated_at: nowIso() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return serializeParameter(updated);
  });

  api.delete(`${base}/:id`, { config: { access }, schema: { tags, summary: `Delete a ${scope} parameter`, params: itemPath, response: { 200: ParameterSchema } } }, async (req) => {
    const row = await find(await ownerOf(req.params), req.params.id);
    await db.deleteFrom('parameters').where('id', '=', row.id).execute();
    return serializeParameter(row);
  });
}

/** Registers the three parameter families. */
export function registerParameterRoutes(app: FastifyInstance, ctx: ServerContext, owners: { host: OwnerResolver; hostgroup: OwnerResolver }): void {
  registerScoped(app, ctx, '/api/common_parameters', 'common', 'common_parameter', () => Promise.resolve(0));
  registerScoped(app, ctx, '/api/hosts/:owner/parameters', 'host', 'parameter', owners.host);
  registerScoped(app, ctx, '/api/hostgroups/:owner/parameters', 'hostgroup', 'parameter', owners.hostgroup);
}
