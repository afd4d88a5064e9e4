/**
 * @module
 * Migration 0007: `job_invocations.hidden_inputs`, the names of the inputs that were hidden when
 * the job was created (JSON array), so that a job's hidden values stay masked even if the
 * template's inputs change later. Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

/** Adds the column (null for jobs created before it: their template's current inputs decide). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('job_invocations').addColumn('hidden_inputs', 'text').execute();
}
