/**
 * @module
 * Migration 0004: value indexes that keep `facts.<name> = v` and `params.<name> = v` fast at
 * 100,000 hosts (`npm run bench -- --only search`):
 * - SQLite: covering B-tree indexes (name, value, owner), so the set of matching hosts is read
 *   from the index alone;
 * - PostgreSQL: hash indexes on the value. A B-tree entry is limited to about 2.7 kB and fact and
 *   parameter values may be longer (SSH keys, JSON facts); a hash index stores 4 bytes per row,
 *   serves `=` and `^ (…)`, and the planner ANDs it with the existing (name, …) indexes.
 * Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Adds the value indexes. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  if (h.dialect === 'sqlite') {
    await db.schema.createIndex('fact_values_name_value').on('fact_values').columns(['name', 'value', 'host_id']).execute();
    await db.schema.createIndex('parameters_name_scope_value').on('parameters').columns(['name', 'scope', 'value', 'scope_id']).execute();
  } else {
    await db.schema.createIndex('fact_values_value_hash').on('fact_values').using('hash').column('value').execute();
    await db.schema.createIndex('parameters_value_hash').on('parameters').using('hash').column('value').execute();
  }
}
