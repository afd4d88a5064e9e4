/**
 * @module
 * Parameter search fields (Foreman's `CommonParameter` scoped_search: name, value; plus
 * parameter_type, hidden_value and id), compiled over `parameters` (unaliased) for the three
 * parameter lists: `/api/common_parameters`, `/api/hosts/:id/parameters`,
 * `/api/hostgroups/:id/parameters`.
 *
 * A hidden value is never matched: `value` comparisons (positive and negative, free text
 * included) only see parameters that are neither marked hidden nor known secrets, so a search
 * cannot probe a hidden value.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { SECRET_PARAMETERS } from './hidden-parameters.ts';

type Eb = ExpressionBuilder<Database, 'parameters'>;

/** 0/1 flags as booleans. */
const FLAG = { true: 1, false: 0 } as const;

/** The parameter's value may be shown (and so searched). */
export function visibleParameterValue(eb: Eb): Expression<SqlBool> {
  return eb.and([eb('parameters.hidden_value', '=', 0), eb('parameters.name', 'not in', [...SECRET_PARAMETERS])]);
}

/** The parameter search definition. */
export const parameterSearch = defineSearch<Database, 'parameters'>({
  fields: {
    name: { type: 'string', column: 'parameters.name', description: 'Parameter name' },
    value: {
      type: 'string',
      description: 'Parameter value (hidden values never match)',
      build: (eb, c) => eb.and([visibleParameterValue(eb), c.test(eb.ref('parameters.value'))]),
    },
    parameter_type: { type: 'string', column: 'parameters.parameter_type', onlyExplicit: true },
    hidden_value: {
      type: 'boolean',
      values: FLAG,
      onlyExplicit: true,
      description: 'Marked hidden, or a known secret',
      build: (eb, c) => c.test(eb.case().when(visibleParameterValue(eb)).then(0).else(1).end()),
    },
    id: { type: 'integer', column: 'parameters.id', onlyExplicit: true },
  },
});

/** Compiles a parameter search (errors → 422 with a position). */
export function compileParameterSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(parameterSearch, query, dialect, user);
}
