/**
 * @module
 * Cancel of a job invocation (reference §1d `cancel`, §1g step 5; REX manual "Job detail"):
 *
 * - a job that has not started (queued, e.g. scheduled for later) is cancelled entirely: the job
 *   stops `cancelled`, and so does every host;
 * - hosts not yet sent to a proxy stop `cancelled` at once;
 * - hosts on a proxy are marked (`cancel_requested_at`) and their proxy is asked to stop them
 *   (`POST /tasks/:id/cancel`); their exit then comes back through the normal event path and
 *   counts as cancelled (event-ingest.ts). A second cancel of a host whose proxy did not end it
 *   stops it here ("Cancel enforced"); `force` (Foreman's abort) asks the proxy and stops the
 *   host here at once as failed ("Task aborted").
 *
 * A job that has already stopped cannot be cancelled (422, Foreman's message).
 */
import { InputError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { ServerContext } from '../../context.ts';
import type { Database, JobInvocationRow } from '../../db/schema.ts';
import { chunks, nowIso } from '../../db/time.ts';
import type { JobMessage } from '../../events/event-bus.ts';
import { cancelTask } from '../../proxies/proxy-client.ts';
import { credentialOf } from '../../proxies/proxy-credentials.ts';
import { recordTransitions, transitionsOf } from '../task-timeline.ts';
import { finishJobs, stopTasks } from './job-finisher.ts';

/** Foreman's answer when the job cannot be cancelled (already stopped). */
export const CANCEL_REFUSED = 'The job could not be cancelled.';
/** Message of a host cancelled before it was sent to a proxy, or whose proxy stopped it. */
export const TASK_CANCELLED = 'Task cancelled';
/** Message of a host stopped here on a second cancel (Foreman's wording). */
export const CANCEL_ENFORCED = 'Cancel enforced: the task might be still running on the proxy';
/** Message of a host stopped here by a forced cancel (Foreman's abort). */
export const TASK_ABORTED = 'Task aborted: the task might be still running on the proxy';

/** How many cancel requests go to proxies at once. */
const PROXY_CALLS_IN_FLIGHT = 16;

/** Answer of a cancel (Foreman's `{cancelled, id}`) plus what happened to the hosts. */
export interface CancelOutcome {
  cancelled: boolean;
  id: number;
  /** Hosts stopped here (never sent to a proxy, or enforced/aborted). */
  stopped: number;
  /** Hosts whose proxy was asked to stop them. */
  requested: number;
  /** Hosts whose proxy could not be reached (cancel again to enforce). */
  unreachable: number;
  /** Tasks stopped here or whose proxy was asked to stop them. */
  cancelledTaskIds: number[];
}

interface InflightTask {
  id: number;
  smart_proxy_id: number | null;
  cancel_requested_at: string | null;
}

/**
 * Stops the tasks of `jobId` that no proxy has yet (state `awaiting`) as cancelled with `message`
 * (also used for hosts not started before `start_before`, or inside a time span).
 * @param unclaimedOnly - leave the tasks a server is sending now (claimed) alone
 * @returns ids of the tasks stopped
 */
export async function cancelAwaitingTasks(db: Kysely<Database>, jobId: number, message: string, only?: readonly number[], unclaimedOnly = false): Promise<number[]> {
  const stop = (ids?: readonly number[]) => {
    let q = db
      .updateTable('template_invocations')
      .set({ state: 'stopped', result: 'cancelled', message, ended_at: nowIso() })
      .where('job_invocation_id', '=', jobId)
      .where('state', '=', 'awaiting');
    if (unclaimedOnly) q = q.where('claimed_by', 'is', null);
    if (ids) q = q.where('id', 'in', ids);
    return q.returning('id').execute();
  };
  if (only === undefined) return (await stop()).map((r) => r.id);
  const out: number[] = [];
  for (const part of chunks(only, 1000)) out.push(...(await stop(part)).map((r) => r.id));
  return out;
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Host messages for tasks that stopped here, for live watchers. */
async function hostMessages(db: Kysely<Database>, jobId: number, taskIds: readonly number[]): Promise<JobMessage[]> {
  const out: JobMessage[] = [];
  for (const part of chunks(taskIds, 5000)) {
    const rows = await db
      .selectFrom('template_invocations as t')
      .innerJoin('hosts as h', 'h.id', 't.host_id')
      .select(['t.host_id', 'h.name', 't.result', 't.exit_status'])
      .where('t.id', 'in', part)
      .execute();
    for (const r of rows) out.push({ kind: 'host', jobId, hostId: r.host_id, hostName: r.name, jobStatus: r.result, exitStatus: r.exit_status });
  }
  return out;
}

/**
 * Cancels job `job` (see the module comment).
 * @param force - abort: stop hosts on proxies here at once, as failed
 * @param only - cancel only these tasks (Foreman's `search`); the job itself goes on with the rest
 * @throws InputError (422) {@link CANCEL_REFUSED} when the job has already stopped
 */
export async function cancelJob(ctx: ServerContext, job: JobInvocationRow, force: boolean, only?: readonly number[]): Promise<CancelOutcome> {
  const db = ctx.store.db;
  const outcome: CancelOutcome = { cancelled: false, id: job.id, stopped: 0, requested: 0, unreachable: 0, cancelledTaskIds: [] };
  if (job.state === 'stopped') throw new InputError(CANCEL_REFUSED);

  if (job.state === 'queued' && only === undefined) {
    // Not started (scheduled, or not yet picked up): the whole job stops, unless the
    // dispatcher claims it first (then it is cancelled as a running job below).
    const stoppedIds = await db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('job_invocations')
        .set({ state: 'stopped', result: 'cancelled', ended_at: nowIso() })
        .where('id', '=', job.id)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return null;
      return cancelAwaitingTasks(trx, job.id, TASK_CANCELLED);
    });
    if (stoppedIds !== null) {
      ctx.bus.publish([...(await hostMessages(db, job.id, stoppedIds)), { kind: 'progress', jobId: job.id, stopped: true }]);
      return { ...outcome, cancelled: true, stopped: stoppedIds.length, cancelledTaskIds: stoppedIds };
    }
    const now = await db.selectFrom('job_invocations').select('state').where('id', '=', job.id).executeTakeFirstOrThrow();
    if (now.state === 'stopped') throw new InputError(CANCEL_REFUSED);
  }

  const { awaiting, inflight } = await db.transaction().execute(async (trx) => {
    // The job may have ended since it was read: then there is nothing to cancel (Foreman's 422).
    const current = await trx.selectFrom('job_invocations').select('state').where('id', '=', job.id).executeTakeFirstOrThrow();
    if (current.state === 'stopped') throw new InputError(CANCEL_REFUSED);
    const awaitingIds = await cancelAwaitingTasks(trx, job.id, TASK_CANCELLED, only);
    const inflightOf = (ids?: readonly number[]) => {
      let q = trx
        .selectFrom('template_invocations')
        .select(['id', 'smart_proxy_id', 'cancel_requested_at'])
        .where('job_invocation_id', '=', job.id)
        .where('state', 'in', ['planned', 'running']);
      if (ids) q = q.where('id', 'in', ids);
      return q.execute();
    };
    const tasks: InflightTask[] = [];
    if (only === undefined) tasks.push(...(await inflightOf()));
    else for (const part of chunks(only, 1000)) tasks.push(...(await inflightOf(part)));
    const first = tasks.filter((t) => t.cancel_requested_at === null).map((t) => t.id);
    const now = nowIso();
    for (const part of chunks(first, 2000)) {
      await trx.updateTable('template_invocations').set({ cancel_requested_at: now }).where('id', 'in', part).where('cancel_requested_at', 'is', null).execute();
      await recordTransitions(trx, transitionsOf(job.id, part, 'cancel_requested', force ? 'abort (force)' : 'cancel'));
    }
    return { awaiting: awaitingIds, inflight: tasks };
  });

  // Ask the proxies (first cancel, and abort); a second plain cancel does not ask again.
  const toAsk = inflight.filter((t) => force || t.cancel_requested_at === null);
  const proxies = new Map((await db.selectFrom('smart_proxies').select(['id', 'name', 'url', 'credential_key_id', 'credential', 'tls_certificate']).execute()).map((p) => [p.id, p]));
  await eachLimited(toAsk, PROXY_CALLS_IN_FLIGHT, async (t) => {
    const proxy = t.smart_proxy_id === null ? undefined : proxies.get(t.smart_proxy_id);
    const credential = proxy ? credentialOf(proxy, ctx.secrets) : null;
    const ok = proxy !== undefined && credential !== null && (await cancelTask({ name: proxy.name, url: proxy.url, credential, tlsCertificate: proxy.tls_certificate }, t.id));
    if (ok) {
      outcome.requested++;
      outcome.cancelledTaskIds.push(t.id);
    } else outcome.unreachable++;
  });

  const local = force
    ? inflight.map((t) => ({ id: t.id, exit: null, result: 'error' as const, message: TASK_ABORTED }))
    : inflight.filter((t) => t.cancel_requested_at !== null).map((t) => ({ id: t.id, exit: null, result: 'cancelled' as const, message: CANCEL_ENFORCED }));
  const { changed, finished } = await db.transaction().execute(async (trx) => {
    const ids = await stopTasks(trx, local);
    return { changed: ids, finished: await finishJobs(trx, [job.id]) };
  });
  const stoppedHere = [...awaiting, ...changed];
  outcome.stopped = stoppedHere.length;
  outcome.cancelledTaskIds = [...new Set([...stoppedHere, ...outcome.cancelledTaskIds])].sort((a, b) => a - b);
  outcome.cancelled = outcome.stopped > 0 || outcome.requested > 0;
  ctx.bus.publish([...(await hostMessages(db, job.id, stoppedHere)), { kind: 'progress', jobId: job.id, ...(finished.length > 0 ? { stopped: true } : {}) }]);
  ctx.dispatch.wake();
  return outcome;
}
