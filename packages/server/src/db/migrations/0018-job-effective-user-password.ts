/**
 * @module
 * Migration 0018: `job_invocations.effective_user_password`, the `ssh[effective_user_password]`
 * of a job, sealed with the server's SecretBox (never in clear, never served). Never edit once
 * landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

/** Adds the column (null: the host's `remote_execution_effective_user_password`, if any, applies). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('job_invocations').addColumn('effective_user_password', 'text').execute();
}
