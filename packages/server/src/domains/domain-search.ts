/**
 * @module
 * Domain search fields (`name`, `fullname`, `id`), compiled over `domains`.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

/** The domain search definition. */
export const domainSearch = defineSearch<Database, 'domains'>({
  fields: {
    name: { type: 'string', column: 'domains.name', description: 'DNS domain' },
    fullname: { type: 'string', column: 'domains.fullname', description: 'Description' },
    id: { type: 'integer', column: 'domains.id', onlyExplicit: true },
  },
});

/** Compiles a domain search (errors → 422 with a position). */
export function compileDomainSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'domains'>) => Expression<SqlBool> {
  return compileResourceSearch(domainSearch, query, dialect, user);
}
