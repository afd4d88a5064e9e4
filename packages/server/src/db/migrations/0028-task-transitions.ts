/**
 * @module
 * Migration 0028: `task_transitions`, the timeline of each host task (claimed by a server, sent
 * to a proxy, accepted, started, first output, exit, cancel asked, errors with their cause), a
 * few rows per task, never one per output line. Never edit once landed.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Creates `task_transitions`. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('task_transitions')
    .addColumn('id', h.bigId, (c) => h.pk(c))
    .addColumn('task_id', 'integer', (c) => c.notNull())
    .addColumn('job_invocation_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('detail', 'varchar(1024)')
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_transitions_task').on('task_transitions').column('task_id').execute();
}
