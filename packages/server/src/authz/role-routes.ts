/**
 * @module
 * `/api/roles` (CRUD, clone; built-in roles are locked: 422 on edit or delete) and
 * `/api/permissions` (the catalog, searchable by `name` and `resource_type`).
 */
import {
  IdParamsSchema,
  ListQuerySchema,
  PermissionListSchema,
  RoleCloneSchema,
  RoleCreateSchema,
  RoleDetailSchema,
  RoleListSchema,
  RoleSchema,
  RoleUpdateSchema,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { compilePermissionSearch, compileRoleSearch, permissionRows } from './authz-search.ts';
import { checkRoleName, checkUnlocked, copyFilters, deleteRoleRows, findRole, roleDetail, serializeRole } from './role-store.ts';

/** Registers the role and permission routes. */
export function registerRoleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const tags = ['roles'];
  const wrapped = unwrapBody('role');

  api.get('/api/permissions', { config: { access }, schema: { tags, summary: 'List permissions', querystring: ListQuerySchema, response: { 200: PermissionListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'resource_type', 'id']),
      base: permissionRows(db),
      search: (text) => compilePermissionSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'permissions.name', resource_type: 'permissions.resource_type', id: 'permissions.id' },
      defaultOrder: 'id',
      select: (q) => q.select(['permissions.id', 'permissions.name', 'permissions.resource_type']),
      serialize: (rows) => rows.map((r) => ({ id: Number(r.id), name: r.name, resource_type: r.resource_type })),
    }),
  );

  api.get('/api/roles', { config: { access }, schema: { tags, summary: 'List roles', querystring: ListQuerySchema, response: { 200: RoleListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id']),
      base: db.selectFrom('roles'),
      search: (text) => compileRoleSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'roles.name', id: 'roles.id' },
      defaultOrder: 'name',
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeRole),
    }),
  );

  api.get('/api/roles/:id', { config: { access }, schema: { tags, summary: 'Show a role with its filters', params: IdParamsSchema, response: { 200: RoleDetailSchema } } }, async (req) =>
    roleDetail(db, await findRole(db, req.params.id)),
  );

  api.post('/api/roles', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Create a role', body: RoleCreateSchema, response: { 201: RoleSchema } } }, async (req, reply) => {
    const name = req.body.name.trim();
    const row = await db.transaction().execute(async (trx) => {
      await checkRoleName(trx, name);
      const now = nowIso();
      return trx.insertInto('roles').values({ name, builtin: 0, description: req.body.description ?? null, origin: null, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
    });
    return reply.status(201).send(serializeRole(row));
  });

  api.post('/api/roles/:id/clone', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Clone a role with its filters', params: IdParamsSchema, body: RoleCloneSchema, response: { 201: RoleSchema } } }, async (req, reply) => {
    const name = req.body.name.trim();
    const row = await db.transaction().execute(async (trx) => {
      const source = await findRole(trx, req.params.id);
      await checkRoleName(trx, name);
      const now = nowIso();
      const role = await trx
        .insertInto('roles')
        .values({ name, builtin: 0, description: req.body.description ?? source.description, origin: null, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await copyFilters(trx, source.id, role.id);
      return role;
    });
    return reply.status(201).send(serializeRole(row));
  });

  api.put('/api/roles/:id', { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Update a role', params: IdParamsSchema, body: RoleUpdateSchema, response: { 200: RoleSchema } } }, async (req) => {
    const row = await db.transaction().execute(async (trx) => {
      const role = await findRole(trx, req.params.id);
      checkUnlocked(role);
      const name = req.body.name?.trim() ?? role.name;
      await checkRoleName(trx, name, role.id);
      const description = req.body.description === undefined ? role.description : req.body.description;
      return trx.updateTable('roles').set({ name, description, updated_at: nowIso() }).where('id', '=', role.id).returningAll().executeTakeFirstOrThrow();
    });
    return serializeRole(row);
  });

  api.delete('/api/roles/:id', { config: { access }, schema: { tags, summary: 'Delete a role (its users lose it)', params: IdParamsSchema, response: { 200: RoleSchema } } }, async (req) =>
    db.transaction().execute(async (trx) => {
      const role = await findRole(trx, req.params.id);
      checkUnlocked(role);
      await deleteRoleRows(trx, role.id);
      return serializeRole(role);
    }),
  );
}
