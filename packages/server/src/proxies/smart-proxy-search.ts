/**
 * @module
 * Smart proxy search fields (Foreman's `SmartProxy` scoped_search: name, url, id, feature),
 * compiled over `smart_proxies` (unaliased). `feature` matches one name of the JSON feature
 * list the proxy reported (`feature = Script`); it takes `=` and `!=` only.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { taxableFields } from '../taxonomies/taxonomy-fields.ts';

/** `"name"` as a LIKE pattern inside the JSON array text, wildcards escaped. */
function jsonMember(name: string): string {
  return `%${JSON.stringify(name).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The smart proxy search definition. */
export const smartProxySearch = defineSearch<Database, 'smart_proxies'>({
  fields: {
    ...taxableFields('SmartProxy', 'smart_proxies.id'),
    name: { type: 'string', column: 'smart_proxies.name', description: 'Proxy name' },
    url: { type: 'string', column: 'smart_proxies.url' },
    id: { type: 'integer', column: 'smart_proxies.id', onlyExplicit: true },
    feature: {
      type: 'string',
      onlyExplicit: true,
      operators: ['=', '!='],
      description: 'A feature the proxy reported (Script, SSH, …)',
      build: (eb, c) => {
        const has = sql<boolean>`${eb.ref('smart_proxies.features')} LIKE ${jsonMember(c.texts[0] ?? '')} ESCAPE '\\'`;
        return c.operator === '!=' ? eb.not(has) : has;
      },
    },
  },
});

/** Compiles a smart proxy search (errors → 422 with a position). */
export function compileSmartProxySearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'smart_proxies'>) => Expression<SqlBool> {
  return compileResourceSearch(smartProxySearch, query, dialect, user);
}
