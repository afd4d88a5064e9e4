/**
 * @module
 * Organization and location search fields (`name`, `title`, `id`, `parent_id`, `description`),
 * compiled over `taxonomies` (one search per kind; the route adds the kind).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

/** The taxonomy search definition. */
export const taxonomySearch = defineSearch<Database, 'taxonomies'>({
  fields: {
    name: { type: 'string', column: 'taxonomies.name', description: 'Name' },
    title: { type: 'string', column: 'taxonomies.title', description: 'Name with its parents, e.g. Europe/Berlin' },
    description: { type: 'string', column: 'taxonomies.description' },
    id: { type: 'integer', column: 'taxonomies.id', onlyExplicit: true },
    parent_id: { type: 'integer', column: 'taxonomies.parent_id', onlyExplicit: true },
  },
});

/** Compiles an organization or location search (errors → 422 with a position). */
export function compileTaxonomySearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'taxonomies'>) => Expression<SqlBool> {
  return compileResourceSearch(taxonomySearch, query, dialect, user);
}
