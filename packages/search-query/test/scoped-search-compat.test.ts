/**
 * The result counts of scoped_search's own integration specs (string_querying_spec.rb and
 * set_query_spec.rb, gem 4.3), rebuilt on the same rows and definitions, on SQLite and
 * PostgreSQL: Remex must give the answers Foreman gives.
 */
import { DIALECTS } from '@remex/testkit';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compileSearch, defineSearch, resolveOrder } from '../src/index.ts';
import type { SearchDialect } from '../src/index.ts';
import { openTestKysely } from './support/test-kysely.ts';
import type { TestKysely } from './support/test-kysely.ts';

interface CompatDatabase {
  items: { id: number; string: string | null; another: string | null; explicit: string | null; description: string | null };
  flags: { id: number; bool: boolean | number | null; status: number | null };
}

// klass.scoped_search :on => :string
// klass.scoped_search :on => :another, :default_operator => :eq, :aliases => [:alias]
// klass.scoped_search :on => :explicit, :only_explicit => true
// klass.scoped_search :on => :description
const itemSearch = defineSearch<CompatDatabase, 'items'>({
  fields: {
    string: { type: 'string', column: 'items.string' },
    another: { type: 'string', column: 'items.another', defaultOperator: '=', aliases: ['alias'] },
    explicit: { type: 'string', column: 'items.explicit', onlyExplicit: true },
    description: { type: 'string', column: 'items.description' },
  },
});

// :bool with complete_value {yes: true, no: false}; :status {unknown: 0, up: 1, down: 2}; bool2 {true, false}
const flagSearch = defineSearch<CompatDatabase, 'flags'>({
  fields: {
    bool: { type: 'boolean', column: 'flags.bool', values: { yes: true, no: false } },
    status: { type: 'set', column: 'flags.status', values: { unknown: 0, up: 1, down: 2 } },
    bool2: { type: 'boolean', column: 'flags.bool' },
  },
});

const STRING_SPEC: ReadonlyArray<readonly [string, number]> = [
  ['foo', 1], ['-foo', 2], ['string = foo', 1], ['another = foo', 0], ['fo', 1], ['-fo', 2], ['= fo', 0], ['~ fo', 1],
  ['string !~ fo', 2], ['nonsense', 0], ['ba', 2], ['a%', 0], ['%oo', 1], ['string ~ FOO', 1], ['string !~ FOO', 2],
  ['foo OR nonsense', 1], ['foo AND nonsense', 0], ['foo OR baz', 2], ['foo AND baz', 0], ['"temp 1"', 1], ['-"temp 1"', 2],
  ['another = "temp 1"', 1], ['temp', 0], ['-temp"', 3], ['~ temp', 2], ['!(~ temp)', 1], ['another ~ temp', 2],
  ['alias = "temp 1"', 1], ['= baz', 1], ['explicit = baz', 2], ['explicit = ba', 0], ['explicit ~ ba', 2],
  ['foo, explicit = baz', 1], ['set? string', 3], ['null? string', 0], ['set? explicit', 2], ['null? explicit', 1],
];

const SET_SPEC: ReadonlyArray<readonly [string, number]> = [
  ['status = up', 1], ['status = unknown', 1], ['status != up', 2],
  ['bool = yes', 1], ['bool = no', 2], ['bool != yes', 2], ['bool', 1], ['bool2', 1],
];

describe.each(DIALECTS)('scoped_search spec results on %s', (dialect: SearchDialect) => {
  let handle: TestKysely<CompatDatabase> | undefined;
  let db: Kysely<CompatDatabase>;

  beforeAll(async () => {
    handle = await openTestKysely<CompatDatabase>(dialect);
    db = handle.db;
    await db.schema.createTable('items').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('string', 'text')
      .addColumn('another', 'text').addColumn('explicit', 'text').addColumn('description', 'text').execute();
    await db.schema.createTable('flags').addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('bool', dialect === 'postgres' ? 'boolean' : 'integer').addColumn('status', 'integer').execute();
    await db.insertInto('items').values([
      { id: 1, string: 'foo', another: 'temp 1', explicit: 'baz', description: '1 - one' },
      { id: 2, string: 'bar', another: 'temp 2', explicit: 'baz', description: '2 - two' },
      { id: 3, string: 'baz', another: null, explicit: null, description: '3 - three' },
    ]).execute();
    // The spec creates these in two contexts; bool and status rows are disjoint, as there.
    const b = (v: boolean): boolean | number => (dialect === 'sqlite' ? (v ? 1 : 0) : v);
    await db.insertInto('flags').values([
      { id: 1, bool: null, status: 0 }, { id: 2, bool: null, status: 1 }, { id: 3, bool: null, status: 2 },
      { id: 4, bool: b(true), status: null }, { id: 5, bool: b(false), status: null }, { id: 6, bool: b(false), status: null },
    ]).execute();
  });

  afterAll(async () => {
    await handle?.close();
  });

  it.each(STRING_SPEC)('string_querying_spec: %s → %i', async (query, count) => {
    const rows = await db.selectFrom('items').select('items.id').where((eb) => compileSearch(query, itemSearch, eb, { dialect })).execute();
    expect(rows).toHaveLength(count);
  });

  it.each(SET_SPEC)('set_query_spec: %s → %i', async (query, count) => {
    const rows = await db.selectFrom('flags').select('flags.id').where((eb) => compileSearch(query, flagSearch, eb, { dialect })).execute();
    expect(rows).toHaveLength(count);
  });

  it('string_querying_spec: ordering', async () => {
    const first = async (order: string): Promise<string | null> => {
      const o = resolveOrder(order, itemSearch);
      const row = await db.selectFrom('items').select(['items.string', 'items.description']).orderBy(o.column, o.direction).executeTakeFirstOrThrow();
      return o.field === 'string' ? row.string : row.description;
    };
    expect(await first('string ASC')).toBe('bar');
    expect(await first('string DESC')).toBe('foo');
    expect(await first('description ASC')).toBe('1 - one');
    expect(await first('description DESC')).toBe('3 - three');
  });
});
