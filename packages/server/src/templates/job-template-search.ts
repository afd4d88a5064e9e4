/**
 * @module
 * Job template search fields (Foreman's `JobTemplate` scoped_search, reference §1e), compiled
 * over `job_templates` (unaliased, as the list route selects it). `feature.name` and
 * `feature.label` look through `remote_execution_features.job_template_id`.
 * `template` (the ERB text) must be named: free text does not scan template bodies.
 */
import type { FieldComparison, SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import { existsRow } from '../search/exists-row.ts';
import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { taxableFields } from '../taxonomies/taxonomy-fields.ts';

type Eb = ExpressionBuilder<Database, 'job_templates'>;

function featureExists(eb: Eb, c: FieldComparison, column: 'rf.name' | 'rf.label'): Expression<SqlBool> {
  return existsRow(eb, eb.selectFrom('remote_execution_features as rf')
      .whereRef('rf.job_template_id', '=', 'job_templates.id')
      .where((f) => c.test(f.ref(column))),
  );
}

/** 0/1 flags as booleans. */
const FLAG = { true: 1, false: 0 } as const;

/** The job template search definition. */
export const jobTemplateSearch = defineSearch<Database, 'job_templates'>({
  fields: {
    ...taxableFields('JobTemplate', 'job_templates.id'),
    name: { type: 'string', column: 'job_templates.name', description: 'Template name' },
    id: { type: 'integer', column: 'job_templates.id', onlyExplicit: true },
    job_category: { type: 'string', column: 'job_templates.job_category', description: 'Job category' },
    provider_type: { type: 'string', column: 'job_templates.provider_type' },
    description: { type: 'string', column: 'job_templates.description', onlyExplicit: true },
    template: { type: 'string', column: 'job_templates.template', onlyExplicit: true, description: 'Template text (ERB)' },
    locked: { type: 'boolean', column: 'job_templates.locked', values: FLAG },
    snippet: { type: 'boolean', column: 'job_templates.snippet', values: FLAG },
    default: { type: 'boolean', column: 'job_templates.default_template', values: FLAG, onlyExplicit: true },
    'feature.name': { type: 'string', onlyExplicit: true, build: (eb, c) => featureExists(eb, c, 'rf.name') },
    'feature.label': { type: 'string', onlyExplicit: true, build: (eb, c) => featureExists(eb, c, 'rf.label') },
  },
});

/** Compiles a job template search (errors → 422 with a position). */
export function compileJobTemplateSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(jobTemplateSearch, query, dialect, user);
}
