/**
 * @module
 * Job invocation JSON (Foreman `show` rabl) and status/count derivation (reference §1e).
 */
import type { JobHost, JobInvocation, JobStatusLabel, Recurrence, TaskResult, TaskState } from '@remex/common';
import { JOB_STATUS_CODE, hostJobStatus } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, JobInvocationRow } from '../../db/schema.ts';
import { isSet } from '../../db/time.ts';

/** Task counts of one job. */
export interface JobCounts {
  succeeded: number;
  failed: number;
  cancelled: number;
  pending: number;
  total: number;
}

/** Label of a job from its state and result. */
export function jobStatusLabel(job: Pick<JobInvocationRow, 'state' | 'result'>): JobStatusLabel {
  if (job.state === 'queued') return 'queued';
  if (job.state === 'running') return 'running';
  if (job.result === 'success') return 'succeeded';
  if (job.result === 'cancelled') return 'cancelled';
  return 'failed';
}

/** Counts tasks by result for each job in `jobIds`. */
export async function countTasks(db: Kysely<Database>, jobIds: readonly number[]): Promise<Map<number, JobCounts>> {
  const out = new Map<number, JobCounts>();
  for (const id of jobIds) out.set(id, { succeeded: 0, failed: 0, cancelled: 0, pending: 0, total: 0 });
  if (jobIds.length === 0) return out;
  const rows = await db
    .selectFrom('template_invocations')
    .select(['job_invocation_id', 'result', (eb) => eb.fn.countAll<number>().as('n')])
    .where('job_invocation_id', 'in', jobIds)
    .groupBy(['job_invocation_id', 'result'])
    .execute();
  for (const r of rows) {
    const c = out.get(r.job_invocation_id);
    if (!c) continue;
    const n = Number(r.n);
    c.total += n;
    if (r.result === 'success') c.succeeded += n;
    else if (r.result === 'error') c.failed += n;
    else if (r.result === 'cancelled') c.cancelled += n;
    else c.pending += n;
  }
  return out;
}

/** Progress summary (used by the API and the SSE stream). */
export function progressOf(job: JobInvocationRow, counts: JobCounts): Record<string, unknown> {
  const label = jobStatusLabel(job);
  return { id: job.id, status: JOB_STATUS_CODE[label], status_label: label, ...counts };
}

/** Job JSON for list and show. */
export function serializeJob(
  job: JobInvocationRow,
  counts: JobCounts,
  extra: { templateName: string | null; userLogin: string | null; hidden: ReadonlySet<string>; effectiveUser?: string | null; recurrence?: Recurrence | undefined },
): JobInvocation {
  const label = jobStatusLabel(job);
  const queued = label === 'queued';
  const inputs = JSON.parse(job.inputs) as Record<string, string>;
  const na = (n: number) => (queued ? 'N/A' : n);
  return {
    id: job.id,
    description: job.description,
    description_format: job.description_format,
    job_category: job.job_category,
    targeting_id: job.id,
    status: JOB_STATUS_CODE[label],
    status_label: label,
    start_at: job.start_at,
    started_at: job.started_at,
    ended_at: job.ended_at,
    ssh_user: job.ssh_user,
    concurrency_level: job.concurrency_level,
    time_span: job.time_span,
    execution_timeout_interval: job.execution_timeout_interval,
    template_id: job.template_id,
    template_name: extra.templateName,
    effective_user: extra.effectiveUser === undefined ? job.effective_user : extra.effectiveUser,
    succeeded: na(counts.succeeded),
    failed: na(counts.failed),
    pending: na(counts.pending),
    cancelled: na(counts.cancelled),
    total: na(counts.total),
    missing: 0,
    total_hosts: job.total_hosts,
    mode: job.mode,
    ...(job.mode === 'future' ? { scheduling: { start_at: job.start_at, start_before: job.start_before } } : {}),
    ...(extra.recurrence === undefined ? {} : { recurrence: extra.recurrence }),
    user: extra.userLogin,
    randomized_ordering: isSet(job.randomized_ordering),
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, extra.hidden.has(k) ? '*****' : v])),
    targeting: {
      search_query: job.search_query,
      targeting_type: job.targeting_type,
      bookmark_id: job.bookmark_id,
      randomized_ordering: isSet(job.randomized_ordering),
      user_id: job.user_id,
    },
    task: { id: String(job.id), state: job.state === 'stopped' ? 'stopped' : job.state === 'running' ? 'running' : 'scheduled', cancellable: job.state !== 'stopped' },
    /** Generic render of the template: user inputs evaluated, host-specific inputs as placeholders. */
    preview_script: job.preview_script,
  };
}

/** Per-host row of a job. */
export function serializeJobHost(r: {
  host_id: number;
  name: string;
  state: string;
  result: string;
  exit_status: string | null;
  message: string | null;
  smart_proxy_id: number | null;
}): JobHost {
  return {
    id: r.host_id,
    name: r.name,
    job_status: hostJobStatus(r.state as TaskState, r.result as TaskResult),
    exit_status: r.exit_status,
    message: r.message,
    smart_proxy_id: r.smart_proxy_id,
  };
}
