/**
 * @module
 * `/api/filters`: a filter grants permissions of one resource type to a role, limited by an
 * optional search in that resource's language (422 for unknown permissions or resource types,
 * mixed resource types, or a search that does not compile). Filters of built-in roles are locked.
 */
import type { FilterCreate } from '@remex/common';
import { FilterCreateSchema, FilterListSchema, FilterSchema, FilterUpdateSchema, IdParamsSchema, InputError, ListQuerySchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import type { AuthzSearchDB } from './authz-search.ts';
import { compileFilterSearch } from './authz-search.ts';
import { checkGrantable } from './escalation.ts';
import { checkFilterInput } from './filter-input.ts';
import { checkUnlocked, filterPermissions, findFilter, findRole, insertFilter, serializeFilters } from './role-store.ts';
import type { Kysely } from 'kysely';

type FilterBody = Partial<Omit<FilterCreate, 'role_id'>>;

/** Permission refs of a body (`permission_ids` and/or `permissions`), or undefined when it gives none. */
function permissionRefs(body: FilterBody): (string | number)[] | undefined {
  if (body.permission_ids === undefined && body.permissions === undefined) return undefined;
  return [...(body.permission_ids ?? []), ...(body.permissions ?? [])];
}

/** Registers the filter routes. */
export function registerFilterRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const dialect = ctx.store.dialect;
  const access = { auth: 'user' } as const;
  const tags = ['filters'];
  const wrapped = unwrapBody('filter');
  const show = async (id: number) => {
    const [shown] = await serializeFilters(db, [await findFilter(db, String(id))]);
    if (shown === undefined) throw new InputError(`Filter ${id} vanished`);
    return shown;
  };

  api.get('/api/filters', { config: { access }, schema: { tags, summary: 'List filters', querystring: ListQuerySchema, response: { 200: FilterListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['id', 'resource', 'role_id']),
      base: (db as unknown as Kysely<AuthzSearchDB>).selectFrom('filters as f'),
      search: (text) => compileFilterSearch(text, dialect, currentUser(req)),
      orderColumns: { id: 'f.id', resource: 'f.resource_type', role_id: 'f.role_id' },
      defaultOrder: 'id',
      select: (q) => q.selectAll('f').select((eb) => eb.selectFrom('roles as r').select('r.name').whereRef('r.id', '=', 'f.role_id').as('role_name')),
      serialize: (rows) => serializeFilters(db, rows.map((r) => ({ ...r, role_name: r.role_name ?? '' }))),
    }),
  );

  api.get('/api/filters/:id', { config: { access }, schema: { tags, summary: 'Show a filter', params: IdParamsSchema, response: { 200: FilterSchema } } }, async (req) =>
    show((await findFilter(db, req.params.id)).id),
  );

  api.post('/api/filters', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Create a filter', body: FilterCreateSchema, response: { 201: FilterSchema } } }, async (req, reply) => {
    const refs = permissionRefs(req.body);
    if (refs === undefined) throw new InputError('A filter needs at least one permission (permission_ids or permissions)');
    const input = checkFilterInput(refs, req.body.resource_type, req.body.search, dialect);
    checkGrantable(input.permissions);
    const id = await db.transaction().execute(async (trx) => {
      const role = await findRole(trx, String(req.body.role_id)).catch(() => {
        throw new InputError(`Role ${String(req.body.role_id)} does not exist`);
      });
      checkUnlocked(role);
      return (await insertFilter(trx, role.id, input.resource_type, input.permissions, input.search)).id;
    });
    return reply.status(201).send(await show(id));
  });

  api.put('/api/filters/:id', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Update a filter', params: IdParamsSchema, body: FilterUpdateSchema, response: { 200: FilterSchema } } }, async (req) => {
    const id = await db.transaction().execute(async (trx) => {
      const f = await findFilter(trx, req.params.id);
      checkUnlocked(await findRole(trx, f.role_id));
      const refs = permissionRefs(req.body) ?? (await filterPermissions(trx, [f.id])).get(f.id) ?? [];
      const search = req.body.search === undefined ? f.search : req.body.search;
      const input = checkFilterInput(refs, req.body.resource_type ?? (permissionRefs(req.body) === undefined ? f.resource_type : undefined), search, dialect);
      checkGrantable(input.permissions);
      await trx.updateTable('filters').set({ resource_type: input.resource_type, search: input.search, updated_at: nowIso() }).where('id', '=', f.id).execute();
      await trx.deleteFrom('filter_permissions').where('filter_id', '=', f.id).execute();
      await trx.insertInto('filter_permissions').values(input.permissions.map((permission) => ({ filter_id: f.id, permission }))).execute();
      return f.id;
    });
    return show(id);
  });

  api.delete('/api/filters/:id', { config: { access }, schema: { tags, summary: 'Delete a filter', params: IdParamsSchema, response: { 200: FilterSchema } } }, async (req) =>
    db.transaction().execute(async (trx) => {
      const f = await findFilter(trx, req.params.id);
      checkUnlocked(await findRole(trx, f.role_id));
      const [shown] = await serializeFilters(trx, [f]);
      if (shown === undefined) throw new InputError(`Filter ${f.id} vanished`);
      await trx.deleteFrom('filter_permissions').where('filter_id', '=', f.id).execute();
      await trx.deleteFrom('filters').where('id', '=', f.id).execute();
      return shown;
    }),
  );
}
