/**
 * @module
 * Job invocation search fields (Foreman's `JobInvocation` scoped_search, reference §1e),
 * compiled over `job_invocations` (unaliased, as the list route selects it).
 * `recurring`, `recurring_logic.id` and `recurring_logic.purpose` read the job's recurring
 * logic (migration 0027).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

import type { Database, TemplateInvocationTable } from '../../db/schema.ts';
import { compileResourceSearch } from '../../search/resource-search.ts';

/** Tables visible to job invocation search. */
export type JobInvocationSearchDB = Database;
type Eb = ExpressionBuilder<JobInvocationSearchDB, 'job_invocations'>;

/** Job status words and the stored (state, result) they stand for (reference §1e). */
const STATUS_VALUES = { succeeded: 'succeeded', failed: 'failed', queued: 'queued', running: 'running', cancelled: 'cancelled' } as const;

function statusIs(eb: Eb, status: string): Expression<SqlBool> {
  switch (status) {
    case 'queued':
    case 'running':
      return eb('job_invocations.state', '=', status);
    case 'succeeded':
      return eb.and([eb('job_invocations.state', '=', 'stopped'), eb('job_invocations.result', '=', 'success')]);
    case 'cancelled':
      return eb.and([eb('job_invocations.state', '=', 'stopped'), eb('job_invocations.result', '=', 'cancelled')]);
    default:
      // failed: stopped with any other result (error, warning).
      return eb.and([eb('job_invocations.state', '=', 'stopped'), eb('job_invocations.result', 'not in', ['success', 'cancelled'])]);
  }
}

function taskExists(eb: Eb, build: (t: ExpressionBuilder<Database & { t: TemplateInvocationTable }, 't' | 'job_invocations'>) => Expression<SqlBool>): Expression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('template_invocations as t')
      .select(sql.lit(1).as('one'))
      .whereRef('t.job_invocation_id', '=', 'job_invocations.id')
      .where((t) => build(t)),
  );
}


/** The job invocation search definition. */
export const jobInvocationSearch = defineSearch<JobInvocationSearchDB, 'job_invocations'>({
  fields: {
    id: { type: 'integer', column: 'job_invocations.id', description: 'Job invocation id' },
    description: { type: 'string', column: 'job_invocations.description', description: 'Job description' },
    job_category: { type: 'string', column: 'job_invocations.job_category', description: 'Job category' },
    status: {
      type: 'set',
      onlyExplicit: true,
      negation: 'outside',
      values: STATUS_VALUES,
      description: 'succeeded, failed, queued, running, cancelled',
      build: (eb, c) => eb.or(c.values.map((v) => statusIs(eb, String(v)))),
    },
    host: {
      type: 'string',
      description: 'Name of a targeted host',
      build: (eb, c) =>
        taskExists(eb, (t) =>
          t.exists(t.selectFrom('hosts as hh').select(sql.lit(1).as('one')).whereRef('hh.id', '=', 't.host_id').where((h) => c.test(h.ref('hh.name')))),
        ),
    },
    targeted_host_id: {
      type: 'integer',
      onlyExplicit: true,
      operators: ['='],
      build: (eb, c) => taskExists(eb, (t) => c.test(t.ref('t.host_id'))),
    },
    user: {
      type: 'string',
      onlyExplicit: true,
      aliases: ['owner'],
      currentUser: 'login',
      description: 'Login of the user who started the job (current_user)',
      build: (eb, c) =>
        c.operator === 'set'
          ? eb('job_invocations.user_id', 'is not', null)
          : eb.exists(eb.selectFrom('users as u').select(sql.lit(1).as('one')).whereRef('u.id', '=', 'job_invocations.user_id').where((u) => c.test(u.ref('u.login')))),
    },
    pattern_template_name: {
      type: 'string',
      onlyExplicit: true,
      operators: ['='],
      build: (eb, c) =>
        eb.exists(eb.selectFrom('job_templates as pt').select(sql.lit(1).as('one')).whereRef('pt.id', '=', 'job_invocations.template_id').where((p) => c.test(p.ref('pt.name')))),
    },
    start_at: { type: 'datetime', column: 'job_invocations.start_at' },
    started_at: { type: 'datetime', column: 'job_invocations.started_at' },
    ended_at: { type: 'datetime', column: 'job_invocations.ended_at' },
    recurring: {
      type: 'boolean',
      values: { true: 1, false: 0 },
      description: 'An occurrence of a recurring job',
      build: (_eb, c) => c.test(sql<number>`CASE WHEN job_invocations.recurring_logic_id IS NULL THEN 0 ELSE 1 END`),
    },
    'recurring_logic.id': { type: 'integer', onlyExplicit: true, column: 'job_invocations.recurring_logic_id' },
    'recurring_logic.purpose': {
      type: 'string',
      onlyExplicit: true,
      build: (eb, c) => eb.exists(eb.selectFrom('recurring_logics as rl').select(sql.lit(1).as('one')).whereRef('rl.id', '=', 'job_invocations.recurring_logic_id').where((r) => c.test(r.ref('rl.purpose')))),
    },
  },
});

/** Compiles a job invocation search (errors → 422 with a position). */
export function compileJobInvocationSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(jobInvocationSearch, query, dialect, user);
}
