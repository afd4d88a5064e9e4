/**
 * @module
 * Search fields of roles (`name`, `builtin`), filters (`role`, `role_id`, `resource`,
 * `permission`) and permissions (`name`, `resource_type`), as Foreman's scoped_search names them.
 * Permissions are the code's catalog, listed through a `permissions` row source
 * ({@link permissionRows}) so they search, count and page like any table.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';

import { existsRow } from '../search/exists-row.ts';
import type { Database, FilterTable } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { PERMISSIONS } from './permissions.ts';

/** The row source of the permission catalog. */
export interface PermissionRowTable {
  id: number;
  name: string;
  resource_type: string;
}

/** Tables visible to the authz searches. */
export type AuthzSearchDB = Database & { permissions: PermissionRowTable; f: FilterTable };

/** The role search definition (over `roles`). */
export const roleSearch = defineSearch<Database, 'roles'>({
  fields: {
    name: { type: 'string', column: 'roles.name', description: 'Role name' },
    builtin: { type: 'integer', column: 'roles.builtin', onlyExplicit: true, description: '1 for built-in roles' },
    id: { type: 'integer', column: 'roles.id', onlyExplicit: true },
  },
});

/** The filter search definition (over `filters as f`). */
export const filterSearch = defineSearch<AuthzSearchDB, 'f'>({
  fields: {
    resource: { type: 'string', column: 'f.resource_type', description: 'Resource type' },
    role_id: { type: 'integer', column: 'f.role_id', onlyExplicit: true },
    id: { type: 'integer', column: 'f.id', onlyExplicit: true },
    role: {
      type: 'string',
      description: 'Role name',
      build: (eb, c) => existsRow(eb, eb.selectFrom('roles as fr').whereRef('fr.id', '=', 'f.role_id').where((w) => c.test(w.ref('fr.name')))),
    },
    permission: {
      type: 'string',
      description: 'A permission the filter grants',
      build: (eb, c) => existsRow(eb, eb.selectFrom('filter_permissions as fp').whereRef('fp.filter_id', '=', 'f.id').where((w) => c.test(w.ref('fp.permission')))),
    },
  },
});

/** The permission search definition (over `permissions`). */
export const permissionSearch = defineSearch<AuthzSearchDB, 'permissions'>({
  fields: {
    name: { type: 'string', column: 'permissions.name', description: 'Permission name' },
    resource_type: { type: 'string', column: 'permissions.resource_type', description: 'Resource type' },
  },
});

/** Compiles a role search. */
export function compileRoleSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'roles'>) => Expression<SqlBool> {
  return compileResourceSearch(roleSearch, query, dialect, user);
}

/** Compiles a filter search. */
export function compileFilterSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<AuthzSearchDB, 'f'>) => Expression<SqlBool> {
  return compileResourceSearch(filterSearch, query, dialect, user);
}

/** Compiles a permission search. */
export function compilePermissionSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<AuthzSearchDB, 'permissions'>) => Expression<SqlBool> {
  return compileResourceSearch(permissionSearch, query, dialect, user);
}

/** The permission catalog as a query (`permissions` with id, name, resource_type). */
export function permissionRows(db: Kysely<Database>) {
  const rows = sql.join(PERMISSIONS.map((p) => sql`select ${sql.lit(p.id)} as id, ${sql.lit(p.name)} as name, ${sql.lit(p.resource_type)} as resource_type`), sql` union all `);
  return (db as unknown as Kysely<AuthzSearchDB>).selectFrom(sql<PermissionRowTable>`(${rows})`.as('permissions'));
}
