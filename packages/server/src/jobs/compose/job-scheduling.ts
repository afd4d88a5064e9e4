/**
 * @module
 * Scheduling of a job invocation (reference §1d `scheduling`, REX manual "Scheduling"):
 * `start_at` delays the job (mode `future`; it stays `queued` until then and the dispatcher
 * starts it when due); `start_before` is the deadline after which a job (or a host) that has not
 * started is not started any more. Recurring jobs are not supported yet and are refused.
 */
import { InputError } from '@remex/common';

import { show } from '../../http/params.ts';

/** Mode of a job (Foreman `mode`; `recurring` is not supported yet). */
export type JobMode = 'immediate' | 'future';

/** When a job may start. */
export interface JobSchedule {
  mode: JobMode;
  /** ISO-8601 UTC; null = now. */
  startAt: string | null;
  /** ISO-8601 UTC deadline; null = none. */
  startBefore: string | null;
}

/** Keys of Foreman's `recurrence` hash (and hammer's flat options) that ask for a recurring job. */
const RECURRENCE_KEYS = ['cron_line', 'run_every', 'max_iteration', 'end_time'] as const;

/** Message for recurring jobs. */
export const RECURRENCE_UNSUPPORTED = 'Recurring job invocations are not supported yet';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a date-time as the API accepts it: ISO-8601 (`2030-01-02T03:04:05Z`,
 * `2030-01-02T03:04:05+02:00`) or Foreman/hammer style (`2030-01-02 03:04[:05] [UTC]`); a time
 * without a zone is UTC; a date alone is its midnight UTC.
 * @throws InputError naming `name` when the value is not such a date-time
 */
export function parseDateTime(value: unknown, name: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const m = DATE_TIME.exec(text);
  if (!m) throw new InputError(`${name} must be a date and time such as 2030-01-31T12:00:00Z or "2030-01-31 12:00", got '${show(value)}'`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const offset = /^(Z|UTC)$/i.test(zone) ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${offset}`;
  const ms = Date.parse(iso);
  // Date.parse rolls 2030-02-31 over to March; a round trip of the date part catches that.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (!Number.isFinite(ms) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new InputError(`${name} is not a valid date and time: '${text}'`);
  }
  return new Date(ms).toISOString();
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/**
 * Refuses a recurring job: a `recurrence` hash with any value, or hammer's flat `cron_line`,
 * `max_iteration`, `end_time`.
 * @throws InputError (422) {@link RECURRENCE_UNSUPPORTED}
 */
export function refuseRecurrence(body: Record<string, unknown>): void {
  const rec = body.recurrence;
  const nested = rec !== undefined && rec !== null && (typeof rec !== 'object' || Array.isArray(rec) || Object.values(rec).some(present));
  const flat = RECURRENCE_KEYS.some((k) => present(body[k]));
  if (nested || flat) throw new InputError(`${RECURRENCE_UNSUPPORTED} (recurrence)`);
}

/**
 * Reads `scheduling: {start_at, start_before}` (or the same keys at the top level) of a job
 * request. `start_at` makes the job `future`; `start_before` must not be before `start_at` nor
 * already past.
 * @param now - current time (for tests)
 */
export function parseScheduling(body: Record<string, unknown>, now: Date = new Date()): JobSchedule {
  refuseRecurrence(body);
  const raw = body.scheduling;
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) throw new InputError('scheduling must be an object with start_at and start_before');
  const sched = (raw ?? {}) as Record<string, unknown>;
  const startAtRaw = present(sched.start_at) ? sched.start_at : body.start_at;
  const startBeforeRaw = present(sched.start_before) ? sched.start_before : body.start_before;
  const startAt = present(startAtRaw) ? parseDateTime(startAtRaw, 'scheduling.start_at') : null;
  const startBefore = present(startBeforeRaw) ? parseDateTime(startBeforeRaw, 'scheduling.start_before') : null;
  if (startBefore !== null) {
    if (startAt !== null && startBefore < startAt) throw new InputError(`scheduling.start_before (${startBefore}) must not be before scheduling.start_at (${startAt})`);
    if (startBefore <= now.toISOString()) throw new InputError(`scheduling.start_before (${startBefore}) is already past: the job could never start`);
  }
  return { mode: startAt === null ? 'immediate' : 'future', startAt, startBefore };
}

/** Message of a job or host that was not started before `start_before` (Dynflow's wording). */
export function notStartedMessage(startBefore: string): string {
  return `Execution plan could not be started before set time (${startBefore})`;
}
