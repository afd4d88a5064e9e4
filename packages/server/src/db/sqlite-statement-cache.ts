/**
 * @module
 * Prepared-statement reuse for Kysely's SQLite dialect. Kysely's SQLite driver calls
 * `database.prepare(sql)` for every query it runs; compiling the same SQL again and again was
 * a visible part of the server's CPU per ingested event batch. This wrapper hands out the
 * statement prepared earlier for the same SQL text (least recently used ones are dropped).
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept at most. (Default of {@link withStatementCache}.) */
const DEFAULT_CAPACITY = 500;
/** Longer SQL (e.g. a big `IN (…)` list) is prepared every time and not kept. */
const MAX_CACHED_SQL_LENGTH = 8192;

/**
 * Wraps `db` for `new SqliteDialect({ database })` so that the same SQL text reuses one
 * prepared statement. A statement still iterating (a streamed query) is not handed out twice:
 * that caller gets a fresh one.
 * @param db - the open better-sqlite3 handle
 * @param capacity - how many statements to keep
 */
export function withStatementCache(db: SQLite.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close(): void {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Map order is the recency order: move the hit to the end.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql);
      if (!cached && sql.length <= MAX_CACHED_SQL_LENGTH) {
        cache.set(sql, statement);
        if (cache.size > capacity) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
      }
      return statement;
    },
  };
}
