/**
 * Injection suite: quotes, backslashes, `%`, `_`, `;`, SQL comments and unicode in values,
 * keys and field names are always bound as parameters (or rejected as unknown fields), never
 * spliced into the SQL, and give the right rows, on SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';

import { compileSearch, SearchFieldError } from '../src/index.ts';
import type { SearchDialect } from '../src/index.ts';
import { EVIL_COMMENT, hostSearch, jobSearch, NOW } from './support/inventory-fixture.ts';
import { inventoryDialects, useInventoryDatabase } from './support/inventory-suite.ts';

/** Writes a value as a quoted query string. */
const q = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** [query, expected host ids, user text that must not appear in the SQL] */
const CASES: ReadonlyArray<readonly [string, readonly number[], string]> = [
  [`comment = ${q(EVIL_COMMENT)}`, [7], 'DROP TABLE'],
  [`comment ~ ${q('; DROP TABLE hosts; --')}`, [7], 'DROP TABLE'],
  [`comment ~ ${q("'")}`, [7], "'%"],
  [`comment ~ ${q('"hi"')}`, [7], '"hi"'],
  [`comment ~ O'Brien`, [7], "O'Brien"],
  [`name = ${q("x' OR '1'='1")}`, [], "'1'='1"],
  [`name = ${q('a" OR "1"="1')}`, [], '"1"="1'],
  [`name ~ ${q("x%' OR 1=1 --")}`, [], '1=1'],
  [`name = ${q('a; DELETE FROM hosts')}`, [], 'DELETE'],
  [`name = ${q('a/* comment */')}`, [], '/* comment'],
  [`name = ${q('a -- comment')}`, [], '-- comment'],
  [`comment ~ ${q('\\')}`, [11], 'back'],
  [`comment = ${q('back\\slash')}`, [11], 'back'],
  [`comment ~ ${q('back\\s')}`, [11], 'back'],
  [`name ~ _`, [9], '_%'],
  [`name ~ under_score`, [9], 'under'],
  [`comment ~ ${q('a_b')}`, [9], 'a_b'],
  [`comment ~ ${q('100%')}`, [3], '100'],
  [`name ~ ${q('%')}`, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "'%'"],
  [`name = ünïcode-ħost`, [8], 'ħost'],
  [`comment ~ ✓`, [8], '✓'],
  [`comment ~ ${q('Ümlaut ✓')}`, [8], 'Ümlaut'],
  [`name ^ (${q("a'")}, ${q('b;--')}, b)`, [6], "a'"],
  [`name !^ (${q("'; DROP TABLE hosts; --")})`, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'DROP'],
  [`facts.os_family = ${q("Debian' OR 1=1 --")}`, [], '1=1'],
  [`${q("facts.x' OR 1=1 --")} = 1`, [], '1=1'],
  [`${q('facts.os_family"; DROP TABLE hosts; --')} = Debian`, [], 'DROP'],
  [`params.${'role'} = ${q("db') OR ('1'='1")}`, [], "'1'='1"],
  [`set? ${q("facts.a'b")}`, [], "a'b"],
  [q("'; DROP TABLE hosts; --"), [], 'DROP'],
  [`${q("x' OR 1=1 --")}`, [], '1=1'],
  [`= ${q("a' --")}`, [], "a' --"],
  [`last_report = ${q('2026-11-20')}`, [3], '2026-11-20'],
  [`hostgroup = ${q("web' OR 'x'='x")}`, [], "'x'='x"],
];

/** Field names that are not fields: rejected before any SQL is built. */
const BAD_FIELDS: readonly string[] = [
  `${q('name; DROP TABLE hosts')} = a`,
  `${q("name' OR 1=1 --")} = a`,
  `ñame = a`,
  `名前 = a`,
  `${q('hosts.name')} = a`,
  `${q('"name"')} = a`,
  `__proto__ = a`,
  `constructor = a`,
  `toString ~ a`,
];

const dialects = await inventoryDialects('search injection suite');

describe.each(dialects)('search injection on %s', (dialect: SearchDialect) => {
  const inventory = useInventoryDatabase(dialect);

  const hostQuery = (query: string) => inventory().selectFrom('hosts').select('hosts.id')
    .where((eb) => compileSearch(query, hostSearch, eb, { dialect, now: NOW })).orderBy('hosts.id');

  it.each(CASES)('%s', async (query, expected, userText) => {
    const compiled = hostQuery(query).compile();
    expect(compiled.sql).not.toContain(userText);
    expect(compiled.sql).not.toContain(';');
    expect(compiled.sql).not.toContain('--');
    expect(compiled.parameters.length).toBeGreaterThan(0);
    const rows = await hostQuery(query).execute();
    expect(rows.map((r) => Number(r.id))).toEqual(expected);
    const count = await inventory().selectFrom('hosts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(11);
  });

  it.each(BAD_FIELDS)('unknown field %s is rejected with its position', (query) => {
    let error: unknown;
    try {
      hostQuery(query).compile();
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(SearchFieldError);
    expect((error as SearchFieldError).message).toMatch(/^Field '.*' not recognized for searching!$/);
    expect((error as SearchFieldError).position.begin).toBe(0);
  });

  it('binds the current user login as a parameter', async () => {
    const evil = { id: 1, login: "admin' OR '1'='1" };
    const query = inventory().selectFrom('jobs').select('jobs.id')
      .where((eb) => compileSearch('user = current_user', jobSearch, eb, { dialect, now: NOW, currentUser: evil }));
    expect(query.compile().sql).not.toContain("'1'='1");
    expect(query.compile().parameters).toContain(evil.login);
    expect(await query.execute()).toEqual([]);
  });

  it('binds every literal value in a long IN list', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `"h${i}'; --"`);
    const query = hostQuery(`name ^ (${names.join(', ')}, a)`);
    const compiled = query.compile();
    expect(compiled.parameters).toHaveLength(201);
    expect(compiled.sql).not.toContain("h0'");
    expect((await query.execute()).map((r) => Number(r.id))).toEqual([5]);
  });
});
