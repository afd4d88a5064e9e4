/**
 * Parser fuzzing for a bounded time (about 5 s): random token soups, random characters and
 * mutations of valid queries either parse into a well-formed tree or fail with a
 * SearchSyntaxError whose position lies inside the query. A seeded PRNG keeps failures
 * reproducible (the seed is printed in the failure message).
 */
import { seededRandom as prng } from '@remex/testkit';
import { describe, expect, it } from 'vitest';

import {
  DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

import { compileSearch, formatQuery, parseQuery, SearchError, SearchSyntaxError } from '../src/index.ts';
import type { QueryNode, SearchDialect } from '../src/index.ts';
import { hostSearch, jobSearch, NOW } from './support/inventory-fixture.ts';
import type { InventoryDatabase } from './support/inventory-fixture.ts';

const BUDGET_MS = 3_500;
const COMPILE_BUDGET_MS = 1_500;

/** Kysely instances that compile SQL without a database. */
const compilers: Record<SearchDialect, Kysely<InventoryDatabase>> = {
  sqlite: new Kysely<InventoryDatabase>({
    dialect: {
      createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<InventoryDatabase>({
    dialect: {
      createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};
const SEED = Number(process.env['SEARCH_FUZZ_SEED'] ?? Date.now() % 1_000_000);

const PIECES = [
  'name', 'facts.os', 'params.role', 'hostgroup', '=', '==', '!=', '<>', '~', '!~', '^', '!^', '>', '<', '>=', '<=',
  'and', 'or', 'not', 'AND', '&', '&&', '|', '||', '!', '-', '(', ')', ',', 'set?', 'has', 'null?', 'before', 'after', 'at',
  '"quoted value"', '"unterminated', '"esc\\"aped"', '\\', 'web*', '%', '_', ';', '--', '/*', '*/', "'", 'ü', '名前', '✓',
  '2 days ago', 'today', '1024', '-5', ' ', '  ', '\t', '\n', '',
];

const SEEDS = [
  'name ~ rex01', 'hostgroup = web and facts.os_family = Debian', 'description ~ set*', 'job_invocation.result = failed',
  'facts.memorysize_mb > 1024', 'name ^ (a, b)', 'status = failed', 'started_at > "24 hours ago"', 'recurring = true',
  'not name = a', '(a or b) and not (c | d) e', 'set? facts.x', '!^ (x, "y z")',
];

function depth(node: QueryNode): number {
  switch (node.kind) {
    case 'and':
    case 'or': return 1 + Math.max(...node.children.map(depth));
    case 'not': return 1 + depth(node.operand);
    default: return 1;
  }
}

function check(query: string): 'ok' | 'error' {
  try {
    const ast = parseQuery(query, { maxDepth: 32 });
    expect(Object.isFrozen(ast)).toBe(true);
    expect(depth(ast)).toBeLessThanOrEqual(33);
    // The printed form parses again to the same printed form.
    const printed = formatQuery(ast);
    expect(formatQuery(parseQuery(printed))).toBe(printed);
    return 'ok';
  } catch (e: unknown) {
    if (!(e instanceof SearchSyntaxError)) throw new Error(`seed ${SEED}: ${JSON.stringify(query)} threw ${String(e)}`);
    expect(e.position.begin).toBeGreaterThanOrEqual(0);
    expect(e.position.end).toBeGreaterThanOrEqual(e.position.begin);
    expect(e.position.end).toBeLessThanOrEqual(query.length);
    expect(e.excerpt()).toContain('^');
    return 'error';
  }
}

describe(`parser fuzz (seed ${SEED})`, () => {
  it('every input parses or fails with a positioned SearchSyntaxError', () => {
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const counts = { ok: 0, error: 0 };
    const started = Date.now();
    let i = 0;
    while (Date.now() - started < BUDGET_MS) {
      let query: string;
      const mode = i++ % 3;
      if (mode === 0) {
        query = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(PIECES)).join(random() < 0.5 ? ' ' : '');
      } else if (mode === 1) {
        query = Array.from({ length: Math.floor(random() * 40) }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('');
      } else {
        const chars = [...pick(SEEDS)];
        for (let m = 0; m < 1 + Math.floor(random() * 4); m++) {
          const at = Math.floor(random() * (chars.length + 1));
          const r = random();
          if (r < 0.33) chars.splice(at, 1);
          else if (r < 0.66) chars.splice(at, 0, pick(['(', ')', '"', '\\', ',', '!', '-', '=', '^', ' ', 'and', 'not']));
          else chars.splice(at, 1, pick(['(', ')', '"', '~']));
        }
        query = chars.join('');
      }
      counts[check(query)]++;
    }
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.error).toBeGreaterThan(100);
  });

  it('compiling random queries against real definitions only ever fails with a SearchError', () => {
    const random = prng(SEED + 1);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const fields = ['name', 'id', 'last_report', 'execution_status', 'enabled', 'hostgroup', 'facts.cpus', 'params.role',
      'job_invocation.result', 'status', 'user', 'recurring', 'started_at', 'bogus', 'facts.', 'owner'];
    const values = ['a', '"a b"', '5', '-5', '1.5', 'today', '"2 days ago"', '2026-11-20', 'ok', 'failed', 'true', 'current_user',
      '"x\'; --"', '*', '%', '_', '(a, b)', 'N/A', 'ümlaut'];
    const ops = ['=', '!=', '~', '!~', '^', '!^', '>', '<', '>=', '<=', ''];
    const counts = { ok: 0, error: 0 };
    const started = Date.now();
    while (Date.now() - started < COMPILE_BUDGET_MS) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        `${pick(['', '', 'not ', 'set? ', 'null? '])}${pick(fields)} ${pick(ops)} ${pick(values)}`);
      const query = parts.join(pick([' and ', ' or ', ' ']));
      const dialect = pick<SearchDialect>(['sqlite', 'postgres']);
      const definition = random() < 0.5 ? 'hosts' : 'jobs';
      try {
        const db = compilers[dialect];
        const compiled = definition === 'hosts'
          ? db.selectFrom('hosts').select('id').where((eb) => compileSearch(query, hostSearch, eb, { dialect, now: NOW, currentUser: { id: 1, login: 'admin' } })).compile()
          : db.selectFrom('jobs').select('id').where((eb) => compileSearch(query, jobSearch, eb, { dialect, now: NOW })).compile();
        expect(compiled.sql).not.toContain("x'");
        counts.ok++;
      } catch (e: unknown) {
        if (!(e instanceof SearchError)) throw new Error(`seed ${SEED}: ${JSON.stringify(query)} on ${definition}/${dialect} threw ${String(e)}`);
        expect(e.position.end).toBeLessThanOrEqual(query.length);
        counts.error++;
      }
    }
    expect(counts.ok).toBeGreaterThan(50);
    expect(counts.error).toBeGreaterThan(50);
  });

  it('deep nesting and long inputs hit the limits with a positioned error, not a stack overflow', () => {
    expect(check(`${'('.repeat(10_000)}a${')'.repeat(10_000)}`)).toBe('error');
    expect(check(`${'not '.repeat(5_000)}a`)).toBe('error');
    expect(check(Array.from({ length: 5_000 }, (_, i) => `a${i}`).join(' and b or '))).toBe('error');
    // A flat list is not deep, but over the condition limit (SQLite nests `a and b and …` in depth).
    expect(check(Array.from({ length: 5_000 }, (_, i) => `a${i}`).join(' and '))).toBe('error');
    expect(check(Array.from({ length: 200 }, (_, i) => `a${i}`).join(' and '))).toBe('ok');
    expect(() => parseQuery('a'.repeat(100_001))).toThrow(SearchSyntaxError);
  });
});
