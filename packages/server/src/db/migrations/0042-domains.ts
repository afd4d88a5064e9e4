/**
 * @module
 * Migration 0042: `domains` (Foreman's DNS domains: name, fullname) and `hosts.domain_id`. A
 * host's `domain_name` stays (templates and searches read it); a host put in a domain takes its
 * name there. Parameters of organizations, locations, domains and operating systems live in
 * `parameters` with those scopes (no schema change). Never edit once landed.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Creates `domains` and `hosts.domain_id`. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('domains')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('fullname', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('hosts').addColumn('domain_id', 'integer').execute();
  await db.schema.createIndex('hosts_domain_id').on('hosts').column('domain_id').execute();
}
