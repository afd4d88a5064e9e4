/**
 * @module
 * Migration 0017: the append-only `audits` table (ADR 0012). One row per audited create, update,
 * destroy or job cancel: the record (type, id, name at the time), the changed fields
 * (`audited_changes`, JSON text: `{field: [old, new]}` for an update, `{field: value}` for a
 * create or destroy; secrets stored as `*****`), who (`user_id` and `user_login`, the login kept
 * when the user is deleted: no foreign key), from where, the request id and the record's audit
 * version. Never edit once landed.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Creates `audits` and its indexes. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('audits')
    .addColumn('id', h.bigId, (c) => h.pk(c))
    .addColumn('auditable_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('auditable_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('auditable_name', 'varchar(255)')
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('audited_changes', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('user_login', 'varchar(255)')
    .addColumn('remote_address', 'varchar(64)')
    .addColumn('request_uuid', 'varchar(64)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audits_auditable').on('audits').columns(['auditable_type', 'auditable_id']).execute();
  await db.schema.createIndex('audits_created_at').on('audits').column('created_at').execute();
}
