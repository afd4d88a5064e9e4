/**
 * @module
 * Host group search fields (Foreman's `Hostgroup` scoped_search: name, title, id, parent,
 * params), compiled over `hostgroups as g` left-joined with its parent `p`. A hidden or secret
 * parameter value never matches `params.<name>`.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import { existsRow } from '../search/exists-row.ts';
import type { Database, HostgroupTable } from '../db/schema.ts';
import { SECRET_PARAMETERS } from '../parameters/hidden-parameters.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { taxableFields } from '../taxonomies/taxonomy-fields.ts';

/** Tables visible to host group search. */
export type HostgroupSearchDB = Database & { g: HostgroupTable; p: HostgroupTable };
type Eb = ExpressionBuilder<HostgroupSearchDB, 'g' | 'p'>;

/** The host group search definition. */
export const hostgroupSearch = defineSearch<HostgroupSearchDB, 'g' | 'p'>({
  fields: {
    ...taxableFields('Hostgroup', 'g.id'),
    name: { type: 'string', column: 'g.name', description: 'Host group name' },
    title: { type: 'string', column: 'g.title', description: 'Full path (parent/child)' },
    id: { type: 'integer', column: 'g.id', onlyExplicit: true },
    parent: { type: 'string', column: 'p.title', onlyExplicit: true, description: 'Title of the parent group' },
    parent_id: { type: 'integer', column: 'g.parent_id', onlyExplicit: true },
    params: {
      type: 'string',
      keyValue: true,
      description: "The group's own parameters (hidden values never match)",
      build: (eb, c) =>
        existsRow(eb, eb.selectFrom('parameters as gp')
            .where('gp.scope', '=', 'hostgroup')
            .whereRef('gp.scope_id', '=', 'g.id')
            .where('gp.name', '=', c.key)
            .where('gp.hidden_value', '=', 0)
            .where('gp.name', 'not in', [...SECRET_PARAMETERS])
            .where((w) => c.test(w.ref('gp.value'))),
        ),
    },
  },
});

/** Compiles a host group search (errors → 422 with a position). */
export function compileHostgroupSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(hostgroupSearch, query, dialect, user);
}
