/**
 * @module
 * Migration 0009: per-proxy credentials (ADR 0007). `smart_proxies.credential_key_id` and
 * `smart_proxies.credential` (the secret, sealed with the server's SecretBox) of a registered
 * proxy; `proxy_credentials` holds credentials issued for a proxy name that is not registered
 * (yet, or again after a rotation) until a registration proves the proxy holds one. Proxies
 * registered before this migration have none and are not used until re-registered. The old
 * shared token (setting `_proxy_token`) is deleted.
 * Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Adds the columns and the table of issued credentials. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema.alterTable('smart_proxies').addColumn('credential_key_id', 'varchar(16)').execute();
  await db.schema.alterTable('smart_proxies').addColumn('credential', 'text').execute();
  await db.schema.createIndex('smart_proxies_credential_key_id').unique().on('smart_proxies').column('credential_key_id').execute();
  await db.schema
    .createTable('proxy_credentials')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('key_id', 'varchar(16)', (c) => c.notNull().unique())
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await (db as Kysely<{ settings: { name: string } }>).deleteFrom('settings').where('name', '=', '_proxy_token').execute();
}
