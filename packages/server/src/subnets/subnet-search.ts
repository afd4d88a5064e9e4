/**
 * @module
 * Subnet search fields (Foreman's `Subnet` scoped_search: name, network, mask, id), compiled
 * over `subnets` (unaliased, as the list route selects it).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { taxableFields } from '../taxonomies/taxonomy-fields.ts';

/** The subnet search definition. */
export const subnetSearch = defineSearch<Database, 'subnets'>({
  fields: {
    ...taxableFields('Subnet', 'subnets.id'),
    name: { type: 'string', column: 'subnets.name', description: 'Subnet name' },
    network: { type: 'string', column: 'subnets.network' },
    mask: { type: 'string', column: 'subnets.mask' },
    id: { type: 'integer', column: 'subnets.id', onlyExplicit: true },
  },
});

/** Compiles a subnet search (errors → 422 with a position). */
export function compileSubnetSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'subnets'>) => Expression<SqlBool> {
  return compileResourceSearch(subnetSearch, query, dialect, user);
}
