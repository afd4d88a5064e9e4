/**
 * @module
 * Migration 0006: scheduled (future) jobs and cancel. `job_invocations.mode` (`immediate` |
 * `future`) and `start_before` (deadline after which a job that has not started is not started);
 * `template_invocations.cancel_requested_at` marks a task whose proxy was asked to stop it, so
 * that its exit is reported as cancelled. Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

/** Adds the scheduling and cancel columns. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('job_invocations').addColumn('mode', 'varchar(16)', (c) => c.notNull().defaultTo('immediate')).execute();
  await db.schema.alterTable('job_invocations').addColumn('start_before', 'varchar(32)').execute();
  await db.schema.alterTable('template_invocations').addColumn('cancel_requested_at', 'varchar(32)').execute();
}
