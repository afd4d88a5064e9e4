import SQLite from 'better-sqlite3';
import { type Generated, Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';

import { withStatementCache } from './sqlite-statement-cache.ts';

function memoryDb(): SQLite.Database {
  const db = new SQLite(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  db.exec("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
  return db;
}

describe('withStatementCache', () => {
  it('hands out the same prepared statement for the same SQL text', () => {
    const cached = withStatementCache(memoryDb());
    const first = cached.prepare('SELECT v FROM t WHERE id = ?');
    expect(cached.prepare('SELECT v FROM t WHERE id = ?')).toBe(first);
    expect(cached.prepare('SELECT v FROM t WHERE id > ?')).not.toBe(first);
    expect(first.all([2])).toEqual([{ v: 'b' }]);
    cached.close();
  });

  it('gives a fresh statement while the cached one is still iterating', () => {
    const cached = withStatementCache(memoryDb());
    const sql = 'SELECT v FROM t ORDER BY id';
    const streaming = cached.prepare(sql);
    const rows: unknown[] = [];
    for (const row of streaming.iterate([])) {
      rows.push(row);
      const inner = cached.prepare(sql);
      expect(inner).not.toBe(streaming);
      expect(inner.all([])).toHaveLength(3);
    }
    expect(rows).toHaveLength(3);
    expect(cached.prepare(sql)).toBe(streaming);
    cached.close();
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const cached = withStatementCache(memoryDb(), 2);
    const a = cached.prepare('SELECT 1');
    const b = cached.prepare('SELECT 2');
    expect(cached.prepare('SELECT 1')).toBe(a); // a is now the most recent
    cached.prepare('SELECT 3'); // evicts b
    expect(cached.prepare('SELECT 1')).toBe(a);
    expect(cached.prepare('SELECT 2')).not.toBe(b);
    cached.close();
  });

  it('serves Kysely queries and transactions', async () => {
    const db = new Kysely<{ t: { id: Generated<number>; v: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(memoryDb()) }) });
    for (let i = 0; i < 3; i++) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ v: `x${i}` }).execute();
      });
    }
    const rows = await db.selectFrom('t').select('v').where('v', 'like', 'x%').orderBy('id').execute();
    expect(rows.map((r) => r.v)).toEqual(['x0', 'x1', 'x2']);
    await db.destroy();
  });
});
