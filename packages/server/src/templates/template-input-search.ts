/**
 * @module
 * Search fields of a template's inputs (`GET /api/templates/:id/template_inputs`) and foreign
 * input sets (`GET /api/templates/:id/foreign_input_sets`), compiled over `template_inputs` and
 * `foreign_input_sets` (unaliased). Foreman defines no scoped_search for these; the fields are
 * the attributes the API shows. The default of a hidden input is never matched.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import { existsRow } from '../search/exists-row.ts';
import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { INPUT_TYPES } from './template-input-definition.ts';

/** 0/1 flags as booleans. */
const FLAG = { true: 1, false: 0 } as const;

/** The template input search definition. */
export const templateInputSearch = defineSearch<Database, 'template_inputs'>({
  fields: {
    name: { type: 'string', column: 'template_inputs.name', description: 'Input name' },
    description: { type: 'string', column: 'template_inputs.description' },
    input_type: {
      type: 'set',
      column: 'template_inputs.input_type',
      values: Object.fromEntries(INPUT_TYPES.map((t) => [t, t])),
      onlyExplicit: true,
      description: INPUT_TYPES.join(', '),
    },
    value_type: { type: 'string', column: 'template_inputs.value_type', onlyExplicit: true },
    required: { type: 'boolean', column: 'template_inputs.required', values: FLAG, onlyExplicit: true },
    advanced: { type: 'boolean', column: 'template_inputs.advanced', values: FLAG, onlyExplicit: true },
    hidden_value: { type: 'boolean', column: 'template_inputs.hidden_value', values: FLAG, onlyExplicit: true },
    default: {
      type: 'string',
      onlyExplicit: true,
      description: 'Default value (never matched for hidden inputs)',
      build: (eb, c) => eb.and([eb('template_inputs.hidden_value', '=', 0), c.test(eb.ref('template_inputs.default_value'))]),
    },
    fact_name: { type: 'string', column: 'template_inputs.fact_name', onlyExplicit: true },
    variable_name: { type: 'string', column: 'template_inputs.variable_name', onlyExplicit: true },
    id: { type: 'integer', column: 'template_inputs.id', onlyExplicit: true },
  },
});

/** Compiles a template input search (errors → 422 with a position). */
export function compileTemplateInputSearch(
  query: string,
  dialect: SearchDialect,
  user: SearchUser | null,
): (eb: ExpressionBuilder<Database, 'template_inputs'>) => Expression<SqlBool> {
  return compileResourceSearch(templateInputSearch, query, dialect, user);
}

/** The foreign input set search definition. */
export const foreignInputSetSearch = defineSearch<Database, 'foreign_input_sets'>({
  fields: {
    target_template: {
      type: 'string',
      description: 'Name of the template whose inputs are borrowed',
      build: (eb, c) =>
        existsRow(eb, eb.selectFrom('job_templates as ftt')
            .whereRef('ftt.id', '=', 'foreign_input_sets.target_template_id')
            .where((w) => c.test(w.ref('ftt.name'))),
        ),
    },
    target_template_id: { type: 'integer', column: 'foreign_input_sets.target_template_id', onlyExplicit: true },
    include_all: { type: 'boolean', column: 'foreign_input_sets.include_all', values: FLAG, onlyExplicit: true },
    include: { type: 'string', column: 'foreign_input_sets.include', description: 'Included input names (comma-separated)' },
    exclude: { type: 'string', column: 'foreign_input_sets.exclude', description: 'Excluded input names (comma-separated)' },
    description: { type: 'string', column: 'foreign_input_sets.description' },
    id: { type: 'integer', column: 'foreign_input_sets.id', onlyExplicit: true },
  },
});

/** Compiles a foreign input set search (errors → 422 with a position). */
export function compileForeignInputSetSearch(
  query: string,
  dialect: SearchDialect,
  user: SearchUser | null,
): (eb: ExpressionBuilder<Database, 'foreign_input_sets'>) => Expression<SqlBool> {
  return compileResourceSearch(foreignInputSetSearch, query, dialect, user);
}
