/**
 * @module
 * Claiming tasks for dispatch, with leases (ADR 0009). A claim stamps `awaiting` tasks with this
 * server's instance id (`claimed_by`) and a lease (`lease_expires_at`); they stay `awaiting`
 * (a cancel still stops them at once) until launch.ts assigns them to a proxy (`planned`). The
 * claimer renews the lease while it renders and launches, and clears the claim once a proxy
 * accepted the task (from then on the proxy owns it). On PostgreSQL the
 * tasks are taken `FOR UPDATE SKIP LOCKED`, and for a job with a `concurrency_level` the job row
 * is locked `FOR UPDATE` first so that counting the tasks in flight and claiming more is one
 * step no other server interleaves with. SQLite transactions serialize (one writer).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema.ts';
import { chunks } from '../../db/time.ts';
import { dialectOf } from '../compose/job-targeting.ts';
import { recordTransitions, transitionsOf } from '../task-timeline.ts';
import { nextSlotAfter, startsAllowed } from './time-span.ts';

/** This server process's id in claims: `hostname:pid:random`, made once per process. */
export const SERVER_INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** Default lease of a claim (ms); renewed every third of it. */
export const DEFAULT_LEASE_MS = 30_000;

/** Tasks taken by one claim and the job's tasks in flight before it. */
export interface Claim {
  tasks: Array<{ id: number; host_id: number }>;
  /** Tasks in flight before this claim: claimed by a server, `planned` or `running`. */
  inflight: number;
  /** With a time span: when (ms since the epoch) the next host may start, if one is still to come. */
  nextSlotAt?: number;
}

/** What claiming needs of a job. */
export interface ClaimableJob {
  id: number;
  concurrency_level: number | null;
  time_span: number | null;
}

/** ISO time `ms` from now. */
export function leaseUntil(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

/**
 * Claims up to `batch` awaiting tasks of running job `jobId`, never more than its
 * `concurrency_level` allows together with the tasks in flight, nor more starts than its
 * `time_span` allows by now (both counted under the lock).
 */
export async function claimTasks(
  db: Kysely<Database>,
  job: ClaimableJob,
  instanceId: string,
  leaseMs: number,
  batch: number,
): Promise<Claim> {
  const pg = dialectOf(db) === 'postgres';
  return db.transaction().execute(async (trx) => {
    // Serializes the count-and-claim of this job across servers; read here, a job started by
    // this very tick has its start time and host count.
    const current =
      job.concurrency_level || job.time_span
        ? await trx
            .selectFrom('job_invocations')
            .select(['started_at', 'total_hosts'])
            .where('id', '=', job.id)
            .$if(pg, (q) => q.forUpdate())
            .executeTakeFirst()
        : undefined;
    const inflight = Number(
      (
        await trx
          .selectFrom('template_invocations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('job_invocation_id', '=', job.id)
          .where((eb) => eb.or([eb('state', 'in', ['planned', 'running']), eb.and([eb('state', '=', 'awaiting'), eb('claimed_by', 'is not', null)])]))
          .executeTakeFirstOrThrow()
      ).n,
    );
    let capacity = job.concurrency_level ? Math.min(batch, Math.max(0, job.concurrency_level - inflight)) : batch;
    let nextSlotAt: number | undefined;
    if (job.time_span && current?.started_at != null) {
      // Starts so far: every task no longer waiting unclaimed (claimed, sent, running or ended).
      const waiting = Number(
        (
          await trx
            .selectFrom('template_invocations')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('job_invocation_id', '=', job.id)
            .where('state', '=', 'awaiting')
            .where('claimed_by', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
      const startedAt = Date.parse(current.started_at);
      const total = current.total_hosts;
      const allowed = startsAllowed(total, job.time_span, Date.now() - startedAt);
      capacity = Math.min(capacity, Math.max(0, allowed - (total - waiting)));
      const next = nextSlotAfter(total, job.time_span, allowed);
      if (next !== null) nextSlotAt = startedAt + next;
    }
    const slot = nextSlotAt === undefined ? {} : { nextSlotAt };
    if (capacity === 0) return { tasks: [], inflight, ...slot };
    const candidates = await trx
      .selectFrom('template_invocations')
      .select(['id', 'host_id'])
      .where('job_invocation_id', '=', job.id)
      .where('state', '=', 'awaiting')
      .where('claimed_by', 'is', null)
      .orderBy('position')
      .limit(capacity)
      .$if(pg, (q) => q.forUpdate().skipLocked())
      .execute();
    const taken = new Set<number>();
    const until = leaseUntil(leaseMs);
    for (const part of chunks(candidates, 2000)) {
      const rows = await trx
        .updateTable('template_invocations')
        .set({ claimed_by: instanceId, lease_expires_at: until })
        .where('id', 'in', part.map((t) => t.id))
        .where('state', '=', 'awaiting')
        .where('claimed_by', 'is', null)
        .returning('id')
        .execute();
      for (const r of rows) taken.add(r.id);
    }
    await recordTransitions(trx, transitionsOf(job.id, [...taken], 'claimed', `server ${instanceId}`));
    return { tasks: candidates.filter((t) => taken.has(t.id)), inflight, ...slot };
  });
}

/**
 * Renews the lease of `taskIds` (those still claimed by `instanceId` and not yet on a proxy)
 * every third of `leaseMs` until `stop()`.
 */
export function holdLeases(db: Kysely<Database>, instanceId: string, taskIds: readonly number[], leaseMs: number, onError: (e: unknown) => void): { stop(): void } {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    renewLeases(db, instanceId, taskIds, leaseMs)
      .catch(onError)
      .finally(() => {
        busy = false;
      });
  }, Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Pushes the lease of the tasks still claimed by `instanceId` to `leaseMs` from now. */
export async function renewLeases(db: Kysely<Database>, instanceId: string, taskIds: readonly number[], leaseMs: number): Promise<void> {
  const until = leaseUntil(leaseMs);
  for (const part of chunks(taskIds, 2000)) {
    await db
      .updateTable('template_invocations')
      .set({ lease_expires_at: until })
      .where('id', 'in', part)
      .where('claimed_by', '=', instanceId)
      .where('state', 'in', ['awaiting', 'planned'])
      .execute();
  }
}

/** Ends the claim of tasks a proxy accepted: the proxy owns them now. */
export async function releaseClaims(db: Kysely<Database>, instanceId: string, taskIds: readonly number[]): Promise<void> {
  for (const part of chunks(taskIds, 2000)) {
    await db.updateTable('template_invocations').set({ claimed_by: null, lease_expires_at: null }).where('id', 'in', part).where('claimed_by', '=', instanceId).execute();
  }
}
