/**
 * @module
 * Dispatch (ARCHITECTURE step 3), composed of the parts in this folder: each tick sweeps
 * expired claims (lease-sweep.ts), then for every due job (due-jobs.ts) claims awaiting tasks
 * under the concurrency limit with a lease (claim.ts), renders them and chooses proxies
 * (build-batch.ts), and launches them (launch.ts; failover.ts on refusal). Several servers may
 * share one PostgreSQL database (ADR 0009).
 */
import { InternalError } from '@remex/common';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';

import type { DispatchTrigger } from '../../context.ts';
import type { Database, JobInvocationRow } from '../../db/schema.ts';
import type { JobEventBus } from '../../events/event-bus.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';
import type { SettingsStore } from '../../settings/settings-store.ts';
import { finishJobs } from '../finish/job-finisher.ts';
import { buildBatch } from './build-batch.ts';
import { DEFAULT_LEASE_MS, SERVER_INSTANCE_ID, claimTasks, holdLeases } from './claim.ts';
import { DispatchLoop, dueJobs, prepareJob } from './due-jobs.ts';
import { failTasks } from './fail-tasks.ts';
import { launchOnProxy } from './launch.ts';
import type { LaunchContext } from './launch.ts';
import { sweepExpiredClaims } from './lease-sweep.ts';
import { DownProxies } from './proxy-selection.ts';
import type { JobRuntime } from './render-for-dispatch.ts';
import { advanceRecurringLogics, type RecurringOptions } from '../../recurring/recurring-logic-store.ts';
import { dialectOf } from '../compose/job-targeting.ts';
import { loadJobRuntime } from './render-for-dispatch.ts';

/** Tasks taken per job per tick (Default: 2000). */
export const DISPATCH_BATCH = 2000;

/** Dependencies of the dispatcher. */
export interface DispatcherOptions {
  db: Kysely<Database>;
  settings: SettingsStore;
  bus: JobEventBus;
  /** Opens the proxies' credentials (to sign requests) and hidden values (for the scripts sent to proxies). */
  secrets: SecretBox;
  log: FastifyBaseLogger;
  /** Idle poll interval in ms (Default: 1000). */
  idleMs?: number;
  /** Lease of a task claim in ms, renewed every third of it (Default: 30 000; ADR 0009). */
  leaseMs?: number;
  /** Name of the built-in runner's proxy, for `remote_execution_without_proxy` (Default: `embedded`). */
  builtinProxy?: string;
  /** Zone and grace of recurring jobs; without it no occurrences are made here. */
  recurring?: RecurringOptions;
  /** This server's id in claims (Default: {@link SERVER_INSTANCE_ID}). */
  instanceId?: string;
}

/** The in-process dispatcher loop. */
export class DefaultDispatcher implements DispatchTrigger {
  readonly #o: DispatcherOptions;
  readonly #runtimes = new Map<number, JobRuntime>();
  readonly #down = new DownProxies();
  readonly #loop: DispatchLoop;
  readonly #instanceId: string;
  readonly #leaseMs: number;
  /** A wake-up set for the next time-span slot, and when it fires (ms since the epoch). */
  #slotTimer: { timer: NodeJS.Timeout; at: number } | null = null;

  constructor(options: DispatcherOptions) {
    this.#o = options;
    this.#instanceId = options.instanceId ?? SERVER_INSTANCE_ID;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#loop = new DispatchLoop(() => this.tick(), options.log, options.idleMs ?? 1000);
  }

  /** Starts the loop. */
  start(): void {
    this.#loop.start();
  }

  /** Stops the loop and waits for the current tick. */
  stop(): Promise<void> {
    if (this.#slotTimer) clearTimeout(this.#slotTimer.timer);
    this.#slotTimer = null;
    return this.#loop.stop();
  }

  /** Wakes the loop at `at` (ms since the epoch), unless an earlier wake-up is set. */
  #wakeAt(at: number): void {
    if (this.#slotTimer && this.#slotTimer.at <= at) return;
    if (this.#slotTimer) clearTimeout(this.#slotTimer.timer);
    const timer = setTimeout(() => {
      this.#slotTimer = null;
      this.wake();
    }, Math.max(0, at - Date.now()));
    timer.unref();
    this.#slotTimer = { timer, at };
  }

  /** Looks for work now. */
  wake(): void {
    this.#loop.wake();
  }

  /** One pass: the expiry sweep, then the due jobs; true when something was dispatched or finished. */
  async tick(): Promise<boolean> {
    const { db, bus } = this.#o;
    const swept = await sweepExpiredClaims(db);
    if (swept.jobIds.size > 0) {
      this.#o.log.warn({ requeued: swept.requeued, failed: swept.failed.length }, 'took back expired task claims');
      bus.publish([...swept.jobIds].map((jobId) => ({ kind: 'progress' as const, jobId })));
    }
    let worked = swept.jobIds.size > 0;
    if (this.#o.recurring) {
      const advanced = await advanceRecurringLogics(db, dialectOf(db), this.#o.secrets, this.#o.recurring);
      if (advanced.created.length > 0) worked = true;
    }
    const jobs = await dueJobs(db);
    for (const job of jobs) {
      if (await this.#tickJob(job)) worked = true;
    }
    for (const id of this.#runtimes.keys()) if (!jobs.some((j) => j.id === id)) this.#runtimes.delete(id);
    return worked;
  }

  async #tickJob(job: JobInvocationRow): Promise<boolean> {
    const { db, bus } = this.#o;
    const ready = await prepareJob(db, bus, job);
    if (ready !== 'ready') return ready === 'expired';
    const claim = await claimTasks(db, job, this.#instanceId, this.#leaseMs, DISPATCH_BATCH);
    // A time span holds the next host back until its slot: look again then, not a tick later.
    if (claim.nextSlotAt !== undefined) this.#wakeAt(claim.nextSlotAt);
    if (claim.tasks.length === 0) {
      if (claim.inflight > 0) return false;
      const done = await finishJobs(db, [job.id]);
      if (done.length > 0) bus.publish([{ kind: 'progress', jobId: job.id, stopped: true }]);
      return done.length > 0;
    }
    const lease = holdLeases(db, this.#instanceId, claim.tasks.map((t) => t.id), this.#leaseMs, (e) => this.#o.log.warn({ err: e }, 'could not renew task leases'));
    try {
      await this.#dispatch(job, claim.tasks);
    } finally {
      lease.stop();
    }
    return true;
  }

  async #dispatch(job: JobInvocationRow, tasks: ReadonlyArray<{ id: number; host_id: number }>): Promise<void> {
    const { db, bus, settings, secrets, log } = this.#o;
    let rt = this.#runtimes.get(job.id);
    if (!rt) {
      try {
        rt = await loadJobRuntime(db, secrets, job);
      } catch (e: unknown) {
        // A hidden input that cannot be opened (another REMEX_SECRET_KEY) fails the hosts, not every tick.
        if (!(e instanceof InternalError)) throw e;
        await failTasks(db, bus, job.id, tasks.map((t) => ({ id: t.id, message: e.message })));
        return;
      }
      this.#runtimes.set(job.id, rt);
    }
    const batch = await buildBatch({ db, settings, secrets, down: this.#down, builtinProxy: this.#o.builtinProxy ?? 'embedded' }, job, rt, tasks);
    await failTasks(db, bus, job.id, batch.failures);
    const launch: LaunchContext = { db, bus, secrets, log, instanceId: this.#instanceId, down: this.#down, requeued: () => this.wake() };
    await Promise.all(
      [...batch.byProxy].map(async ([proxyId, list]) => {
        const proxy = batch.proxies.find((p) => p.id === proxyId);
        if (proxy) await launchOnProxy(launch, job.id, proxy, list, batch.scripts, batch.candidates);
      }),
    );
  }
}
