/**
 * The server outlives PostgreSQL dropping its connections (a restart, an administrator's
 * `pg_terminate_backend`): the broken idle connections are replaced and the API keeps answering.
 * Without an error listener on the pool, node-postgres would raise an unhandled 'error' event.
 */
import { postgresAdminUrl } from '@remex/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe('server on postgres when its connections are terminated', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer('postgres');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('replaces the broken idle connections and keeps answering', async () => {
    // Several requests at once so the pool holds several idle connections afterwards.
    const before = await Promise.all(Array.from({ length: 5 }, () => t.api('GET', '/api/hosts')));
    expect(before.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    const database = decodeURIComponent(new URL(t.database.url).pathname.slice(1));
    const admin = new pg.Client({ connectionString: postgresAdminUrl() });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const killed = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      expect(killed.rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // Let the terminations reach the idle clients (each emits 'error' on the pool).
    await new Promise((resolve) => setTimeout(resolve, 300));

    const after = await t.api('POST', '/api/hosts', { host: { name: 'after-restart.example.com' } });
    expect(after.status, after.text).toBe(201);
    expect((await t.api('GET', '/api/hosts')).body.total).toBe(1);
  });
});
