/**
 * @module
 * Migration 0029: webhooks and their durable delivery queue. `webhooks` holds what an admin
 * registered (URL, events, sealed secret, custom headers, enabled); `webhook_deliveries` one row
 * per event to deliver: its JSON payload, state (`pending`, `delivered`, `failed`), attempts, the
 * next attempt's time, the last answer (status code, error, duration) and the claim of the server
 * sending it (`claimed_by` until `lease_expires_at`). Never edit once landed.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Creates `webhooks` and `webhook_deliveries`. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('url', 'varchar(2048)', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', h.bigId, (c) => h.pk(c))
    .addColumn('webhook_id', 'integer', (c) => c.notNull())
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'varchar(1024)')
    .addColumn('duration_ms', 'integer')
    .addColumn('claimed_by', 'varchar(255)')
    .addColumn('lease_expires_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('delivered_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_webhook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();
}
