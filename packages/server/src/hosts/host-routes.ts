/**
 * @module
 * `/api/hosts`: CRUD, all parameters, facts upload/read.
 */
import { isIP } from 'node:net';

import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import { countRows } from '../db/count-rows.ts';
import type { ServerContext } from '../context.ts';
import type { Database, HostRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { findHostgroup } from '../hostgroups/hostgroup-routes.ts';
import { currentUser } from '../http/auth.ts';
import { field, listParams, listResponse, unwrap } from '../http/params.ts';
import { SECRET_PARAMETERS, parameterAttributes, serializeParameter, upsertParameters } from '../parameters/parameter-routes.ts';
import { resolveHostParameters } from '../parameters/parameter-resolver.ts';
import { compileFactSearch } from './fact-search.ts';
import { storeFacts } from './fact-store.ts';
import { compileHostSearch } from './host-search.ts';
import { hostQuery, selectHostColumns, serializeHost } from './host-serializer.ts';

/** Finds a host by id or name; 404 otherwise. */
export async function findHost(db: Kysely<Database>, ref: string): Promise<HostRow> {
  const q = db.selectFrom('hosts').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Host '${ref}' not found`);
  return row;
}

const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Validates a host name (Foreman: no spaces, no upper case is normalised). */
export function checkHostName(name: string): string {
  const n = name.trim().toLowerCase();
  if (!HOST_NAME.test(n) || n.length > 255) throw new InputError(`Name '${name}' is not a valid host name`);
  return n;
}

/**
 * Checks a host address field: `ip` must be an IPv4 address, `ip6` an IPv6 one; blank clears it.
 * Returns `undefined` when the field is absent (an update leaves it unchanged).
 */
export function checkHostAddress(value: string | null | undefined, key: 'ip' | 'ip6'): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  const family = key === 'ip' ? 4 : 6;
  if (isIP(v) !== family) throw new InputError(`${key} '${value}' is not a valid IPv${family} address`);
  return v;
}

async function refIds(db: Kysely<Database>, body: Record<string, unknown>) {
  const hostgroupId = field.int(body, 'hostgroup_id');
  if (hostgroupId !== undefined && hostgroupId !== null) await findHostgroup(db, String(hostgroupId)).catch(() => {
    throw new InputError(`Hostgroup ${hostgroupId} does not exist`);
  });
  const hostgroupName = field.str(body, 'hostgroup_name') ?? field.str(body, 'hostgroup_title');
  const hgId = hostgroupName ? (await findHostgroup(db, hostgroupName)).id : hostgroupId;
  const subnetId = field.int(body, 'subnet_id');
  if (subnetId !== undefined && subnetId !== null && !(await db.selectFrom('subnets').select('id').where('id', '=', subnetId).executeTakeFirst())) {
    throw new InputError(`Subnet ${subnetId} does not exist`);
  }
  const osId = field.int(body, 'operatingsystem_id');
  if (osId !== undefined && osId !== null && !(await db.selectFrom('operatingsystems').select('id').where('id', '=', osId).executeTakeFirst())) {
    throw new InputError(`Operating system ${osId} does not exist`);
  }
  return { hostgroup_id: hgId, subnet_id: subnetId, operatingsystem_id: osId };
}

/** Registers host routes. */
export function registerHostRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;
  const show = async (id: number) => {
    const h = await selectHostColumns(hostQuery(db)).where('h.id', '=', id).executeTakeFirstOrThrow();
    const own = await db.selectFrom('parameters').selectAll().where('scope', '=', 'host').where('scope_id', '=', id).orderBy('name').execute();
    const all = (await resolveHostParameters(db, [h])).get(h.id) ?? {};
    const hiddenRows = await db.selectFrom('parameters').select('name').distinct().where('hidden_value', '=', 1).execute();
    const hidden = new Set([...SECRET_PARAMETERS, ...hiddenRows.map((r) => r.name)]);
    return {
      ...serializeHost(h),
      parameters: own.map(serializeParameter),
      all_parameters: Object.entries(all).map(([name, value]) => ({ name, value: hidden.has(name) ? '*****' : value })),
    };
  };

  app.get('/api/hosts', async (req) => {
    const lp = listParams(req.query, ['name', 'id', 'ip', 'hostgroup', 'created_at']);
    let q = hostQuery(db);
    if (lp.search) q = q.where(compileHostSearch(lp.search, ctx.store.dialect, currentUser(req)));
    const orderCol = lp.order?.by === 'hostgroup' ? 'hg.title' : (`h.${lp.order?.by ?? 'name'}` as 'h.name');
    // Total, subtotal and page are independent: on PostgreSQL they run on separate pooled connections.
    const [total, filtered, rows] = await Promise.all([
      countRows(db.selectFrom('hosts')),
      lp.search ? countRows(q) : Promise.resolve(null),
      selectHostColumns(q)
        .orderBy(orderCol, lp.order?.direction ?? 'asc')
        .orderBy('h.id')
        .limit(lp.perPage)
        .offset((lp.page - 1) * lp.perPage)
        .execute(),
    ]);
    const subtotal = filtered ?? total;
    return listResponse(lp, total, subtotal, rows.map(serializeHost));
  });

  app.get('/api/hosts/:id', async (req) => show((await findHost(db, (req.params as { id: string }).id)).id));

  app.post('/api/hosts', async (req, reply) => {
    const body = unwrap(req.body, 'host');
    const name = checkHostName(field.required(body, 'name'));
    const params = parameterAttributes(body.host_parameters_attributes, 'host_parameters_attributes');
    const id = await db.transaction().execute(async (trx) => {
      if (await trx.selectFrom('hosts').select('id').where('name', '=', name).executeTakeFirst()) {
        throw new ConflictError(`Name has already been taken: host '${name}' exists`);
      }
      const refs = await refIds(trx, body);
      const now = nowIso();
      const row = await trx
        .insertInto('hosts')
        .values({
          name,
          ip: checkHostAddress(field.str(body, 'ip'), 'ip') ?? null,
          ip6: checkHostAddress(field.str(body, 'ip6'), 'ip6') ?? null,
          hostgroup_id: refs.hostgroup_id ?? null,
          subnet_id: refs.subnet_id ?? null,
          operatingsystem_id: refs.operatingsystem_id ?? null,
          domain_name: field.str(body, 'domain_name') ?? null,
          comment: field.str(body, 'comment') ?? null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await upsertParameters(trx, ctx.secrets, 'host', row.id, params);
      return row.id;
    });
    return reply.status(201).send(await show(id));
  });

  app.put('/api/hosts/:id', async (req) => {
    const body = unwrap(req.body, 'host');
    const id = await db.transaction().execute(async (trx) => {
      const h = await findHost(trx, (req.params as { id: string }).id);
      const newName = field.str(body, 'name');
      const name = newName ? checkHostName(newName) : h.name;
      if (name !== h.name && (await trx.selectFrom('hosts').select('id').where('name', '=', name).executeTakeFirst())) {
        throw new ConflictError(`Name has already been taken: host '${name}' exists`);
      }
      const refs = await refIds(trx, body);
      const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v);
      await trx
        .updateTable('hosts')
        .set({
          name,
          ip: pick(checkHostAddress(field.str(body, 'ip'), 'ip'), h.ip),
          ip6: pick(checkHostAddress(field.str(body, 'ip6'), 'ip6'), h.ip6),
          hostgroup_id: pick(refs.hostgroup_id, h.hostgroup_id),
          subnet_id: pick(refs.subnet_id, h.subnet_id),
          operatingsystem_id: pick(refs.operatingsystem_id, h.operatingsystem_id),
          domain_name: pick(field.str(body, 'domain_name'), h.domain_name),
          comment: pick(field.str(body, 'comment'), h.comment),
          updated_at: nowIso(),
        })
        .where('id', '=', h.id)
        .execute();
      await upsertParameters(trx, ctx.secrets, 'host', h.id, parameterAttributes(body.host_parameters_attributes, 'host_parameters_attributes'));
      return h.id;
    });
    return show(id);
  });

  app.delete('/api/hosts/:id', async (req) => {
    return db.transaction().execute(async (trx) => {
      const h = await findHost(trx, (req.params as { id: string }).id);
      const shown = selectHostColumns(hostQuery(trx)).where('h.id', '=', h.id).executeTakeFirstOrThrow();
      const out = serializeHost(await shown);
      await trx.deleteFrom('parameters').where('scope', '=', 'host').where('scope_id', '=', h.id).execute();
      await trx.deleteFrom('fact_values').where('host_id', '=', h.id).execute();
      await trx.deleteFrom('hosts').where('id', '=', h.id).execute();
      return out;
    });
  });

  app.post('/api/hosts/facts', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = checkHostName(field.required(body, 'name'));
    const facts = body.facts;
    if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) throw new InputError('facts must be an object of fact name → value');
    const id = await db.transaction().execute((trx) => storeFacts(trx, name, facts as Record<string, unknown>));
    return reply.status(201).send(await show(id));
  });

  app.get('/api/hosts/:id/facts', async (req) => {
    const h = await findHost(db, (req.params as { id: string }).id);
    const lp = listParams(req.query, ['name', 'value']);
    let q = db.selectFrom('fact_values').where('host_id', '=', h.id);
    const total = await countRows(q);
    if (lp.search) q = q.where(compileFactSearch(lp.search, ctx.store.dialect, currentUser(req)));
    const subtotal = lp.search ? await countRows(q) : total;
    const rows = await q
      .select(['name', 'value'])
      .orderBy((lp.order?.by ?? 'name') as 'name', lp.order?.direction ?? 'asc')
      .orderBy('name')
      .limit(lp.perPage)
      .offset((lp.page - 1) * lp.perPage)
      .execute();
    return listResponse(lp, total, subtotal, { [h.name]: Object.fromEntries(rows.map((r) => [r.name, r.value])) } as never);
  });
}
