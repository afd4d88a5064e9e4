/**
 * @module
 * Migration 0010: `template_invocations.output_bytes`, the bytes of stdout/stderr stored for the
 * task, so event ingest can cap each host's output without summing its rows. Never edit once
 * landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

/** Adds the column (0 for tasks stored before it: their output was not capped). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('template_invocations').addColumn('output_bytes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
