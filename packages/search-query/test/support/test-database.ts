/**
 * @module
 * A fresh database per test file on SQLite (in memory) or PostgreSQL (a new database with a
 * random name on the server of `DATABASE_URL`, or `postgres://postgres@127.0.0.1:5432/postgres`,
 * dropped at the end). Dialects come from `REMEX_TEST_DIALECTS` ("sqlite,postgres"; default
 * both), the same variable the rest of the repository uses. (search-query may not import
 * `@remex/testkit`, so this is a small local copy.)
 */
import { randomBytes } from 'node:crypto';

import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

import type { SearchDialect } from '../../src/index.ts';

/** Dialects requested by `REMEX_TEST_DIALECTS` (default: both). */
export const DIALECTS: SearchDialect[] = (() => {
  const names = (process.env['REMEX_TEST_DIALECTS'] ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (names.length === 0) return ['sqlite', 'postgres'];
  return names.filter((n): n is SearchDialect => n === 'sqlite' || n === 'postgres');
})();

function adminUrl(): string {
  const env = process.env['DATABASE_URL'];
  if (env !== undefined && /^postgres(ql)?:\/\//i.test(env)) {
    const u = new URL(env);
    u.pathname = '/postgres';
    return u.toString();
  }
  return 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Whether the PostgreSQL server answers. */
export async function postgresReachable(): Promise<boolean> {
  try {
    await admin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/** A test database and how to get rid of it. */
export interface TestDatabase<DB> {
  readonly db: Kysely<DB>;
  readonly dialect: SearchDialect;
  /** Destroys the pool and drops the PostgreSQL database. */
  close(): Promise<void>;
}

/** Opens a fresh, empty database for one test file. */
export async function openTestDatabase<DB>(dialect: SearchDialect): Promise<TestDatabase<DB>> {
  if (dialect === 'sqlite') {
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    return { db, dialect, close: () => db.destroy() };
  }
  const name = `search_query_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect,
    close: async () => {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
