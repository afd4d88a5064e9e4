/**
 * @module
 * Opens the store: SQLite (embedded default, WAL) or PostgreSQL, picked by URL, and runs the
 * migrations through Kysely's Migrator. A SQLite database and its `-wal`/`-shm` files are 0600
 * (they hold sealed secrets, but also everything else a user may not read).
 */
import fs from 'node:fs';
import path from 'node:path';

import { InternalError } from '@remex/common';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

import { migrationsFor } from './migrations/index.ts';
import type { DialectName } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { withStatementCache } from './sqlite-statement-cache.ts';

// COUNT(*) and bigserial ids come back as int8; they fit in a double for our purposes.
pg.types.setTypeParser(20, (v: string) => Number(v));

/** An open store. */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Closes connections. */
  destroy(): Promise<void>;
}

/** Parses `sqlite:///abs/path`, `sqlite://rel/path` or `file:` URLs to a filesystem path. */
function sqlitePath(url: string): string {
  const rest = url.replace(/^sqlite:\/\//, '').replace(/^file:\/\//, '');
  return rest === ':memory:' ? rest : path.resolve(rest);
}

/** Owner-only modes of the database and the files SQLite keeps beside it. */
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

/**
 * Creates the SQLite file (and its directory, when missing) readable by the owner only, and
 * narrows the modes of an existing one and of its `-wal`/`-shm`/`-journal` files. SQLite creates
 * those later with the database file's mode, so they are 0600 too.
 */
function createPrivately(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, PRIVATE_FILE);
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/**
 * Opens the database at `url` (`postgres://…` or `sqlite://…`).
 * @param url - database URL
 * @param options - `poolSize` for PostgreSQL (default 10); `onIdleError` hears of an idle
 *   PostgreSQL connection that broke (server restart, terminated backend). The pool drops that
 *   connection and opens a new one on demand; without a listener the error would end the process.
 */
export function openStore(url: string, options: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): Store {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    pool.on('error', (error: Error) => options.onIdleError?.(error));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', destroy: () => db.destroy() };
  }
  if (/^(sqlite|file):/.test(url)) {
    const file = sqlitePath(url);
    if (file !== ':memory:') createPrivately(file);
    const sqlite = new SQLite(file);
    // Deleted and overwritten content (e.g. a value in clear before it was sealed) is zeroed, not left in free pages.
    sqlite.pragma('secure_delete = ON');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, dialect: 'sqlite', destroy: () => db.destroy() };
  }
  throw new InternalError(`Unsupported DATABASE_URL '${url.replace(/\/\/[^@]*@/, '//***@')}': use postgres://… or sqlite://…`);
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrateToLatest(store: Store): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve(migrationsFor(store.dialect)) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new InternalError(`Migration ${failed?.migrationName ?? '?'} failed`, { cause: error });
  }
}
