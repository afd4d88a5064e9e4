/**
 * @module
 * Fact search fields for `GET /api/hosts/:id/facts` (Foreman's `FactValue` scoped_search:
 * name (alias fact), value, host, host.hostgroup, facts.<name>), compiled over `fact_values`
 * (unaliased). `value` and `facts.<name>` compare numerically when the value is a number.
 */
import type { FieldComparison, SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

import { existsRow } from '../search/exists-row.ts';
import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

type Eb = ExpressionBuilder<Database, 'fact_values'>;

/** The fact's host, compared by id when the value is all digits (as Foreman does), else by name. */
function hostMatches(eb: Eb, c: FieldComparison): Expression<SqlBool> {
  const byId = ['=', '!=', '^', '!^'].includes(c.operator) && c.texts.length > 0 && c.texts.every((t) => /^\d+$/.test(t));
  return existsRow(eb, eb.selectFrom('hosts as fh')
      .whereRef('fh.id', '=', 'fact_values.host_id')
      .where((w) => (byId ? c.test(sql`CAST(${w.ref('fh.id')} AS TEXT)`) : c.test(w.ref('fh.name')))),
  );
}

/** The fact search definition. */
export const factSearch = defineSearch<Database, 'fact_values'>({
  fields: {
    name: { type: 'string', column: 'fact_values.name', aliases: ['fact'], description: 'Fact name' },
    value: { type: 'string', column: 'fact_values.value', numeric: true, description: 'Fact value' },
    host: { type: 'string', onlyExplicit: true, description: 'Host name (or id)', build: hostMatches },
    'host.hostgroup': {
      type: 'string',
      onlyExplicit: true,
      description: "Name of the host's host group",
      build: (eb, c) =>
        existsRow(eb, eb.selectFrom('hosts as fh')
            .innerJoin('hostgroups as fg', 'fg.id', 'fh.hostgroup_id')
            .whereRef('fh.id', '=', 'fact_values.host_id')
            .where((w) => c.test(w.ref('fg.name'))),
        ),
    },
    facts: {
      type: 'string',
      keyValue: true,
      description: 'Value of the named fact',
      build: (eb, c) => eb.and([eb('fact_values.name', '=', c.key), c.test(eb.ref('fact_values.value'))]),
    },
  },
});

/** Compiles a fact search (errors → 422 with a position). */
export function compileFactSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(factSearch, query, dialect, user);
}
