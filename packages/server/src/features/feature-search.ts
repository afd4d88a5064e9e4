/**
 * @module
 * Remote execution feature search fields, compiled over `remote_execution_features`
 * (unaliased). Foreman's model defines no scoped_search of its own; the fields are the
 * feature's attributes as the API shows them: name, label, description, host_action_button,
 * job_template (the assigned template's name), id.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import { existsRow } from '../search/exists-row.ts';
import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

type Eb = ExpressionBuilder<Database, 'remote_execution_features'>;

/** 0/1 flags as booleans. */
const FLAG = { true: 1, false: 0 } as const;

/** The remote execution feature search definition. */
export const featureSearch = defineSearch<Database, 'remote_execution_features'>({
  fields: {
    name: { type: 'string', column: 'remote_execution_features.name', description: 'Feature name' },
    label: { type: 'string', column: 'remote_execution_features.label', description: 'Feature label (run_script…)' },
    description: { type: 'string', column: 'remote_execution_features.description' },
    host_action_button: { type: 'boolean', column: 'remote_execution_features.host_action_button', values: FLAG, onlyExplicit: true },
    job_template: {
      type: 'string',
      onlyExplicit: true,
      description: 'Name of the assigned job template',
      build: (eb, c) =>
        existsRow(eb, eb.selectFrom('job_templates as fjt')
            .whereRef('fjt.id', '=', 'remote_execution_features.job_template_id')
            .where((w) => c.test(w.ref('fjt.name'))),
        ),
    },
    id: { type: 'integer', column: 'remote_execution_features.id', onlyExplicit: true },
  },
});

/** Compiles a feature search (errors → 422 with a position). */
export function compileFeatureSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(featureSearch, query, dialect, user);
}
