/**
 * @module
 * Operating system search fields (Foreman's `Operatingsystem` scoped_search: name, major, minor,
 * description, family, title, hosts_count; plus id), compiled over `operatingsystems`
 * (unaliased). `title` is computed as the API shows it (`Debian 12`, `RedHat 9.2`); `major` and
 * `minor` compare numerically when the value is a number (`major > 8`). Descriptions are not
 * stored, so `description` matches nothing (and `null? description` everything).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

type Eb = ExpressionBuilder<Database, 'operatingsystems'>;

/** `name major[.minor]` in SQL, as `operatingsystemTitle` builds it. */
function titleExpression(eb: Eb): Expression<string> {
  const name = eb.ref('operatingsystems.name');
  const major = eb.ref('operatingsystems.major');
  const minor = eb.ref('operatingsystems.minor');
  return sql<string>`(CASE WHEN ${major} = '' AND ${minor} = '' THEN ${name}
    WHEN ${major} = '' THEN ${name} || ' ' || ${minor}
    WHEN ${minor} = '' THEN ${name} || ' ' || ${major}
    ELSE ${name} || ' ' || ${major} || '.' || ${minor} END)`;
}

/** The operating system search definition. */
export const operatingsystemSearch = defineSearch<Database, 'operatingsystems'>({
  fields: {
    name: { type: 'string', column: 'operatingsystems.name', description: 'Operating system name' },
    major: { type: 'string', column: 'operatingsystems.major', numeric: true, description: 'Major version' },
    minor: { type: 'string', column: 'operatingsystems.minor', numeric: true, description: 'Minor version' },
    family: { type: 'string', column: 'operatingsystems.family', description: 'Family (Debian, Redhat…)' },
    title: { type: 'string', description: 'Name and version (Debian 12)', build: (eb, c) => c.test(titleExpression(eb)) },
    description: { type: 'string', onlyExplicit: true, description: 'Not stored: never set', build: (_eb, c) => c.test(sql`CAST(NULL AS TEXT)`) },
    hosts_count: {
      type: 'integer',
      onlyExplicit: true,
      description: 'Number of hosts with this operating system',
      build: (eb, c) =>
        c.test(
          eb
            .selectFrom('hosts as oh')
            .select((s) => s.fn.countAll().as('n'))
            .whereRef('oh.operatingsystem_id', '=', 'operatingsystems.id'),
        ),
    },
    id: { type: 'integer', column: 'operatingsystems.id', onlyExplicit: true },
  },
});

/** Compiles an operating system search (errors → 422 with a position). */
export function compileOperatingsystemSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(operatingsystemSearch, query, dialect, user);
}
