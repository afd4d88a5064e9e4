/**
 * @module
 * `/api/hosts`: CRUD, all parameters, facts upload/read.
 */

import { ConflictError, InputError } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import { countRows } from '../db/count-rows.ts';
import type { ServerContext } from '../context.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { field, listParams, unwrap } from '../http/params.ts';
import { SECRET_PARAMETERS, parameterAttributes, serializeParameter, upsertParameters } from '../parameters/parameter-store.ts';
import { resolveHostParameters } from '../parameters/parameter-resolver.ts';
import { compileFactSearch } from './fact-search.ts';
import { storeFacts } from './fact-store.ts';
import { compileHostSearch } from './host-search.ts';
import { hostQuery, selectHostColumns, serializeHost } from './host-serializer.ts';
import { checkHostAddress, checkHostName, findHost, refIds } from './host-store.ts';

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

  app.get('/api/hosts', async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id', 'ip', 'hostgroup', 'created_at']),
      base: hostQuery(db),
      total: () => countRows(db.selectFrom('hosts')),
      search: (text) => compileHostSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'h.name', id: 'h.id', ip: 'h.ip', hostgroup: 'hg.title', created_at: 'h.created_at' },
      defaultOrder: 'name',
      tiebreak: ['h.id'],
      select: (q) => selectHostColumns(q),
      serialize: (rows) => rows.map(serializeHost),
    }),
  );

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
    // Foreman answers facts as `{ host: { fact: value } }` inside the list envelope.
    return listResource({
      params: listParams(req.query, ['name', 'value']),
      base: db.selectFrom('fact_values').where('host_id', '=', h.id),
      search: (text) => compileFactSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', value: 'value' },
      defaultOrder: 'name',
      tiebreak: ['name'],
      select: (q) => q.select(['name', 'value']),
      serialize: (rows) => ({ [h.name]: Object.fromEntries(rows.map((r) => [r.name, r.value])) }) as never,
    });
  });
}
