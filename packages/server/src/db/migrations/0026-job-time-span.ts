/**
 * @module
 * Migration 0026: `job_invocations.time_span`, Foreman's `concurrency_control[time_span]`: the
 * seconds over which the job's host starts are spread. Never edit once landed; add a new
 * numbered file.
 */
import type { Kysely } from 'kysely';

/** Adds the column (null: hosts start as fast as the concurrency level allows). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('job_invocations').addColumn('time_span', 'integer').execute();
}
