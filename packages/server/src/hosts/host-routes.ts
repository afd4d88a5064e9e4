/**
 * @module
 * `/api/hosts`: CRUD, all parameters, facts upload/read.
 */
import type { Host } from '@remex/common';
import {
  ConflictError,
  HostCreateSchema,
  HostDetailSchema,
  HostFactsUploadSchema,
  HostListSchema,
  HostSchema,
  HostUpdateSchema,
  IdParamsSchema,
  ListQuerySchema,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import { countRows } from '../db/count-rows.ts';
import type { ServerContext } from '../context.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { SECRET_PARAMETERS, parameterAttributes, serializeParameter, upsertParameters } from '../parameters/parameter-store.ts';
import { resolveHostParameters } from '../parameters/parameter-resolver.ts';
import { compileFactSearch } from './fact-search.ts';
import { storeFacts } from './fact-store.ts';
import { compileHostSearch } from './host-search.ts';
import { hostQuery, selectHostColumns, serializeHost } from './host-serializer.ts';
import { checkHostAddress, checkHostName, findHost, refIds } from './host-store.ts';

/** Registers host routes. */
export function registerHostRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const tags = ['hosts'];
  const wrapped = unwrapBody('host');
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

  api.get('/api/hosts', { config: { access }, schema: { tags, summary: 'List hosts', querystring: ListQuerySchema, response: { 200: HostListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id', 'ip', 'hostgroup', 'created_at']),
      base: hostQuery(db),
      total: () => countRows(db.selectFrom('hosts')),
      search: (text) => compileHostSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'h.name', id: 'h.id', ip: 'h.ip', hostgroup: 'hg.title', created_at: 'h.created_at' },
      defaultOrder: 'name',
      tiebreak: ['h.id'],
      select: (q) => selectHostColumns(q),
      serialize: (rows): Host[] => rows.map(serializeHost),
    }),
  );

  api.get('/api/hosts/:id', { config: { access }, schema: { tags, summary: 'Show a host with its parameters', params: IdParamsSchema, response: { 200: HostDetailSchema } } }, async (req) =>
    show((await findHost(db, req.params.id)).id),
  );

  api.post('/api/hosts', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Create a host', body: HostCreateSchema, response: { 201: HostDetailSchema } } }, async (req, reply) => {
    const body = req.body;
    const name = checkHostName(body.name);
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
          ip: checkHostAddress(body.ip, 'ip') ?? null,
          ip6: checkHostAddress(body.ip6, 'ip6') ?? null,
          hostgroup_id: refs.hostgroup_id ?? null,
          subnet_id: refs.subnet_id ?? null,
          operatingsystem_id: refs.operatingsystem_id ?? null,
          domain_name: body.domain_name ?? null,
          comment: body.comment ?? null,
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

  api.put('/api/hosts/:id', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Update a host', params: IdParamsSchema, body: HostUpdateSchema, response: { 200: HostDetailSchema } } }, async (req) => {
    const body = req.body;
    const id = await db.transaction().execute(async (trx) => {
      const h = await findHost(trx, req.params.id);
      const newName = body.name;
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
          ip: pick(checkHostAddress(body.ip, 'ip'), h.ip),
          ip6: pick(checkHostAddress(body.ip6, 'ip6'), h.ip6),
          hostgroup_id: pick(refs.hostgroup_id, h.hostgroup_id),
          subnet_id: pick(refs.subnet_id, h.subnet_id),
          operatingsystem_id: pick(refs.operatingsystem_id, h.operatingsystem_id),
          domain_name: pick(body.domain_name, h.domain_name),
          comment: pick(body.comment, h.comment),
          updated_at: nowIso(),
        })
        .where('id', '=', h.id)
        .execute();
      await upsertParameters(trx, ctx.secrets, 'host', h.id, parameterAttributes(body.host_parameters_attributes, 'host_parameters_attributes'));
      return h.id;
    });
    return show(id);
  });

  api.delete('/api/hosts/:id', { config: { access }, schema: { tags, summary: 'Delete a host', params: IdParamsSchema, response: { 200: HostSchema } } }, async (req) => {
    return db.transaction().execute(async (trx) => {
      const h = await findHost(trx, req.params.id);
      const shown = selectHostColumns(hostQuery(trx)).where('h.id', '=', h.id).executeTakeFirstOrThrow();
      const out = serializeHost(await shown);
      await trx.deleteFrom('parameters').where('scope', '=', 'host').where('scope_id', '=', h.id).execute();
      await trx.deleteFrom('fact_values').where('host_id', '=', h.id).execute();
      await trx.deleteFrom('hosts').where('id', '=', h.id).execute();
      return out;
    });
  });

  api.post('/api/hosts/facts', { config: { access }, schema: { tags, summary: 'Upload the facts of a host', body: HostFactsUploadSchema, response: { 201: HostDetailSchema } } }, async (req, reply) => {
    const name = checkHostName(req.body.name);
    const facts = req.body.facts;
    const id = await db.transaction().execute((trx) => storeFacts(trx, name, facts));
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
