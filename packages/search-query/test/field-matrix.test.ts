/**
 * Every field × every operator × a spread of values, executed on SQLite and PostgreSQL: the
 * compiler either rejects the combination with a SearchError or produces SQL the database
 * accepts (no type errors such as "operator does not exist: integer ~~* unknown").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';

import { COMPARISON_OPERATORS, compileSearch, SearchError } from '../src/index.ts';
import type { SearchDialect } from '../src/index.ts';
import { hostSearch, jobSearch, loadInventory, NOW } from './support/inventory-fixture.ts';
import type { InventoryDatabase } from './support/inventory-fixture.ts';
import { DIALECTS, openTestDatabase, postgresReachable } from './support/test-database.ts';
import type { TestDatabase } from './support/test-database.ts';

const VALUES = ['a', '5', '-5', '1.5', 'today', '"2 hours ago"', '2026-11-20', 'failed', 'true', 'current_user', '(a, 5)'];
const HOST_FIELDS = [...Object.keys(hostSearch.fields).filter((f) => f !== 'facts' && f !== 'params'), 'facts.cpus', 'params.role', ''];
const JOB_FIELDS = [...Object.keys(jobSearch.fields), 'owner', ''];

/** Every operator and value on the fields; the empty field name stands for free text and prefix forms. */
function queries(fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const field of fields) {
    if (field === '') {
      for (const op of COMPARISON_OPERATORS) for (const value of VALUES) out.push(`${op} ${value}`);
      out.push(...VALUES);
      continue;
    }
    out.push(`set? ${field}`, `null? ${field}`, `not ${field}`);
    for (const op of COMPARISON_OPERATORS) {
      for (const value of VALUES) out.push(`${field} ${op} ${value}`);
    }
  }
  return out;
}

const pgUp = DIALECTS.includes('postgres') ? await postgresReachable() : false;
const dialects = DIALECTS.filter((d) => d !== 'postgres' || pgUp);

describe.each(dialects)('field × operator matrix on %s', (dialect: SearchDialect) => {
  let handle: TestDatabase<InventoryDatabase>;
  let db: Kysely<InventoryDatabase>;

  beforeAll(async () => {
    handle = await openTestDatabase<InventoryDatabase>(dialect);
    db = handle.db;
    await loadInventory(db, dialect);
  });

  afterAll(async () => {
    await handle.close();
  });

  async function run(execute: () => Promise<unknown>): Promise<'ran' | 'rejected'> {
    try {
      await execute();
      return 'ran';
    } catch (e: unknown) {
      if (e instanceof SearchError) return 'rejected';
      throw e;
    }
  }

  it.each(HOST_FIELDS)('host field %s: every combination is rejected by the compiler or runs', async (field) => {
    const counts = { ran: 0, rejected: 0 };
    for (const query of queries([field])) {
      const outcome = await run(() => db.selectFrom('hosts').select('hosts.id')
        .where((eb) => compileSearch(query, hostSearch, eb, { dialect, now: NOW, currentUser: { id: 1, login: 'admin' } })).execute())
        .catch((e: unknown) => { throw new Error(`${query}: ${String(e)}`); });
      counts[outcome]++;
    }
    expect(counts.ran + counts.rejected).toBeGreaterThan(100);
  });

  it.each(JOB_FIELDS)('job field %s: every combination is rejected by the compiler or runs', async (field) => {
    const counts = { ran: 0, rejected: 0 };
    for (const query of queries([field])) {
      const outcome = await run(() => db.selectFrom('jobs').select('jobs.id')
        .where((eb) => compileSearch(query, jobSearch, eb, { dialect, now: NOW, currentUser: { id: 2, login: 'bob' } })).execute())
        .catch((e: unknown) => { throw new Error(`${query}: ${String(e)}`); });
      counts[outcome]++;
    }
    expect(counts.ran + counts.rejected).toBeGreaterThan(100);
  });
});
