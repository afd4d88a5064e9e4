/**
 * @module
 * Test databases: a fresh SQLite file and a fresh PostgreSQL database, used and dropped.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

import { createTestDatabase, DIALECTS, parseDialects, postgresAvailable, sqliteFilePath } from '@remex/testkit';

describe('parseDialects', () => {
  it('defaults to both and parses lists', () => {
    expect(parseDialects(undefined)).toEqual(['sqlite', 'postgres']);
    expect(parseDialects('')).toEqual(['sqlite', 'postgres']);
    expect(parseDialects(' Postgres , sqlite,postgres')).toEqual(['postgres', 'sqlite']);
    expect(() => parseDialects('mysql')).toThrow(/unknown dialect/);
  });
});

describe('createTestDatabase("sqlite")', () => {
  it('gives an empty file in its own dir, removed by drop', async () => {
    const db = await createTestDatabase('sqlite');
    expect(db.kind).toBe('sqlite');
    expect(db.url).toMatch(/^sqlite:\/\/\/.+\.sqlite3$/);
    const file = sqliteFilePath(db.url);
    expect(statSync(file).size).toBe(0);
    const conn = new Database(file);
    conn.exec('CREATE TABLE t (x INTEGER)');
    conn.prepare('INSERT INTO t VALUES (?)').run(42);
    expect(conn.prepare('SELECT x FROM t').get()).toEqual({ x: 42 });
    conn.close();
    await db.drop();
    await db.drop();
    expect(existsSync(dirname(file))).toBe(false);
  });
});

describe.runIf(DIALECTS.includes('postgres'))('createTestDatabase("postgres")', () => {
  it('creates a fresh database and drops it', async () => {
    expect(await postgresAvailable()).toBe(true);
    const db = await createTestDatabase('postgres');
    expect(db.kind).toBe('postgres');
    const name = new URL(db.url).pathname.slice(1);
    expect(name).toMatch(/^remex_t_[0-9a-f]{16}$/);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const tables = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.rows[0]?.n).toBe('0');
    await client.query('CREATE TABLE t (x integer)');
    await client.query('INSERT INTO t VALUES (42)');
    expect((await client.query<{ x: number }>('SELECT x FROM t')).rows).toEqual([{ x: 42 }]);
    // drop() must work even with a client still connected (WITH (FORCE)).
    client.on('error', () => undefined);
    await db.drop();
    await client.end().catch(() => undefined);

    const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });

  it('gives each call its own database', async () => {
    const [a, b] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
    expect(a.url).not.toBe(b.url);
    await Promise.all([a.drop(), b.drop()]);
  });
});

describe.each(DIALECTS)('createTestDatabase(%s, { template })', (dialect) => {
  it('copies the template database', async () => {
    const template = await createTestDatabase(dialect);
    const copy = await (async () => {
      if (dialect === 'sqlite') {
        const conn = new Database(sqliteFilePath(template.url));
        conn.exec("CREATE TABLE migrated (v TEXT); INSERT INTO migrated VALUES ('yes')");
        conn.close();
        const db = await createTestDatabase(dialect, { template: template.url });
        const c2 = new Database(sqliteFilePath(db.url));
        expect(c2.prepare('SELECT v FROM migrated').all()).toEqual([{ v: 'yes' }]);
        c2.close();
        return db;
      }
      const client = new pg.Client({ connectionString: template.url });
      await client.connect();
      await client.query("CREATE TABLE migrated (v text); INSERT INTO migrated VALUES ('yes')");
      await client.end();
      const db = await createTestDatabase(dialect, { template: template.url });
      const c2 = new pg.Client({ connectionString: db.url });
      await c2.connect();
      expect((await c2.query('SELECT v FROM migrated')).rows).toEqual([{ v: 'yes' }]);
      await c2.end();
      return db;
    })();
    expect(copy.url).not.toBe(template.url);
    await copy.drop();
    await template.drop();
  });
});
