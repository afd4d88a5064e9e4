/**
 * @module
 * Search over the hosts of one job (`GET /api/job_invocations/:id/hosts?search=…`): every host
 * field, with `job_invocation.result` read from this job's task row `t`.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';

import type { Database, TemplateInvocationTable } from '../../db/schema.ts';
import type { HostSearchDB, HostSearchTables } from '../../hosts/host-search.ts';
import { JOB_RESULT_VALUES, hostSearch } from '../../hosts/host-search.ts';
import { compileResourceSearch } from '../../search/resource-search.ts';

type JobHostDB = HostSearchDB & { t: TemplateInvocationTable };
type JobHostTables = HostSearchTables | 't';

const AWAITING = '__awaiting__';

/** The job-host search definition. */
export const jobHostSearch = defineSearch<JobHostDB, JobHostTables>({
  fields: {
    // Host fields compile against the same aliases; `t` only adds columns.
    ...(hostSearch.fields as unknown as ReturnType<typeof defineSearch<JobHostDB, JobHostTables>>['fields']),
    'job_invocation.result': {
      type: 'set',
      onlyExplicit: true,
      negation: 'outside',
      values: { ...JOB_RESULT_VALUES, 'N/A': AWAITING },
      build: (eb, c) => (c.values.includes(AWAITING) ? eb('t.state', '=', 'awaiting') : c.test(eb.ref('t.result'))),
    },
  },
  relations: hostSearch.relations,
});

/** Hosts of job `jobId` joined with their task row `t`. */
export function jobHostQuery(db: Kysely<Database>, jobId: number) {
  return db
    .selectFrom('template_invocations as t')
    .innerJoin('hosts as h', 'h.id', 't.host_id')
    .leftJoin('hostgroups as hg', 'hg.id', 'h.hostgroup_id')
    .leftJoin('subnets as sn', 'sn.id', 'h.subnet_id')
    .leftJoin('operatingsystems as os', 'os.id', 'h.operatingsystem_id')
    .where('t.job_invocation_id', '=', jobId);
}

/** Compiles a job-host search (errors → 422 with a position). */
export function compileJobHostSearch(
  query: string,
  dialect: SearchDialect,
  user: SearchUser | null,
): (eb: ExpressionBuilder<JobHostDB, JobHostTables>) => Expression<SqlBool> {
  return compileResourceSearch(jobHostSearch, query, dialect, user);
}
