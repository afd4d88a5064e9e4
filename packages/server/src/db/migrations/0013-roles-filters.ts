/**
 * @module
 * Migration 0013: roles, filters and role assignments (ADR 0011). A filter grants
 * `filter_permissions` (catalog names, see `authz/permissions.ts`) of one `resource_type` to its
 * role, limited to the records its `search` matches (null = unlimited). Built-in roles are seeded
 * at start, not here. (0012 is another branch's number.) Never edit once landed.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Creates roles, filters, filter_permissions and user_roles. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('description', 'text')
    .addColumn('origin', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('filters')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('resource_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('search', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filters_role_id').on('filters').column('role_id').execute();
  await db.schema
    .createTable('filter_permissions')
    .addColumn('filter_id', 'integer', (c) => c.notNull().references('filters.id').onDelete('cascade'))
    .addColumn('permission', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('filter_permissions_pk', ['filter_id', 'permission'])
    .execute();
  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id'])
    .execute();
  await db.schema.createIndex('user_roles_role_id').on('user_roles').column('role_id').execute();
}
