/**
 * @module
 * Rerun of a job invocation (reference §1d `rerun`): a new, immediate job with the same
 * template, input values (hidden ones included: they are stored sealed and opened here), effective user, SSH
 * user, concurrency, timeout, description format and targeting. A static job reruns on the same
 * hosts in the same order; a dynamic one on its query (resolved again when it starts).
 * `failed_only` / `succeeded_only` restrict it to the hosts that failed / succeeded, as a static
 * `name ^ (…)` list (Foreman's way). Job-level secrets are not stored, so they are not carried.
 */
import { InputError, NotFoundError } from '@remex/common';
import type { SearchDialect } from '@remex/search-query';
import type { Kysely } from 'kysely';

import type { Database, JobInvocationRow } from '../../db/schema.ts';
import { isSet } from '../../db/time.ts';
import { effectiveInputs } from '../../templates/foreign-input-sets.ts';
import type { LoadedTemplate } from '../../templates/job-template-store.ts';
import { findTemplate, loadTemplate } from '../../templates/job-template-store.ts';
import type { CurrentUser } from '../../users/user-store.ts';
import type { JobRequest } from './job-composer.ts';
import { createJob } from './job-composer.ts';
import { jobHiddenInputs, openInputs } from './hidden-inputs.ts';
import { openJobSecrets } from './job-secrets.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';

/** Which hosts of the old job to rerun on. */
export interface RerunOptions {
  failedOnly: boolean;
  succeededOnly: boolean;
}

function quoteName(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) ? name : `"${name.replace(/(["\\])/g, '\\$1')}"`;
}

/** Hosts of `jobId` that still exist, in the job's order, optionally only those with `result`. */
async function jobHosts(db: Kysely<Database>, jobId: number, result: string | null): Promise<Array<{ id: number; name: string }>> {
  let q = db
    .selectFrom('template_invocations as t')
    .innerJoin('hosts as h', 'h.id', 't.host_id')
    .select(['h.id', 'h.name'])
    .where('t.job_invocation_id', '=', jobId);
  if (result !== null) q = q.where('t.state', '=', 'stopped').where('t.result', '=', result);
  return q.orderBy('t.position').execute();
}

async function templateOf(db: Kysely<Database>, job: JobInvocationRow): Promise<LoadedTemplate> {
  try {
    return await loadTemplate(db, await findTemplate(db, job.template_id));
  } catch (e: unknown) {
    if (e instanceof NotFoundError) throw new InputError(`Job invocation ${job.id} cannot be rerun: its job template no longer exists`, { cause: e });
    throw e;
  }
}

/**
 * Creates the rerun of `job` (run inside a transaction); `occurrence` makes it the next occurrence
 * of a recurring job instead (its schedule and logic).
 * @throws InputError when both options are set, or no host is left to run on
 */
export async function rerunJob(
  db: Kysely<Database>,
  dialect: SearchDialect,
  job: JobInvocationRow,
  opts: RerunOptions,
  user: CurrentUser | null,
  secrets: SecretBox,
  occurrence: Pick<JobRequest, 'schedule' | 'recurringLogicId'> = {},
): Promise<JobInvocationRow> {
  if (opts.failedOnly && opts.succeededOnly) throw new InputError('Only one of failed_only or succeeded_only can be set');
  const template = await templateOf(db, job);
  const restrict = opts.failedOnly ? 'error' : opts.succeededOnly ? 'success' : null;
  let targetingType = job.targeting_type;
  let searchQuery = job.search_query ?? '';
  let bookmarkId = job.bookmark_id;
  let hostIds: number[] | undefined;
  if (restrict !== null || targetingType !== 'dynamic_query') {
    const hosts = await jobHosts(db, job.id, restrict);
    if (hosts.length === 0) {
      const which = restrict === 'error' ? 'failed hosts' : restrict === 'success' ? 'succeeded hosts' : 'hosts (they were deleted)';
      throw new InputError(`Job invocation ${job.id} has no ${which} to rerun on`);
    }
    hostIds = hosts.map((h) => h.id);
    if (restrict !== null) {
      targetingType = 'static_query';
      searchQuery = `name ^ (${hosts.map((h) => quoteName(h.name)).join(', ')})`;
      bookmarkId = null;
    }
  }
  const req: JobRequest = {
    template,
    targetingType,
    searchQuery,
    bookmarkId,
    inputs: openInputs(job.inputs, (await jobHiddenInputs(db, [job])).get(job.id) ?? new Set<string>(), secrets),
    randomizedOrdering: isSet(job.randomized_ordering),
    concurrencyLevel: job.concurrency_level,
    timeSpan: job.time_span,
    executionTimeoutInterval: job.execution_timeout_interval,
    effectiveUser: job.effective_user,
    // Like hidden inputs, the sealed secrets carry over (opened here, sealed again).
    secrets: openJobSecrets(job, secrets),
    sshUser: job.ssh_user,
    descriptionFormat: job.description_format,
    offeredInputs: await effectiveInputs(db, template.row.id),
    featureId: job.remote_execution_feature_id,
    ...(hostIds === undefined ? {} : { hostIds }),
    ...occurrence,
  };
  return createJob(db, dialect, req, user, secrets);
}
