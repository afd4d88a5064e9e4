/**
 * Every field × every operator × a spread of values, executed on SQLite and PostgreSQL: the
 * compiler either rejects the combination with a SearchError or produces SQL the database
 * accepts (no type errors such as "operator does not exist: integer ~~* unknown").
 */
import { describe, expect, it } from 'vitest';

import { COMPARISON_OPERATORS, compileSearch, SearchError } from '../src/index.ts';
import type { SearchDialect } from '../src/index.ts';
import { hostSearch, jobSearch, NOW } from './support/inventory-fixture.ts';
import { inventoryDialects, useInventoryDatabase } from './support/inventory-suite.ts';

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

const dialects = await inventoryDialects('field × operator matrix');

describe.each(dialects)('field × operator matrix on %s', (dialect: SearchDialect) => {
  const inventory = useInventoryDatabase(dialect);

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
      const outcome = await run(() => inventory().selectFrom('hosts').select('hosts.id')
        .where((eb) => compileSearch(query, hostSearch, eb, { dialect, now: NOW, currentUser: { id: 1, login: 'admin' } })).execute())
        .catch((e: unknown) => { throw new Error(`${query}: ${String(e)}`); });
      counts[outcome]++;
    }
    expect(counts.ran + counts.rejected).toBeGreaterThan(100);
  });

  it.each(JOB_FIELDS)('job field %s: every combination is rejected by the compiler or runs', async (field) => {
    const counts = { ran: 0, rejected: 0 };
    for (const query of queries([field])) {
      const outcome = await run(() => inventory().selectFrom('jobs').select('jobs.id')
        .where((eb) => compileSearch(query, jobSearch, eb, { dialect, now: NOW, currentUser: { id: 2, login: 'bob' } })).execute())
        .catch((e: unknown) => { throw new Error(`${query}: ${String(e)}`); });
      counts[outcome]++;
    }
    expect(counts.ran + counts.rejected).toBeGreaterThan(100);
  });
});
