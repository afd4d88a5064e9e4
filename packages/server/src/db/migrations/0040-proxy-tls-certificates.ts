/**
 * @module
 * Migration 0040: `smart_proxies.tls_certificate`, the PEM certificate an HTTPS proxy presented
 * at registration and vouched for in its signed answer; later requests trust exactly that
 * certificate (ADR 0018). `null` for a plain HTTP URL. Never edit once landed.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Adds `smart_proxies.tls_certificate`. */
export async function up(db: Kysely<unknown>, _h: MigrationHelpers): Promise<void> {
  await db.schema.alterTable('smart_proxies').addColumn('tls_certificate', 'text').execute();
}
