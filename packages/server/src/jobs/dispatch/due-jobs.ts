/**
 * @module
 * The dispatcher's loop and the jobs it looks at: due jobs (`queued` or `running`, `start_at`
 * passed), their `start_before` deadline (a job not started fails, hosts not yet sent end
 * cancelled), the end of their time span (hosts not started end cancelled) and their start (a queued job is claimed; a dynamic_query job resolves its hosts).
 */
import { coerceError } from '@remex/common';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database, JobInvocationRow } from '../../db/schema.ts';
import { nowIso } from '../../db/time.ts';
import type { JobEventBus } from '../../events/event-bus.ts';
import { cancelAwaitingTasks } from '../finish/job-cancel.ts';
import { notStartedMessage } from '../compose/job-scheduling.ts';
import { startQueuedJob } from '../compose/job-targeting.ts';
import { queueWebhookEvents } from '../../webhooks/webhook-store.ts';
import { timeSpanClosed, timeSpanMessage } from './time-span.ts';

/** Jobs looked at per tick. */
const DUE_JOBS_PER_TICK = 50;

/** The due jobs, oldest first. */
export function dueJobs(db: Kysely<Database>): Promise<JobInvocationRow[]> {
  return db
    .selectFrom('job_invocations')
    .selectAll()
    .where('state', 'in', ['queued', 'running'])
    .where('start_at', '<=', nowIso())
    .orderBy('id')
    .limit(DUE_JOBS_PER_TICK)
    .execute();
}

/**
 * Applies `start_before` and starts a queued job.
 * @returns `ready` when the job is running and may dispatch, `expired` when it stopped now, or
 *   `skip` (another server started it, or it could not start)
 */
export async function prepareJob(db: Kysely<Database>, bus: JobEventBus, job: JobInvocationRow): Promise<'ready' | 'expired' | 'skip'> {
  if (job.start_before !== null && job.start_before <= nowIso()) {
    if (job.state === 'queued') return (await expireJob(db, bus, job, job.start_before)) ? 'expired' : 'skip';
    const late = await cancelAwaitingTasks(db, job.id, notStartedMessage(job.start_before));
    if (late.length > 0) bus.publish([{ kind: 'progress', jobId: job.id }]);
  }
  if (job.state === 'running' && job.time_span !== null && job.started_at !== null && timeSpanClosed(Date.parse(job.started_at), job.time_span, Date.now())) {
    // The window closed: hosts not started by now never will be.
    const late = await cancelAwaitingTasks(db, job.id, timeSpanMessage(job.time_span), undefined, true);
    if (late.length > 0) bus.publish([{ kind: 'progress', jobId: job.id }]);
  }
  if (job.state === 'queued') {
    if (!(await startQueuedJob(db, job))) return 'skip';
    bus.publish([{ kind: 'progress', jobId: job.id }]);
  }
  return 'ready';
}

/** A queued job whose `start_before` passed: the job fails and its hosts end cancelled (Dynflow's delayed-plan timeout). */
async function expireJob(db: Kysely<Database>, bus: JobEventBus, job: JobInvocationRow, startBefore: string): Promise<boolean> {
  const expired = await db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('job_invocations').set({ state: 'stopped', result: 'error', ended_at: nowIso() }).where('id', '=', job.id).where('state', '=', 'queued').executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await cancelAwaitingTasks(trx, job.id, notStartedMessage(startBefore));
    if (job.recurring_logic_id !== null) {
      await queueWebhookEvents(trx, 'recurring_occurrence_skipped', () => [
        { job: { id: job.id, description: job.description, recurring_logic_id: job.recurring_logic_id, start_at: job.start_at, start_before: startBefore }, reason: notStartedMessage(startBefore) },
      ]);
    }
    return true;
  });
  if (expired) bus.publish([{ kind: 'progress', jobId: job.id, stopped: true }]);
  return expired;
}

/** Runs `tick` until stopped: again at once when it worked or was woken, else after `idleMs`. */
export class DispatchLoop {
  readonly #tick: () => Promise<boolean>;
  readonly #log: FastifyBaseLogger;
  readonly #idleMs: number;
  #running = false;
  #wakeUp: (() => void) | null = null;
  #pendingWake = false;
  #loop: Promise<void> | null = null;

  constructor(tick: () => Promise<boolean>, log: FastifyBaseLogger, idleMs: number) {
    this.#tick = tick;
    this.#log = log;
    this.#idleMs = idleMs;
  }

  /** Starts the loop. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops the loop and waits for the current tick. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  /** Looks for work now. */
  wake(): void {
    this.#pendingWake = true;
    this.#wakeUp?.();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#pendingWake = false;
      let worked = false;
      try {
        worked = await this.#tick();
      } catch (e: unknown) {
        this.#log.error({ err: coerceError(e) }, 'dispatcher tick failed');
      }
      if (!this.#running) break;
      if (worked || this.#pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#idleMs);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = null;
    }
  }
}
