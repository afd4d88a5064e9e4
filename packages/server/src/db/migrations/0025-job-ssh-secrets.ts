/**
 * @module
 * Migration 0025: `job_invocations.ssh_password` and `job_invocations.key_passphrase`, a job's own
 * SSH password and key passphrase (Foreman's `password` and `key_passphrase` job parameters, hammer's
 * `--password` and `--key-passphrase`), sealed with the server's SecretBox like
 * `effective_user_password` (never in clear, never served). Never edit once landed; add a new
 * numbered file.
 */
import type { Kysely } from 'kysely';

/** Adds the columns (null: the host's `remote_execution_ssh_password` / `…_key_passphrase`, if any, apply). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('job_invocations').addColumn('ssh_password', 'text').execute();
  await db.schema.alterTable('job_invocations').addColumn('key_passphrase', 'text').execute();
}
