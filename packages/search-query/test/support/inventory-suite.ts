/**
 * @module
 * Shared set-up of the suites that run queries on the fixture inventory: which dialects to run
 * on, and a fresh database loaded with the inventory for each `describe` block.
 */
import { DIALECTS } from '@remex/testkit';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';

import type { SearchDialect } from '../../src/index.ts';
import { loadInventory } from './inventory-fixture.ts';
import type { InventoryDatabase } from './inventory-fixture.ts';
import { openTestKysely } from './test-kysely.ts';
import type { TestKysely } from './test-kysely.ts';

/**
 * The requested dialects (`@remex/testkit`'s `DIALECTS`: the global setup has already dropped an
 * unreachable PostgreSQL with a warning, or failed the run under `CI`).
 * @param _suite - name of the suite (kept for the callers)
 */
export function inventoryDialects(_suite: string): Promise<SearchDialect[]> {
  return Promise.resolve([...DIALECTS]);
}

/**
 * Registers `beforeAll`/`afterAll` hooks in the calling `describe` block that open a fresh
 * `dialect` database with the fixture inventory and close it; returns a getter for it.
 */
export function useInventoryDatabase(dialect: SearchDialect): () => Kysely<InventoryDatabase> {
  let handle: TestKysely<InventoryDatabase> | undefined;
  beforeAll(async () => {
    handle = await openTestKysely<InventoryDatabase>(dialect);
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
