/**
 * @module
 * Test helper: a migrated store on a fresh test database (for tests below the HTTP layer).
 */
import type { Dialect, TestDatabase } from '@remex/testkit';
import { createTestDatabase } from '@remex/testkit';

import type { Store } from '../src/db/database.ts';
import { migrateToLatest, openStore } from '../src/db/database.ts';

/** A migrated store and its database. */
export interface TestStore {
  store: Store;
  database: TestDatabase;
  /** Closes the store and drops the database. */
  close(): Promise<void>;
}

/** Opens a store on a fresh `dialect` database and migrates it to the latest schema. */
export async function openTestStore(dialect: Dialect): Promise<TestStore> {
  const database = await createTestDatabase(dialect);
  const store = openStore(database.url);
  await migrateToLatest(store);
  return {
    store,
    database,
    async close() {
      await store.destroy();
      await database.drop();
    },
  };
}
