/**
 * @module
 * `/api/hostgroups`: nested groups (`parent_id`), `title` = full path.
 */
import type { Hostgroup } from '@remex/common';
import {
  ConflictError,
  HostgroupCreateSchema,
  HostgroupDetailSchema,
  HostgroupListSchema,
  HostgroupSchema,
  HostgroupUpdateSchema,
  IdParamsSchema,
  InputError,
  ListQuerySchema,
  idRef,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import { countRows } from '../db/count-rows.ts';
import type { ServerContext } from '../context.ts';
import type { HostgroupRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { parameterAttributes, serializeParameter, upsertParameters } from '../parameters/parameter-store.ts';
import { compileHostgroupSearch } from './hostgroup-search.ts';
import { findHostgroup, retitleChildren } from './hostgroup-store.ts';

function serialize(g: HostgroupRow, parentName: string | null): Hostgroup {
  return { id: g.id, name: g.name, title: g.title, parent_id: g.parent_id, parent_name: parentName, created_at: g.created_at, updated_at: g.updated_at };
}

/** Registers hostgroup routes. */
export function registerHostgroupRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const tags = ['hostgroups'];
  const wrapped = unwrapBody('hostgroup');
  const withParent = async (g: HostgroupRow) =>
    serialize(g, g.parent_id === null ? null : ((await db.selectFrom('hostgroups').select('title').where('id', '=', g.parent_id).executeTakeFirst())?.title ?? null));

  api.get('/api/hostgroups', { config: { access }, schema: { tags, summary: 'List hostgroups', querystring: ListQuerySchema, response: { 200: HostgroupListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'title', 'id']),
      base: db.selectFrom('hostgroups as g').leftJoin('hostgroups as p', 'p.id', 'g.parent_id'),
      total: () => countRows(db.selectFrom('hostgroups')),
      search: (text) => compileHostgroupSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'g.name', title: 'g.title', id: 'g.id' },
      defaultOrder: 'title',
      select: (q) => q.selectAll('g').select('p.title as parent_title'),
      serialize: (rows) => rows.map((r) => serialize(r, r.parent_title)),
    }),
  );

  api.get('/api/hostgroups/:id', { config: { access }, schema: { tags, summary: 'Show a hostgroup with its parameters', params: IdParamsSchema, response: { 200: HostgroupDetailSchema } } }, async (req) => {
    const g = await findHostgroup(db, req.params.id);
    const params = await db.selectFrom('parameters').selectAll().where('scope', '=', 'hostgroup').where('scope_id', '=', g.id).orderBy('name').execute();
    return { ...(await withParent(g)), parameters: params.map(serializeParameter) };
  });

  api.post('/api/hostgroups', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Create a hostgroup', body: HostgroupCreateSchema, response: { 201: HostgroupSchema } } }, async (req, reply) => {
    const body = req.body;
    const name = body.name;
    if (name.includes('/')) throw new InputError(`Hostgroup name '${name}' must not contain '/'; use parent_id to nest`);
    const parentId = body.parent_id === undefined ? undefined : idRef(body.parent_id);
    const params = parameterAttributes(body.group_parameters_attributes ?? body.hostgroup_parameters_attributes, 'group_parameters_attributes');
    const row = await db.transaction().execute(async (trx) => {
      const parent = parentId ? await findHostgroup(trx, String(parentId)).catch(() => {
        throw new InputError(`Parent hostgroup ${parentId} does not exist`);
      }) : null;
      const title = parent ? `${parent.title}/${name}` : name;
      if (await trx.selectFrom('hostgroups').select('id').where('title', '=', title).executeTakeFirst()) {
        throw new ConflictError(`Name has already been taken: hostgroup '${title}' exists`);
      }
      const now = nowIso();
      const g = await trx
        .insertInto('hostgroups')
        .values({ name, title, parent_id: parent?.id ?? null, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await upsertParameters(trx, ctx.secrets, 'hostgroup', g.id, params);
      return g;
    });
    return reply.status(201).send(await withParent(row));
  });

  api.put('/api/hostgroups/:id', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Update a hostgroup', params: IdParamsSchema, body: HostgroupUpdateSchema, response: { 200: HostgroupSchema } } }, async (req) => {
    const body = req.body;
    const row = await db.transaction().execute(async (trx) => {
      const g = await findHostgroup(trx, req.params.id);
      const name = body.name ?? g.name;
      if (name.includes('/')) throw new InputError(`Hostgroup name '${name}' must not contain '/'`);
      const parentIdIn = body.parent_id === undefined ? undefined : idRef(body.parent_id);
      const parentId = parentIdIn === undefined ? g.parent_id : parentIdIn;
      let parentTitle: string | null = null;
      if (parentId !== null) {
        const p = await findHostgroup(trx, String(parentId));
        if (p.id === g.id || p.title.startsWith(`${g.title}/`)) throw new InputError('A hostgroup cannot be its own ancestor');
        parentTitle = p.title;
      }
      const title = parentTitle ? `${parentTitle}/${name}` : name;
      const clash = await trx.selectFrom('hostgroups').select('id').where('title', '=', title).where('id', '!=', g.id).executeTakeFirst();
      if (clash) throw new ConflictError(`Name has already been taken: hostgroup '${title}' exists`);
      const updated = await trx
        .updateTable('hostgroups')
        .set({ name, parent_id: parentId, title, updated_at: nowIso() })
        .where('id', '=', g.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await retitleChildren(trx, g.id, title);
      await upsertParameters(trx, ctx.secrets, 'hostgroup', g.id, parameterAttributes(body.group_parameters_attributes, 'group_parameters_attributes'));
      return updated;
    });
    return withParent(row);
  });

  api.delete('/api/hostgroups/:id', { config: { access }, schema: { tags, summary: 'Delete a hostgroup', params: IdParamsSchema, response: { 200: HostgroupSchema } } }, async (req) => {
    return db.transaction().execute(async (trx) => {
      const g = await findHostgroup(trx, req.params.id);
      if (await trx.selectFrom('hostgroups').select('id').where('parent_id', '=', g.id).executeTakeFirst()) {
        throw new ConflictError(`Hostgroup '${g.title}' has nested hostgroups; delete them first`);
      }
      await trx.updateTable('hosts').set({ hostgroup_id: null }).where('hostgroup_id', '=', g.id).execute();
      await trx.deleteFrom('parameters').where('scope', '=', 'hostgroup').where('scope_id', '=', g.id).execute();
      await trx.deleteFrom('hostgroups').where('id', '=', g.id).execute();
      return serialize(g, null);
    });
  });
}
