/**
 * @module
 * Parameter endpoints: `/api/common_parameters`, `/api/hosts/:host_id/parameters`,
 * `/api/hostgroups/:hostgroup_id/parameters` (Foreman API v2 shapes). `search` fields:
 * `parameter-search.ts`.
 */
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { FastifyInstance } from 'fastify';
import type { Kysely, Selectable } from 'kysely';

import { countRows } from '../db/count-rows.ts';
import type { ServerContext } from '../context.ts';
import type { Database, ParameterScope, ParameterTable } from '../db/schema.ts';
import { flag, nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { field, listParams, listResponse, unwrap } from '../http/params.ts';
import { SECRET_PARAMETERS, isHiddenParameter } from './hidden-parameters.ts';
import { compileParameterSearch } from './parameter-search.ts';
import { sealForUpsert, storedParameterValue } from './parameter-secrets.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

/** Re-exported for the modules that read them from here. */
export { SECRET_PARAMETERS, isHiddenParameter };

/** Parameter as the API shows it. */
export function serializeParameter(p: Selectable<ParameterTable>): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    value: isHiddenParameter(p.name, p.hidden_value) ? '*****' : p.value,
    parameter_type: p.parameter_type,
    hidden_value: isHiddenParameter(p.name, p.hidden_value),
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/** Validates a parameter name. */
export function checkParameterName(name: string): void {
  if (!/^\S+$/.test(name)) throw new InputError(`Parameter name '${name}' must not contain spaces`);
}

/**
 * Inserts or replaces parameters of one owner (run inside a transaction). A value is sealed when
 * its name is a known secret or the row it replaces is marked hidden.
 */
export async function upsertParameters(
  db: Kysely<Database>,
  secrets: SecretBox,
  scope: ParameterScope,
  scopeId: number,
  params: ReadonlyArray<{ name: string; value: string }>,
): Promise<void> {
  const now = nowIso();
  for (const p of params) checkParameterName(p.name);
  const stored = await sealForUpsert(db, secrets, scope, [scopeId], params.map((p) => ({ scopeId, name: p.name, value: p.value })));
  for (const [i, p] of params.entries()) {
    const value = stored[i] ?? '';
    await db
      .insertInto('parameters')
      .values({ scope, scope_id: scopeId, name: p.name, value, parameter_type: 'string', hidden_value: flag(SECRET_PARAMETERS.has(p.name)), created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'scope_id', 'name']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}

/**
 * Reads Foreman's `*_parameters_attributes`: an array of `{name, value}` or a hash of them.
 * @param value - the attribute value from the request
 * @param key - the attribute name, for messages
 */
export function parameterAttributes(value: unknown, key: string): Array<{ name: string; value: string }> {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : null;
  if (items === null) throw new InputError(`${key} must be a list of {name, value}`);
  const seen = new Set<string>();
  return items.map((item, i) => {
    if (item === null || typeof item !== 'object') throw new InputError(`${key}[${i}] must be an object with name and value`);
    const obj = item as Record<string, unknown>;
    const name = field.required(obj, 'name');
    if (seen.has(name)) throw new InputError(`${key}[${i}]: parameter '${name}' is given twice`);
    seen.add(name);
    const v = obj.value;
    if (v === undefined || v === null) throw new InputError(`${key}[${i}] (${name}): value can't be blank`);
    return { name, value: typeof v === 'string' ? v : JSON.stringify(v) };
  });
}

type OwnerResolver = (db: Kysely<Database>, ref: string) => Promise<number>;

function registerScoped(app: FastifyInstance, ctx: ServerContext, base: string, scope: ParameterScope, wrapKey: string, owner: OwnerResolver): void {
  const db = ctx.store.db;
  const ownerOf = async (params: unknown): Promise<number> => {
    const ref = (params as Record<string, string>).owner;
    return scope === 'common' ? 0 : owner(db, ref ?? '');
  };
  const find = async (scopeId: number, ref: string) => {
    const q = db.selectFrom('parameters').selectAll().where('scope', '=', scope).where('scope_id', '=', scopeId);
    const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
    if (!row) throw new NotFoundError(`Parameter '${ref}' not found`);
    return row;
  };

  app.get(base, async (req) => {
    const scopeId = await ownerOf(req.params);
    const lp = listParams(req.query, ['name', 'id', 'parameter_type']);
    let q = db.selectFrom('parameters').where('scope', '=', scope).where('scope_id', '=', scopeId);
    const total = await countRows(q);
    if (lp.search) q = q.where(compileParameterSearch(lp.search, ctx.store.dialect, currentUser(req)));
    const subtotal = lp.search ? await countRows(q) : total;
    const rows = await q
      .selectAll()
      .orderBy((lp.order?.by ?? 'name') as 'name', lp.order?.direction ?? 'asc')
      .orderBy('id')
      .limit(lp.perPage)
      .offset((lp.page - 1) * lp.perPage)
      .execute();
    return listResponse(lp, total, subtotal, rows.map(serializeParameter));
  });

  app.get(`${base}/:id`, async (req) => serializeParameter(await find(await ownerOf(req.params), (req.params as { id: string }).id)));

  app.post(base, async (req, reply) => {
    const body = unwrap(req.body, wrapKey);
    const name = field.required(body, 'name');
    checkParameterName(name);
    const rawValue = body.value;
    if (rawValue === undefined || rawValue === null) throw new InputError('value can\'t be blank');
    const value = typeof rawValue === 'string' ? rawValue : JSON.stringify(rawValue);
    const row = await db.transaction().execute(async (trx) => {
      const scopeId = scope === 'common' ? 0 : await owner(trx, (req.params as Record<string, string>).owner ?? '');
      const exists = await trx.selectFrom('parameters').select('id').where('scope', '=', scope).where('scope_id', '=', scopeId).where('name', '=', name).executeTakeFirst();
      if (exists) throw new ConflictError(`Name has already been taken: parameter '${name}' exists`);
      const now = nowIso();
      const hidden = flag(field.bool(body, 'hidden_value') === true || SECRET_PARAMETERS.has(name));
      return trx
        .insertInto('parameters')
        .values({ scope, scope_id: scopeId, name, value: storedParameterValue(ctx.secrets, name, hidden, value), parameter_type: field.str(body, 'parameter_type') ?? 'string', hidden_value: hidden, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return reply.status(201).send(serializeParameter(row));
  });

  app.put(`${base}/:id`, async (req) => {
    const body = unwrap(req.body, wrapKey);
    const scopeId = await ownerOf(req.params);
    const row = await find(scopeId, (req.params as { id: string }).id);
    const name = field.str(body, 'name') ?? row.name;
    checkParameterName(name);
    const rawValue = body.value;
    // The value is opened and sealed again: a change of name or of the hidden mark may change whether it is sealed.
    const value = rawValue === undefined ? (isHiddenParameter(row.name, row.hidden_value) ? ctx.secrets.open(row.value) : row.value) : typeof rawValue === 'string' ? rawValue : JSON.stringify(rawValue);
    const given = field.bool(body, 'hidden_value');
    const hidden = given === undefined ? row.hidden_value : flag(given);
    const updated = await db
      .updateTable('parameters')
      .set({ name, value: storedParameterValue(ctx.secrets, name, hidden, value), hidden_value: hidden, updated_at: nowIso() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return serializeParameter(updated);
  });

  app.delete(`${base}/:id`, async (req) => {
    const row = await find(await ownerOf(req.params), (req.params as { id: string }).id);
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
