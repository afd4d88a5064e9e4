/**
 * @module
 * Template invocation (per-host task) search fields, Foreman's `TemplateInvocation`
 * scoped_search (reference §1e), compiled over `template_invocations as ti`. Permission
 * filters use them (`name = Reboot and host.name = staging.example.com`,
 * `name = "Restart service" and host_group.name = webservers`); the permission-filter issue
 * builds on {@link templateInvocationSearch} and {@link compileTemplateInvocationSearch}.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

import type { Database, TemplateInvocationTable } from '../../db/schema.ts';
import { compileResourceSearch } from '../../search/resource-search.ts';

/** Tables visible to template invocation search. */
export type TemplateInvocationSearchDB = Database & { ti: TemplateInvocationTable };
type Eb = ExpressionBuilder<TemplateInvocationSearchDB, 'ti'>;

/** The template invocation search definition. */
export const templateInvocationSearch = defineSearch<TemplateInvocationSearchDB, 'ti'>({
  fields: {
    'host.name': {
      type: 'string',
      description: 'Host the task runs on',
      build: (eb, c) => eb.exists(eb.selectFrom('hosts as th').select(sql.lit(1).as('one')).whereRef('th.id', '=', 'ti.host_id').where((h) => c.test(h.ref('th.name')))),
    },
    'host_group.name': {
      type: 'string',
      description: "Host group of the task's host",
      build: (eb, c) =>
        eb.exists(
          eb
            .selectFrom('hosts as th')
            .innerJoin('hostgroups as tg', 'tg.id', 'th.hostgroup_id')
            .select(sql.lit(1).as('one'))
            .whereRef('th.id', '=', 'ti.host_id')
            .where((g) => c.test(g.ref('tg.name'))),
        ),
    },
    job_category: {
      type: 'string',
      build: (eb, c) =>
        eb.exists(eb.selectFrom('job_templates as tt').select(sql.lit(1).as('one')).whereRef('tt.id', '=', 'ti.template_id').where((t) => c.test(t.ref('tt.job_category')))),
    },
    name: {
      type: 'string',
      description: 'Template name',
      build: (eb, c) =>
        eb.exists(eb.selectFrom('job_templates as tt').select(sql.lit(1).as('one')).whereRef('tt.id', '=', 'ti.template_id').where((t) => c.test(t.ref('tt.name')))),
    },
    feature: {
      type: 'string',
      description: 'Label of a remote execution feature mapped to the template',
      build: (eb, c) =>
        eb.exists(
          eb
            .selectFrom('remote_execution_features as tf')
            .select(sql.lit(1).as('one'))
            .whereRef('tf.job_template_id', '=', 'ti.template_id')
            .where((f) => c.test(f.ref('tf.label'))),
        ),
    },
  },
});

/** Compiles a template invocation search over `template_invocations as ti` (errors → 422). */
export function compileTemplateInvocationSearch(query: string, dialect: SearchDialect, user: SearchUser | null = null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(templateInvocationSearch, query, dialect, user);
}
