/**
 * @module
 * Queries of the job invocation routes: a job by id, the jobs as the API shows them, a job's hosts
 * and tasks. Routes parse, authorize, call these and serialize.
 */
import type { JobInvocation } from '@remex/common';
import { NotFoundError } from '@remex/common';
import type { SearchDialect } from '@remex/search-query';
import type { Kysely } from 'kysely';

import { countRows } from '../db/count-rows.ts';
import type { Database, HostRow, JobInvocationRow, TemplateInvocationRow } from '../db/schema.ts';
import { findHost } from '../hosts/host-store.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { CurrentUser } from '../users/user-store.ts';
import { jobHiddenInputs } from './compose/hidden-inputs.ts';
import { resolveEffectiveUser } from './dispatch/host-connection.ts';
import { countTasks, serializeJob, serializeJobHost } from './http/job-serializer.ts';
import { recurrencesOf } from '../recurring/recurring-logic-store.ts';
import { compileJobHostSearch, jobHostQuery } from './search/job-host-search.ts';

/** Columns of a job's host row (see `serializeJobHost`). */
const HOST_COLUMNS = ['t.host_id', 'h.name', 't.state', 't.result', 't.exit_status', 't.message', 't.smart_proxy_id'] as const;

/** Most hosts shown inside a job (`targeting.hosts`). */
const SHOWN_HOSTS = 1000;

/**
 * The job `ref` names (its id).
 * @throws NotFoundError when there is none
 */
export async function findJob(db: Kysely<Database>, ref: string): Promise<JobInvocationRow> {
  if (!/^\d+$/.test(ref)) throw new NotFoundError(`Job invocation '${ref}' not found`);
  const job = await db.selectFrom('job_invocations').selectAll().where('id', '=', Number(ref)).executeTakeFirst();
  if (!job) throw new NotFoundError(`Job invocation ${ref} not found`);
  return job;
}

/** The jobs as the API shows them: task counts, template, user, hidden inputs and effective user loaded in a few queries. */
export async function showJobs(db: Kysely<Database>, settings: SettingsStore, jobs: readonly JobInvocationRow[]): Promise<JobInvocation[]> {
  const counts = await countTasks(db, jobs.map((j) => j.id));
  const templateIds = [...new Set(jobs.map((j) => j.template_id))];
  const templates = templateIds.length
    ? await db
        .selectFrom('job_templates')
        .select(['id', 'name', 'effective_user_overridable', 'effective_user_current_user', 'effective_user_value'])
        .where('id', 'in', templateIds)
        .execute()
    : [];
  const defaultUser = String(settings.get('remote_execution_effective_user'));
  const hidden = await jobHiddenInputs(db, jobs);
  const userIds = [...new Set(jobs.map((j) => j.user_id).filter((u): u is number => u !== null))];
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'login']).where('id', 'in', userIds).execute() : [];
  const recurrences = await recurrencesOf(db, jobs.map((j) => j.recurring_logic_id).filter((r): r is number => r !== null));
  return jobs.map((j) => {
    const template = templates.find((t) => t.id === j.template_id);
    const userLogin = users.find((u) => u.id === j.user_id)?.login ?? null;
    return serializeJob(j, counts.get(j.id) ?? { succeeded: 0, failed: 0, cancelled: 0, pending: 0, total: 0 }, {
      templateName: template?.name ?? null,
      userLogin,
      hidden: hidden.get(j.id) ?? new Set<string>(),
      recurrence: j.recurring_logic_id === null ? undefined : recurrences.get(j.recurring_logic_id),
      // As the job resolves it (a host parameter may still override the setting per host).
      effectiveUser: template ? resolveEffectiveUser(template, j.effective_user, userLogin, defaultUser) : j.effective_user,
    });
  });
}

/** One job as the API shows it. */
export async function showJob(db: Kysely<Database>, settings: SettingsStore, job: JobInvocationRow): Promise<JobInvocation> {
  const [shown] = await showJobs(db, settings, [job]);
  if (!shown) throw new NotFoundError(`Job invocation ${job.id} not found`);
  return shown;
}

/** The first hosts of a job in task order, as show lists them in `targeting.hosts`. */
export function firstJobHosts(db: Kysely<Database>, jobId: number) {
  return db
    .selectFrom('template_invocations as t')
    .innerJoin('hosts as h', 'h.id', 't.host_id')
    .select(HOST_COLUMNS)
    .where('t.job_invocation_id', '=', jobId)
    .orderBy('t.position')
    .limit(SHOWN_HOSTS)
    .execute();
}

/**
 * One page of a job's hosts in Foreman's list envelope: in task order unless `order` is `name`
 * or `id`; `total` is the job's host count, `subtotal` counts what `search` and `awaiting` keep.
 * @param db - database
 * @param dialect - search dialect
 * @param user - the caller (for `params.x` and `user = current_user` in searches)
 * @param job - the job
 * @param params - parsed list parameters
 * @param awaiting - only hosts whose task waits for an answer
 */
export function listJobHosts(db: Kysely<Database>, dialect: SearchDialect, user: CurrentUser | null, job: JobInvocationRow, params: ListParams, awaiting: boolean) {
  return listResource({
    params,
    base: jobHostQuery(db, job.id),
    total: () => Promise.resolve(job.total_hosts),
    narrow: awaiting ? (eb) => eb('t.state', '=', 'awaiting') : undefined,
    search: (text) => compileJobHostSearch(text, dialect, user),
    orderColumns: { position: 't.position', name: 'h.name', id: 'h.id' },
    defaultOrder: 'position',
    select: (q) => q.select(HOST_COLUMNS),
    serialize: (rows) => rows.map(serializeJobHost),
  });
}

/** Ids of the tasks of a job whose hosts a job-host search picks, in id order. */
export async function matchingTaskIds(db: Kysely<Database>, dialect: SearchDialect, user: CurrentUser | null, jobId: number, search: string): Promise<number[]> {
  const rows = await jobHostQuery(db, jobId).where(compileJobHostSearch(search, dialect, user)).select('t.id').orderBy('t.id').execute();
  return rows.map((r) => r.id);
}

/** One page of a job's tasks (in task order) for the bulk output, optionally those a host search picks, and how many match. */
export async function outputTasks(db: Kysely<Database>, dialect: SearchDialect, user: CurrentUser | null, jobId: number, p: { search: string | null; page: number; perPage: number }) {
  let q = jobHostQuery(db, jobId);
  if (p.search) q = q.where(compileJobHostSearch(p.search, dialect, user));
  const total = await countRows(q);
  const tasks = await q
    .select(['t.id', 't.host_id', 't.state'])
    .orderBy('t.position')
    .orderBy('t.id')
    .limit(p.perPage)
    .offset((p.page - 1) * p.perPage)
    .execute();
  return { total, tasks };
}

/**
 * The task of host `hostRef` (id or name) in job `jobId`.
 * @throws NotFoundError when the host does not exist or is not a target of the job
 */
export async function jobTask(db: Kysely<Database>, jobId: number, hostRef: string): Promise<{ host: HostRow; task: TemplateInvocationRow }> {
  const host = await findHost(db, hostRef);
  const task = await db.selectFrom('template_invocations').selectAll().where('job_invocation_id', '=', jobId).where('host_id', '=', host.id).executeTakeFirst();
  if (!task) throw new NotFoundError(`Host '${host.name}' is not a target of job invocation ${jobId}`);
  return { host, task };
}
