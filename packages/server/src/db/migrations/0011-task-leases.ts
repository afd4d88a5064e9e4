/**
 * @module
 * Migration 0011: leases on task claims (ADR 0009). `template_invocations.claimed_by` is the
 * server instance (`hostname:pid:random`) that claimed a task for dispatch and
 * `lease_expires_at` until when that claim holds; both are cleared once a proxy accepted the
 * task. An index on `lease_expires_at` keeps the expiry sweep of every dispatcher tick cheap.
 * (0008 and 0010 are other branches' numbers.) Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

/** Adds the claim columns and the sweep's index. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('template_invocations').addColumn('claimed_by', 'varchar(255)').execute();
  await db.schema.alterTable('template_invocations').addColumn('lease_expires_at', 'varchar(32)').execute();
  await db.schema.createIndex('template_invocations_lease_expires_at').on('template_invocations').column('lease_expires_at').execute();
}
