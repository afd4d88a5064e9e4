/**
 * @module
 * Migration 0041: Foreman's taxonomies (ADR 0023). `taxonomies` holds organizations and locations
 * (`type`), nested by `parent_id` with a `title` of the whole path (`Europe/Berlin`);
 * `taxable_taxonomies` puts host groups, subnets, smart proxies, job templates and users in them;
 * hosts get `organization_id` and `location_id`. Nothing is assigned here: a record in no
 * organization (location) belongs to all of them. Never edit once landed.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Creates `taxonomies`, `taxable_taxonomies` and the hosts' taxonomy columns. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('taxonomies')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('title', 'varchar(1024)', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('taxonomies.id'))
    .addColumn('description', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('taxonomies_type_title', ['type', 'title'])
    .execute();
  await db.schema
    .createTable('taxable_taxonomies')
    .addColumn('taxonomy_id', 'integer', (c) => c.notNull().references('taxonomies.id').onDelete('cascade'))
    .addColumn('taxable_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('taxable_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('taxable_taxonomies_pk', ['taxonomy_id', 'taxable_type', 'taxable_id'])
    .execute();
  await db.schema.createIndex('taxable_taxonomies_taxable').on('taxable_taxonomies').columns(['taxable_type', 'taxable_id']).execute();
  await db.schema.alterTable('hosts').addColumn('organization_id', 'integer').execute();
  await db.schema.alterTable('hosts').addColumn('location_id', 'integer').execute();
  await db.schema.createIndex('hosts_organization_id').on('hosts').column('organization_id').execute();
  await db.schema.createIndex('hosts_location_id').on('hosts').column('location_id').execute();
}
