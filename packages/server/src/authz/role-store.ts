/**
 * @module
 * Roles, filters and user↔role assignments in the database (migration 0013): lookups, the
 * idempotent seeding of the built-in roles, and the store functions the users API uses to list
 * and replace a user's roles. Validation of filter bodies lives in `filter-input.ts`.
 */
import type { Filter, Role, RoleDetail } from '@remex/common';
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { Kysely, Transaction } from 'kysely';

import type { Database, FilterRow, RoleRow } from '../db/schema.ts';
import { isSet, nowIso } from '../db/time.ts';
import { BUILTIN_ROLES } from './builtin-roles.ts';
import { permissionByName } from './permissions.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The role with id or name `ref` (404 otherwise). */
export async function findRole(db: Db, ref: string | number): Promise<RoleRow> {
  const text = String(ref);
  const q = db.selectFrom('roles').selectAll();
  const row = /^[0-9]+$/.test(text) ? await q.where('id', '=', Number(text)).executeTakeFirst() : await q.where('name', '=', text).executeTakeFirst();
  if (!row) throw new NotFoundError(`Resource role not found by id '${text}'`);
  return row;
}

/** Refuses changes to a built-in role (422, Foreman: "This role is locked for editing"). */
export function checkUnlocked(role: RoleRow): void {
  if (isSet(role.builtin)) throw new InputError(`Role '${role.name}' is built in and locked for editing; clone it to change it`, { code: 'role_locked' });
}

/** Refuses a second role named `name` (409). */
export async function checkRoleName(db: Db, name: string, exceptId?: number): Promise<void> {
  let q = db.selectFrom('roles').select('id').where('name', '=', name);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new ConflictError(`Name has already been taken: role '${name}' exists`);
}

/** The role JSON. */
export function serializeRole(r: RoleRow): Role {
  const builtin = isSet(r.builtin);
  return { id: r.id, name: r.name, builtin, locked: builtin, description: r.description, origin: r.origin, created_at: r.created_at, updated_at: r.updated_at };
}

/** Permission names of each filter in `filterIds`. */
export async function filterPermissions(db: Db, filterIds: readonly number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (filterIds.length === 0) return map;
  const rows = await db.selectFrom('filter_permissions').select(['filter_id', 'permission']).where('filter_id', 'in', filterIds).orderBy('permission').execute();
  for (const r of rows) map.set(r.filter_id, [...(map.get(r.filter_id) ?? []), r.permission]);
  return map;
}

/** The filter JSON of `rows` (with their roles and permissions). */
export async function serializeFilters(db: Db, rows: readonly (FilterRow & { role_name: string })[]): Promise<Filter[]> {
  const perms = await filterPermissions(db, rows.map((r) => r.id));
  return rows.map((f) => ({
    id: f.id,
    resource_type: f.resource_type,
    search: f.search,
    unlimited: f.search === null,
    role: { id: f.role_id, name: f.role_name },
    permissions: (perms.get(f.id) ?? []).flatMap((name) => {
      const p = permissionByName(name);
      return p ? [{ id: p.id, name: p.name, resource_type: p.resource_type }] : [];
    }),
    created_at: f.created_at,
    updated_at: f.updated_at,
  }));
}

/** The filter with id `id` and its role's name (404 otherwise). */
export async function findFilter(db: Db, id: string): Promise<FilterRow & { role_name: string }> {
  const row = /^[0-9]+$/.test(id)
    ? await db.selectFrom('filters as f').innerJoin('roles as r', 'r.id', 'f.role_id').selectAll('f').select('r.name as role_name').where('f.id', '=', Number(id)).executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError(`Resource filter not found by id '${id}'`);
  return row;
}

/** A role with its filters. */
export async function roleDetail(db: Db, role: RoleRow): Promise<RoleDetail> {
  const rows = await db.selectFrom('filters as f').innerJoin('roles as r', 'r.id', 'f.role_id').selectAll('f').select('r.name as role_name').where('f.role_id', '=', role.id).orderBy('f.id').execute();
  const filters = await serializeFilters(db, rows);
  return { ...serializeRole(role), filters: filters.map((f) => ({ id: f.id, resource_type: f.resource_type, search: f.search, permissions: f.permissions })) };
}

/** Inserts a filter with its permissions (inside the caller's transaction). */
export async function insertFilter(db: Db, roleId: number, resourceType: string, permissions: readonly string[], search: string | null): Promise<FilterRow> {
  const now = nowIso();
  const f = await db.insertInto('filters').values({ role_id: roleId, resource_type: resourceType, search, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('filter_permissions').values(permissions.map((permission) => ({ filter_id: f.id, permission }))).execute();
  return f;
}

/** Deletes a role's filters, its assignments and the role itself. */
export async function deleteRoleRows(db: Db, roleId: number): Promise<void> {
  const filterIds = db.selectFrom('filters').select('id').where('role_id', '=', roleId);
  await db.deleteFrom('filter_permissions').where('filter_id', 'in', filterIds).execute();
  await db.deleteFrom('filters').where('role_id', '=', roleId).execute();
  await db.deleteFrom('user_roles').where('role_id', '=', roleId).execute();
  await db.deleteFrom('roles').where('id', '=', roleId).execute();
}

/** Copies the filters of role `fromId` to role `toId`. */
export async function copyFilters(db: Db, fromId: number, toId: number): Promise<void> {
  const rows = await db.selectFrom('filters').selectAll().where('role_id', '=', fromId).orderBy('id').execute();
  const perms = await filterPermissions(db, rows.map((r) => r.id));
  for (const f of rows) await insertFilter(db, toId, f.resource_type, perms.get(f.id) ?? [], f.search);
}

/**
 * Creates the built-in roles that are missing and brings the filters of existing ones back to
 * their definition (idempotent; run at every start, so a new permission reaches them).
 */
export async function seedBuiltinRoles(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const def of BUILTIN_ROLES) {
      const now = nowIso();
      const origin = def.name.startsWith('Remote Execution') ? 'foreman_remote_execution' : 'foreman';
      await trx
        .insertInto('roles')
        .values({ name: def.name, builtin: 1, description: def.description, origin, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const role = await findRole(trx, def.name);
      const current = await roleDetail(trx, role);
      const want = JSON.stringify(def.filters.map((f) => [f.resource_type, f.search, [...f.permissions].sort()]));
      const have = JSON.stringify(current.filters.map((f) => [f.resource_type, f.search, f.permissions.map((p) => p.name)]));
      if (want === have && isSet(role.builtin)) continue;
      const filterIds = trx.selectFrom('filters').select('id').where('role_id', '=', role.id);
      await trx.deleteFrom('filter_permissions').where('filter_id', 'in', filterIds).execute();
      await trx.deleteFrom('filters').where('role_id', '=', role.id).execute();
      for (const f of def.filters) await insertFilter(trx, role.id, f.resource_type, f.permissions, f.search);
      await trx.updateTable('roles').set({ builtin: 1, updated_at: now }).where('id', '=', role.id).execute();
    }
  });
}

/** Ids of the roles of user `userId`, ascending. */
export async function userRoleIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('user_roles').select('role_id').where('user_id', '=', userId).orderBy('role_id').execute();
  return rows.map((r) => r.role_id);
}

/**
 * Replaces the roles of user `userId` by `roleIds` inside the caller's transaction `trx` (each
 * must exist: 422 naming the missing ones). A non-admin caller must pass `checkAssignableRoles`
 * (escalation.ts) first.
 */
export async function setUserRoles(trx: Db, userId: number, roleIds: readonly number[]): Promise<void> {
  const ids = [...new Set(roleIds)];
  const found = ids.length === 0 ? [] : await trx.selectFrom('roles').select('id').where('id', 'in', ids).execute();
  const missing = ids.filter((id) => !found.some((r) => r.id === id));
  if (missing.length > 0) throw new InputError(`Role not found by id '${missing.join("', '")}'`);
  await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (ids.length > 0) await trx.insertInto('user_roles').values(ids.map((role_id) => ({ user_id: userId, role_id }))).execute();
}

/** {@link setUserRoles} in a transaction of its own. */
export async function replaceUserRoles(db: Kysely<Database>, userId: number, roleIds: readonly number[]): Promise<void> {
  await db.transaction().execute((trx) => setUserRoles(trx, userId, roleIds));
}

/** The roles (id, name) of each of `userIds`, by user id. */
export async function rolesOfUsers(db: Db, userIds: readonly number[]): Promise<Map<number, { id: number; name: string }[]>> {
  const out = new Map<number, { id: number; name: string }[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('user_roles as ur')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .select(['ur.user_id', 'r.id', 'r.name'])
    .where('ur.user_id', 'in', [...userIds])
    .orderBy('r.name')
    .execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), { id: r.id, name: r.name }]);
  return out;
}
