/**
 * @module
 * Fresh, empty, throw-away databases for tests: a file in its own temp dir for SQLite, a
 * randomly named `CREATE DATABASE` on the PostgreSQL server for PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import pg from 'pg';

import { tempDir } from '../fs/temp-dir.ts';
import type { Dialect } from './dialects.ts';

/** A database made for one test (file, suite). */
export interface TestDatabase {
  /** Engine. */
  kind: Dialect;
  /**
   * Connection URL. SQLite: `sqlite://` + absolute file path (`sqlite:///tmp/remex-db-x/test.sqlite3`).
   * PostgreSQL: `postgres://postgres@127.0.0.1:5432/remex_t_<random>`.
   */
  url: string;
  /** Deletes the database (PostgreSQL: `DROP DATABASE … WITH (FORCE)`; SQLite: removes its dir). Idempotent. */
  drop(): Promise<void>;
}

/** Server used when `DATABASE_URL` is not a PostgreSQL URL. */
export const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The maintenance-database URL of the PostgreSQL server tests use: `DATABASE_URL`'s server (with
 * database `postgres`) when it is a `postgres:`/`postgresql:` URL, else {@link DEFAULT_POSTGRES_ADMIN_URL}.
 */
export function postgresAdminUrl(): string {
  const env = process.env['DATABASE_URL'];
  if (env !== undefined && /^postgres(ql)?:\/\//i.test(env)) return withDatabase(env, 'postgres');
  return DEFAULT_POSTGRES_ADMIN_URL;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: timeoutMs });
  // A server-side disconnect must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let availability: Promise<boolean> | undefined;

/** Whether the PostgreSQL server of {@link postgresAdminUrl} accepts a connection (checked once per process). */
export function postgresAvailable(): Promise<boolean> {
  availability ??= withAdminClient(async (c) => {
    await c.query('SELECT 1');
    return true;
  }, 3_000).catch(() => false);
  return availability;
}

/** Options of {@link createTestDatabase}. */
export interface CreateTestDatabaseOptions {
  /**
   * URL of an existing database of the same kind (e.g. another {@link TestDatabase} you migrated
   * once per run) to copy instead of starting empty: `CREATE DATABASE … TEMPLATE …` on PostgreSQL
   * (nobody may be connected to the template), a file copy on SQLite (close its connections first).
   * (Default: none, an empty database.)
   */
  template?: string;
}

/** Absolute file path of a `sqlite://` URL (`sqlite:///abs/path` → `/abs/path`). */
export function sqliteFilePath(url: string): string {
  if (!url.startsWith('sqlite://')) throw new Error(`not a sqlite:// URL: ${url}`);
  return url.slice('sqlite://'.length);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates a fresh database, empty or copied from `options.template`.
 * - `sqlite`: a file `test.sqlite3` (zero bytes: a valid empty database) in its own temp dir.
 * - `postgres`: `CREATE DATABASE remex_t_<random>` on the server of `DATABASE_URL` (or
 *   `postgres://postgres@127.0.0.1:5432/postgres`); throws if the server is unreachable.
 *
 * Call `drop()` when done (e.g. in `afterAll`).
 *
 * @example
 * ```ts
 * describe.each(DIALECTS)('store on %s', (dialect) => {
 *   let db: TestDatabase;
 *   beforeAll(async () => { db = await createTestDatabase(dialect); });
 *   afterAll(() => db.drop());
 * });
 * ```
 */
export async function createTestDatabase(kind: Dialect, options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = await tempDir('remex-db-');
    const file = join(dir.path, 'test.sqlite3');
    if (options.template === undefined) await writeFile(file, '');
    else await copyFile(sqliteFilePath(options.template), file);
    return { kind, url: `sqlite://${file}`, drop: () => dir.cleanup() };
  }
  const name = `remex_t_${randomBytes(8).toString('hex')}`;
  const template =
    options.template === undefined ? '' : ` TEMPLATE ${quoteIdent(decodeURIComponent(new URL(options.template).pathname.slice(1)))}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${quoteIdent(name)}${template}`));
  let dropped = false;
  return {
    kind,
    url: withDatabase(postgresAdminUrl(), name),
    drop: async () => {
      if (dropped) return;
      await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
      dropped = true;
    },
  };
}
