/**
 * @module
 * Bookmark search fields (Foreman's `Bookmark` scoped_search: name, controller), compiled over
 * `bookmarks` (unaliased).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

/** The bookmark search definition. */
export const bookmarkSearch = defineSearch<Database, 'bookmarks'>({
  fields: {
    name: { type: 'string', column: 'bookmarks.name', description: 'Bookmark name' },
    controller: { type: 'string', column: 'bookmarks.controller', description: 'Resource the query searches (hosts, job_invocations…)' },
    query: { type: 'string', column: 'bookmarks.query', onlyExplicit: true },
    id: { type: 'integer', column: 'bookmarks.id', onlyExplicit: true },
    public: { type: 'boolean', column: 'bookmarks.public', values: { true: 1, false: 0 }, onlyExplicit: true },
  },
});

/** Compiles a bookmark search (errors → 422 with a position). */
export function compileBookmarkSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'bookmarks'>) => Expression<SqlBool> {
  return compileResourceSearch(bookmarkSearch, query, dialect, user);
}
