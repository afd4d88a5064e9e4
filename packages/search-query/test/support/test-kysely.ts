/**
 * @module
 * Kysely on a fresh `@remex/testkit` database (SQLite file or PostgreSQL database), for the
 * suites that run compiled queries.
 */
import { createTestDatabase, sqliteFilePath } from '@remex/testkit';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

import type { SearchDialect } from '../../src/index.ts';

/** A Kysely instance on a throw-away database. */
export interface TestKysely<DB> {
  readonly db: Kysely<DB>;
  readonly dialect: SearchDialect;
  /** Destroys the connections and drops the database. */
  close(): Promise<void>;
}

/** Opens Kysely on a fresh, empty `dialect` database made by `@remex/testkit`. */
export async function openTestKysely<DB>(dialect: SearchDialect): Promise<TestKysely<DB>> {
  const database = await createTestDatabase(dialect);
  const db =
    dialect === 'sqlite'
      ? new Kysely<DB>({ dialect: new SqliteDialect({ database: new Database(sqliteFilePath(database.url)) }) })
      : new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
  return {
    db,
    dialect,
    close: async () => {
      await db.destroy();
      await database.drop();
    },
  };
}
