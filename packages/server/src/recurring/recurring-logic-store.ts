/**
 * @module
 * Recurring jobs (Foreman's recurring logic). Creating one stores the logic and its first
 * occurrence: a job invocation in mode `recurring`, queued for the first time the cron line
 * matches. Once the pending occurrence is due, {@link advanceRecurringLogics} (run by every
 * server's dispatcher tick) makes the next one — a copy of the latest occurrence (same template,
 * inputs, sealed secrets, targeting: a dynamic query is resolved again when it starts), made with
 * the owner's permissions of that moment — until `max_iteration` occurrences were made or the next
 * time is after `end_time`. Making an occurrence first moves `next_run_at` from the value it read
 * (compare-and-set, in the occurrence's transaction): of several servers, exactly one makes it.
 *
 * An occurrence may start late by at most its grace (the job's own `start_before` offset, else
 * `REMEX_RECURRING_GRACE_SECONDS`): one missed while no server ran starts once when a server
 * comes back if the grace allows, else it ends skipped saying why (`start_before`, due-jobs.ts).
 */
import { InputError, NotFoundError, type Recurrence, type RecurringLogic } from '@remex/common';
import type { SearchDialect } from '@remex/search-query';
import type { Kysely } from 'kysely';

import type { Database, JobInvocationRow, RecurringLogicRow, RecurringLogicState } from '../db/schema.ts';
import { isSet, nowIso } from '../db/time.ts';
import { createJob, type JobRequest } from '../jobs/compose/job-composer.ts';
import { rerunJob } from '../jobs/compose/job-rerun.ts';
import type { RecurrenceRequest } from '../jobs/compose/job-scheduling.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { CurrentUser } from '../users/user-store.ts';
import { DEFAULT_RECURRING_GRACE_SECONDS } from '../config/server-config.ts';
import { nextRun, serverTimeZone } from './cron-line.ts';

/** How recurring jobs are run by this server. */
export interface RecurringOptions {
  /** Zone cron lines are read in (`REMEX_TZ`). */
  timeZone: string;
  /** Default lateness an occurrence may start with (seconds). */
  graceSeconds: number;
}

/** The options of a server configured with `timeZone` and `graceSeconds`, each defaulted. */
export function recurringOptions(timeZone?: string, graceSeconds?: number): RecurringOptions {
  return { timeZone: timeZone ?? serverTimeZone(), graceSeconds: graceSeconds ?? DEFAULT_RECURRING_GRACE_SECONDS };
}

/** Logics advanced per call. */
const DUE_PER_TICK = 20;

/** `start_before` of an occurrence starting at `startAt`: its own offset, else the grace. */
function deadline(startAt: Date, offsetMs: number | null, graceSeconds: number): string {
  return new Date(startAt.getTime() + (offsetMs ?? graceSeconds * 1000)).toISOString();
}

/**
 * Creates a recurring job: the logic and its first occurrence (run inside a transaction).
 * @throws InputError when the purpose is taken by an active logic, or the line never matches before `end_time`
 */
export async function createRecurringJob(
  db: Kysely<Database>,
  dialect: SearchDialect,
  req: JobRequest,
  rec: RecurrenceRequest,
  user: CurrentUser | null,
  secrets: SecretBox,
  o: RecurringOptions,
): Promise<JobInvocationRow> {
  if (rec.purpose !== null && rec.purpose !== '') {
    const taken = await db.selectFrom('recurring_logics').select('id').where('purpose', '=', rec.purpose).where('state', 'in', ['active', 'disabled']).executeTakeFirst();
    if (taken) throw new InputError(`recurrence.purpose '${rec.purpose}' is already the purpose of active recurring logic ${taken.id}`);
  }
  const from = req.schedule?.startAt ? new Date(Date.parse(req.schedule.startAt) - 1) : new Date();
  const first = nextRun(rec.cronLine, from, o.timeZone);
  if (first === null || (rec.endTime !== null && first.toISOString() > rec.endTime)) {
    throw new InputError(`recurrence.cron_line '${rec.cronLine}' never matches${rec.endTime === null ? '' : ` before recurrence.end_time (${rec.endTime})`}`);
  }
  const startBefore = req.schedule?.startBefore ?? null;
  const offsetMs = startBefore !== null && req.schedule?.startAt ? Date.parse(startBefore) - Date.parse(req.schedule.startAt) : null;
  const now = nowIso();
  const logic = await db
    .insertInto('recurring_logics')
    .values({
      cron_line: rec.cronLine,
      purpose: rec.purpose === '' ? null : rec.purpose,
      max_iteration: rec.maxIteration,
      end_time: rec.endTime,
      iteration: 1,
      state: 'active',
      next_run_at: first.toISOString(),
      time_zone: o.timeZone,
      user_id: user?.id ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return createJob(db, dialect, { ...req, schedule: { mode: 'recurring', startAt: first.toISOString(), startBefore: deadline(first, offsetMs, o.graceSeconds) }, recurringLogicId: logic.id }, user, secrets);
}

/** The owner of a logic as the user its occurrences run as, or null when that user is gone. */
async function ownerOf(db: Kysely<Database>, logic: RecurringLogicRow): Promise<CurrentUser | null> {
  if (logic.user_id === null) return null;
  const u = await db.selectFrom('users').select(['id', 'login', 'admin']).where('id', '=', logic.user_id).executeTakeFirst();
  return u ? { id: u.id, login: u.login, admin: isSet(u.admin) } : null;
}

/** Moves a logic from `from` (the `next_run_at` read) to `set`; false when another server did first. */
async function moveLogic(db: Kysely<Database>, logic: RecurringLogicRow, set: { next_run_at: string | null; iteration?: number; state?: RecurringLogicState }): Promise<boolean> {
  const r = await db
    .updateTable('recurring_logics')
    .set({ ...set, updated_at: nowIso() })
    .where('id', '=', logic.id)
    .where('state', '=', 'active')
    .where('next_run_at', '=', logic.next_run_at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The logic's next matching time after its pending occurrence and after `now` (times missed meanwhile are not made up). */
function followingRun(logic: RecurringLogicRow, now: Date, o: RecurringOptions): Date | null {
  const from = new Date(Math.max(Date.parse(logic.next_run_at ?? '') || 0, now.getTime()));
  return nextRun(logic.cron_line, from, logic.time_zone || o.timeZone);
}

/** What one advance did. */
export interface AdvanceResult {
  /** Occurrences made. */
  created: number[];
  /** Logics that ended (limit reached, past `end_time`, owner gone). */
  finished: number[];
}

/**
 * Makes the next occurrence of every active logic whose pending occurrence is due at `now`.
 * @param now - the clock (tests move it)
 */
export async function advanceRecurringLogics(db: Kysely<Database>, dialect: SearchDialect, secrets: SecretBox, o: RecurringOptions, now: Date = new Date()): Promise<AdvanceResult> {
  const due = await db.selectFrom('recurring_logics').selectAll().where('state', '=', 'active').where('next_run_at', '<=', now.toISOString()).orderBy('next_run_at').limit(DUE_PER_TICK).execute();
  const result: AdvanceResult = { created: [], finished: [] };
  for (const logic of due) {
    const outcome = await db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('job_invocations').selectAll().where('recurring_logic_id', '=', logic.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
      const owner = await ownerOf(trx, logic);
      const limit = logic.max_iteration !== null && logic.iteration >= logic.max_iteration;
      const next = limit ? null : followingRun(logic, now, o);
      if (limit || next === null || (logic.end_time !== null && next.toISOString() > logic.end_time) || !last || (logic.user_id !== null && owner === null)) {
        return (await moveLogic(trx, logic, { next_run_at: null, state: 'finished' })) ? 'finished' : 'raced';
      }
      if (!(await moveLogic(trx, logic, { next_run_at: next.toISOString(), iteration: logic.iteration + 1 }))) return 'raced';
      const offsetMs = last.start_before !== null ? Date.parse(last.start_before) - Date.parse(last.start_at) : null;
      const job = await rerunJob(trx, dialect, last, { failedOnly: false, succeededOnly: false }, owner, secrets, {
        schedule: { mode: 'recurring', startAt: next.toISOString(), startBefore: deadline(next, offsetMs, o.graceSeconds) },
        recurringLogicId: logic.id,
      });
      return job.id;
    }).catch(async (e: unknown) => {
      // An occurrence that cannot be made (e.g. every host of a static job was deleted): skip
      // its time, keep the logic, try again at the following one.
      if (!(e instanceof InputError)) throw e;
      const next = followingRun(logic, now, o);
      await moveLogic(db, logic, next === null ? { next_run_at: null, state: 'finished' } : { next_run_at: next.toISOString() });
      return 'skipped' as const;
    });
    if (typeof outcome === 'number') result.created.push(outcome);
    else if (outcome === 'finished') result.finished.push(logic.id);
  }
  return result;
}

/**
 * The logic `ref` names (its id).
 * @throws NotFoundError when there is none
 */
export async function findRecurringLogic(db: Kysely<Database>, ref: string): Promise<RecurringLogicRow> {
  const row = /^\d+$/.test(ref) ? await db.selectFrom('recurring_logics').selectAll().where('id', '=', Number(ref)).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError(`Recurring logic '${ref}' not found`);
  return row;
}

/** A logic as jobs show it. */
export function serializeRecurrence(r: RecurringLogicRow): Recurrence {
  return { id: r.id, cron_line: r.cron_line, end_time: r.end_time, iteration: r.iteration, max_iteration: r.max_iteration, state: r.state, purpose: r.purpose };
}

/** A logic as `/api/recurring_logics` shows it. */
export function serializeRecurringLogic(r: RecurringLogicRow): RecurringLogic {
  return { ...serializeRecurrence(r), next_occurrence: r.next_run_at, time_zone: r.time_zone, user_id: r.user_id, created_at: r.created_at, updated_at: r.updated_at };
}

/** The logics of `ids`, by id. */
export async function recurrencesOf(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, Recurrence>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('recurring_logics').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, serializeRecurrence(r)]));
}

/** The pending (queued) occurrences of a logic. */
export function pendingOccurrences(db: Kysely<Database>, logicId: number): Promise<JobInvocationRow[]> {
  return db.selectFrom('job_invocations').selectAll().where('recurring_logic_id', '=', logicId).where('state', '=', 'queued').execute();
}

/** Sets the state of a logic (cancel, disable, enable); enabling starts again from `now`. */
export async function setRecurringLogicState(db: Kysely<Database>, logic: RecurringLogicRow, state: RecurringLogicState, now: Date = new Date()): Promise<RecurringLogicRow> {
  return db
    .updateTable('recurring_logics')
    .set({ state, next_run_at: state === 'active' ? now.toISOString() : null, updated_at: nowIso() })
    .where('id', '=', logic.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
