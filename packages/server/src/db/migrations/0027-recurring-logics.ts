/**
 * @module
 * Migration 0027: recurring jobs (Foreman's recurring logic). `recurring_logics` holds the cron
 * line (in the server's time zone), the limits (`max_iteration`, `end_time`), the `purpose`, the
 * owner, the state (`active`, `disabled`, `cancelled`, `finished`), how many occurrences were
 * made (`iteration`) and when the pending one starts (`next_run_at`, the claim: a server makes the
 * following occurrence only by moving it, compare-and-set). Each occurrence is a job invocation
 * with `recurring_logic_id`. Never edit once landed.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Creates `recurring_logics` and links job invocations to it. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('recurring_logics')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('cron_line', 'varchar(255)', (c) => c.notNull())
    .addColumn('purpose', 'varchar(255)')
    .addColumn('max_iteration', 'integer')
    .addColumn('end_time', 'varchar(32)')
    .addColumn('iteration', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('next_run_at', 'varchar(32)')
    .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recurring_logics_due').on('recurring_logics').columns(['state', 'next_run_at']).execute();
  await db.schema.alterTable('job_invocations').addColumn('recurring_logic_id', 'integer').execute();
  await db.schema.createIndex('job_invocations_recurring_logic').on('job_invocations').column('recurring_logic_id').execute();
}
