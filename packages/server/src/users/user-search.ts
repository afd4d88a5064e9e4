/**
 * @module
 * User search fields (Foreman's `User` scoped_search: login, firstname, lastname, mail, admin,
 * id), compiled over `users` (unaliased, as the list query selects it).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { taxableFields } from '../taxonomies/taxonomy-fields.ts';

/** The user search definition. */
export const userSearch = defineSearch<Database, 'users'>({
  fields: {
    ...taxableFields('User', 'users.id'),
    login: { type: 'string', column: 'users.login', description: 'Login name' },
    firstname: { type: 'string', column: 'users.firstname' },
    lastname: { type: 'string', column: 'users.lastname' },
    mail: { type: 'string', column: 'users.mail' },
    admin: { type: 'boolean', column: 'users.admin', values: { true: 1, false: 0 }, onlyExplicit: true },
    id: { type: 'integer', column: 'users.id', onlyExplicit: true },
  },
});

/** Compiles a user search (errors → 422 with a position). */
export function compileUserSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'users'>) => Expression<SqlBool> {
  return compileResourceSearch(userSearch, query, dialect, user);
}
