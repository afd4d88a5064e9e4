/**
 * @module
 * Deny by default for audits: every state-changing user route of the server's real route table
 * is either audited (`audit/audit-table.ts`) or explicitly listed as not audited, with a
 * reason; neither table names a route the server does not have; no route writes audits.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FLAG_COLUMNS } from '../src/audit/audit-loaders.ts';
import { AUDITED_ROUTES, NOT_AUDITED_ROUTES } from '../src/audit/audit-table.ts';
import type { RouteEntry } from '../src/http/route-access.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

describe('audited routes (deny by default)', () => {
  let t: TestServer;
  let routes: readonly RouteEntry[];
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    routes = t.server.routes;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const key = (r: RouteEntry): string => `${r.method} ${r.url}`;

  it('audits every state-changing user route or lists it as not audited', () => {
    const writes = routes.filter((r) => r.access.auth === 'user' && WRITES.includes(r.method)).map(key);
    expect(writes.length).toBeGreaterThan(40);
    const unaccounted = writes.filter((k) => !Object.hasOwn(AUDITED_ROUTES, k) && !Object.hasOwn(NOT_AUDITED_ROUTES, k));
    expect(unaccounted).toEqual([]);
    const both = Object.keys(AUDITED_ROUTES).filter((k) => Object.hasOwn(NOT_AUDITED_ROUTES, k));
    expect(both).toEqual([]);
    const stale = [...Object.keys(AUDITED_ROUTES), ...Object.keys(NOT_AUDITED_ROUTES)].filter((k) => !writes.includes(k));
    expect(stale).toEqual([]);
    for (const reason of Object.values(NOT_AUDITED_ROUTES)) expect(reason.length).toBeGreaterThan(10);
  });

  it('offers no route that changes or removes audits', () => {
    expect(routes.filter((r) => r.url.startsWith('/api/audits') && r.method !== 'GET' && r.method !== 'HEAD').map(key)).toEqual([]);
  });
});

describe('audited flags', () => {
  it('FLAG_COLUMNS names exactly the Flag columns of the schema', () => {
    const schema = readFileSync(fileURLToPath(new URL('../src/db/schema.ts', import.meta.url)), 'utf8');
    const flags = [...schema.matchAll(/^\s+([a-z_]+): Flag;$/gm)].map((m) => m[1]);
    expect([...FLAG_COLUMNS].sort()).toEqual([...new Set(flags)].sort());
  });
});
