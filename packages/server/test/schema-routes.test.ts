/**
 * Schema-first routes (subnets): Fastify validates bodies against the `@remex/common` schemas and
 * answers Foreman's 422 body with a message naming the field; answers are serialized through
 * their schemas, so a column the schema does not name never leaks. On SQLite and PostgreSQL.
 */
import { DIALECTS } from '@remex/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe.each(DIALECTS)('schema-first subnet routes on %s', (dialect) => {
  let t: TestServer;
  let store: Store;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    store = openStore(t.database.url);
  });
  afterAll(async () => {
    await store?.db.destroy();
    await t?.stop();
  });

  it('refuses bad bodies with the field named, wrapped or bare, and writes nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ subnet: { network: '10.0.0.0', mask: '24' } }, /^name can't be blank$/],
      [{ subnet: { name: '  ', network: '10.0.0.0', mask: '24' } }, /^name can't be blank$/],
      [{ name: 'a', network: 10, mask: '24' }, /^network must be a string$/],
      [{ subnet: { name: 'a', network: '10.0.0.0', mask: '24', remote_execution_proxy_ids: 'x' } }, /^remote_execution_proxy_ids must be a list$/],
      [{ subnet: { name: 'a', network: '10.0.0.0', mask: '24', remote_execution_proxy_ids: [true] } }, /^remote_execution_proxy_ids must be an integer, got 'true'$/],
      [{ subnet: 'lan' }, /^'subnet' must be an object$/],
      [{ subnet: { name: 'a', network: '10.0.0.0', mask: '24', remote_execution_proxy_ids: ['42'] } }, /^Smart proxy 42 does not exist$/],
      [{ subnet: { name: 'a', network: 'nowhere', mask: '24' } }, /^network 'nowhere' is not an IP address$/],
    ];
    for (const [body, message] of cases) {
      const r = await t.api('POST', '/api/subnets', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body).toMatchObject({ error: { name: 'InputError' }, response: { statusCode: 422 } });
      expect(r.body.error.message).toMatch(message);
    }
    const put = await t.api('PUT', '/api/subnets/none', { subnet: { mask: 7 } });
    expect(put.status).toBe(422);
    expect(put.body.error.message).toBe('mask must be a string');
    expect((await t.api('GET', '/api/subnets')).body.total).toBe(0);
  });

  it('answers only what the schema names', async () => {
    const made = await t.api('POST', '/api/subnets', { name: 'lan', network: '10.0.0.0', mask: '255.255.255.0', remote_execution_proxy_ids: [] });
    expect(made.status).toBe(201);
    expect(Object.keys(made.body).sort()).toEqual(['created_at', 'id', 'mask', 'name', 'network', 'remote_execution_proxies', 'remote_execution_proxy_ids', 'updated_at']);
    // A column the schema does not name (e.g. added by a later migration) stays out of every answer.
    await sql`ALTER TABLE subnets ADD COLUMN internal_note TEXT`.execute(store.db);
    await sql`UPDATE subnets SET internal_note = 'do-not-show'`.execute(store.db);
    const answers = [
      await t.api('GET', '/api/subnets/lan'),
      await t.api('GET', '/api/subnets?search=name%3Dlan'),
      await t.api('PUT', '/api/subnets/lan', { subnet: { mask: '24' } }),
      await t.api('DELETE', '/api/subnets/lan'),
    ];
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(JSON.stringify(a.body)).not.toContain('do-not-show');
      expect(JSON.stringify(a.body)).not.toContain('internal_note');
    }
    expect(answers[1]?.body).toMatchObject({ total: 1, subtotal: 1, search: 'name=lan', results: [{ name: 'lan' }] });
    expect(answers[3]?.body).toMatchObject({ name: 'lan', mask: '24' });
  });
});

describe.each(DIALECTS)('schema-first bookmark routes on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('validates bodies through the schema with the old messages and keeps loose booleans', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ bookmark: { controller: 'hosts', query: 'name = x' } }, /^name can't be blank$/],
      [{ bookmark: { name: 'x'.repeat(256), controller: 'hosts', query: 'name = x' } }, /^Name is too long \(maximum is 255 characters\)$/],
      [{ bookmark: { name: 'b', controller: 'hosts', query: ' ' } }, /^query can't be blank$/],
      [{ bookmark: { name: 'b', controller: 'hosts', query: 'name = x', public: 'perhaps' } }, /^public must be true or false$/],
    ];
    for (const [body, message] of cases) {
      const r = await t.api('POST', '/api/bookmarks', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error.message).toMatch(message);
    }
    const made = await t.api('POST', '/api/bookmarks', { name: ' b ', controller: 'hosts', query: 'name = x', public: '1' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'b', public: true, owner_type: 'User' });
    const kept = await t.api('PUT', `/api/bookmarks/${String(made.body.id)}`, { bookmark: { name: '', public: 0 } });
    expect(kept.body).toMatchObject({ name: 'b', public: false });
  });
});

describe.each(DIALECTS)('schema-first parameter routes on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('validates parameter bodies with field messages and never answers a hidden value', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ common_parameter: { value: 'x' } }, /^name can't be blank$/],
      [{ common_parameter: { name: 'p' } }, /^value can't be blank$/],
      [{ common_parameter: { name: 'p', value: null } }, /^value can't be blank$/],
      [{ common_parameter: { name: 'p', value: 'x', hidden_value: 'maybe' } }, /^hidden_value must be true or false$/],
    ];
    for (const [body, message] of cases) {
      const r = await t.api('POST', '/api/common_parameters', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error.message).toMatch(message);
    }
    const made = await t.api('POST', '/api/common_parameters', { name: 'token', value: { a: 1 }, hidden_value: 'true' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'token', value: '*****', hidden_value: true, parameter_type: 'string' });
    const missingHost = await t.api('GET', '/api/hosts/nowhere/parameters');
    expect(missingHost.status).toBe(404);
  });
});
