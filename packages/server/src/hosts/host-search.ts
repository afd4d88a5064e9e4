/**
 * @module
 * Host search fields (scoped_search language through `@remex/search-query`), compiled over
 * `hosts as h` left-joined with `hostgroups as hg`, `subnets as sn` and `operatingsystems as os`
 * (see {@link hostQuery}).
 */
import type { FieldComparison, SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import { existsRow } from '../search/exists-row.ts';
import type { Database, HostTable, HostgroupTable, OperatingsystemTable, SubnetTable } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { parameterMatches } from './host-parameter-search.ts';
import { indexedValueGuard } from './value-index.ts';
import { hostTaxonomyFields } from '../taxonomies/taxonomy-fields.ts';

export { asInputError, searchContext } from '../search/resource-search.ts';

/** Tables (with aliases) visible to host search. */
export type HostSearchDB = Database & { h: HostTable; hg: HostgroupTable; sn: SubnetTable; os: OperatingsystemTable };
/** Aliases host search compiles against. */
export type HostSearchTables = 'h' | 'hg' | 'sn' | 'os';
type Eb = ExpressionBuilder<HostSearchDB, HostSearchTables>;

/** Stored task state of a host that has a task not yet started (`job_invocation.result = N/A`). */
const AWAITING = '__awaiting__';

type TaskEb = ExpressionBuilder<Database & { t: Database['template_invocations'] }, 't'>;

/** One task row's condition of `job_invocation.result` (N/A is the not-yet-started state, not a result). */
function resultCondition(sub: TaskEb, c: FieldComparison): Expression<SqlBool> {
  if (!c.values.includes(AWAITING)) return c.test(sub.ref('t.result'));
  const awaiting = sub('t.state', '=', 'awaiting');
  const others = c.values.filter((v) => v !== AWAITING);
  const negative = c.operator === '!=' || c.operator === '!^';
  if (others.length === 0) return negative ? sub('t.state', '!=', 'awaiting') : awaiting;
  const rest = sub('t.result', negative ? 'not in' : 'in', others as string[]);
  return negative ? sub.and([sub('t.state', '!=', 'awaiting'), rest]) : sub.or([awaiting, rest]);
}

/** One task row's condition of `job_invocation.id`. */
function jobCondition(sub: TaskEb, c: FieldComparison): Expression<SqlBool> {
  return c.test(sub.ref('t.job_invocation_id'));
}

/** Hosts with a task (template invocation) meeting every condition on that one task. */
function taskExists(eb: Eb, conditions: ReadonlyArray<(sub: TaskEb) => Expression<SqlBool>>): Expression<SqlBool> {
  return existsRow(eb, eb.selectFrom('template_invocations as t')
      .whereRef('t.host_id', '=', 'h.id')
      .where((sub) => sub.and(conditions.map((condition) => condition(sub)))),
  );
}

/** Stored task results each `job_invocation.result` word stands for (Foreman's task result map). */
export const JOB_RESULT_VALUES = { success: 'success', failed: 'error', error: 'error', cancelled: 'cancelled', pending: 'pending' } as const;

/** The host search definition. */
export const hostSearch = defineSearch<HostSearchDB, HostSearchTables>({
  fields: {
    ...hostTaxonomyFields('h'),
    name: { type: 'string', column: 'h.name', description: 'Host name' },
    ip: { type: 'string', column: 'h.ip' },
    id: { type: 'integer', column: 'h.id', onlyExplicit: true },
    hostgroup: { type: 'string', column: 'hg.name', aliases: ['hostgroup_name'], description: 'Host group name' },
    hostgroup_fullname: { type: 'string', column: 'hg.title', aliases: ['hostgroup_title'] },
    hostgroup_id: { type: 'integer', column: 'h.hostgroup_id', onlyExplicit: true },
    subnet: { type: 'string', column: 'sn.name' },
    domain: { type: 'string', column: 'h.domain_name' },
    os: { type: 'string', column: 'os.name', aliases: ['operatingsystem'] },
    os_major: { type: 'string', column: 'os.major', numeric: true },
    os_family: { type: 'string', column: 'os.family', onlyExplicit: true },
    comment: { type: 'string', column: 'h.comment' },
    execution_status: { type: 'set', column: 'h.execution_status', values: { ok: 0, error: 1 }, onlyExplicit: true },
    params: { type: 'string', keyValue: true, description: 'Parameter through the hierarchy: host → host group → global', build: (eb, c) => parameterMatches(eb, c) },
    facts: {
      type: 'string',
      keyValue: true,
      description: 'Fact reported by the host',
      // One uncorrelated set of host ids (built once), not a subquery per host.
      build: (eb, c) =>
        eb(
          'h.id',
          'in',
          eb
            .selectFrom('fact_values as f')
            .select('f.host_id')
            .where('f.name', '=', c.key)
            .where((sub) => indexedValueGuard(sub, 'f.value', c))
            .where((sub) => c.test(sub.ref('f.value'))),
        ),
    },
    // Tied to one task when ANDed (as Foreman's scoped_search relation): `job_invocation.id = 5
    // and job_invocation.result = failed` is the hosts that failed in job 5.
    'job_invocation.id': { type: 'integer', onlyExplicit: true, relation: { name: 'task', condition: jobCondition }, build: (eb, c) => taskExists(eb, [(sub) => jobCondition(sub, c)]) },
    'job_invocation.result': {
      type: 'set',
      onlyExplicit: true,
      values: { ...JOB_RESULT_VALUES, 'N/A': AWAITING },
      relation: { name: 'task', condition: resultCondition },
      build: (eb, c) => taskExists(eb, [(sub) => resultCondition(sub, c)]),
    },
  },
  relations: { task: (eb, conditions) => taskExists(eb, conditions as ReadonlyArray<(sub: TaskEb) => Expression<SqlBool>>) },
});

/**
 * Compiles a host search query to a filter for {@link hostQuery}. Syntax errors are thrown
 * here, before the database query is built; all search errors are 422s with a position.
 */
export function compileHostSearch(query: string, dialect: SearchDialect, user: SearchUser | null = null): (eb: Eb) => Expression<SqlBool> {
  return compileResourceSearch(hostSearch, query, dialect, user);
}
