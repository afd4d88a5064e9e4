/**
 * @module
 * Shared set-up of the suites that run queries on the fixture inventory: which dialects to run
 * on, and a fresh database loaded with the inventory for each `describe` block.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';

import type { SearchDialect } from '../../src/index.ts';
import { loadInventory } from './inventory-fixture.ts';
import type { InventoryDatabase } from './inventory-fixture.ts';
import { DIALECTS, openTestDatabase, postgresReachable } from './test-database.ts';
import type { TestDatabase } from './test-database.ts';

/**
 * The requested dialects, minus PostgreSQL when its server does not answer (said on stderr; under
 * `CI` the global setup has already failed the run in that case).
 * @param suite - name of the suite, for the warning
 */
export async function inventoryDialects(suite: string): Promise<SearchDialect[]> {
  const pgUp = DIALECTS.includes('postgres') ? await postgresReachable() : false;
  if (DIALECTS.includes('postgres') && !pgUp) process.stderr.write(`!! ${suite}: PostgreSQL unreachable, running on SQLite only\n`);
  return DIALECTS.filter((d) => d !== 'postgres' || pgUp);
}

/**
 * Registers `beforeAll`/`afterAll` hooks in the calling `describe` block that open a fresh
 * `dialect` database with the fixture inventory and close it; returns a getter for it.
 */
export function useInventoryDatabase(dialect: SearchDialect): () => Kysely<InventoryDatabase> {
  let handle: TestDatabase<InventoryDatabase> | undefined;
  beforeAll(async () => {
    handle = await openTestDatabase<InventoryDatabase>(dialect);
    await loadInventory(handle.db, dialect);
  });
  afterAll(async () => {
    await handle?.close();
  });
  return () => {
    if (!handle) throw new Error('the inventory database is opened in beforeAll');
    return handle.db;
  };
}
