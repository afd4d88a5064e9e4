/**
 * @module
 * Scheduling of a job invocation (reference §1d `scheduling`, REX manual "Scheduling"):
 * `start_at` delays the job (mode `future`; it stays `queued` until then and the dispatcher
 * starts it when due); `start_before` is the deadline after which a job (or a host) that has not
 * started is not started any more. `recurrence` (or hammer's flat `cron_line`, `max_iteration`,
 * `end_time`, `purpose`) makes a recurring job (see `recurring/`).
 */
import { InputError } from '@remex/common';

import { show } from '../../http/params.ts';
import { cronLineOf } from '../../recurring/cron-line.ts';

/** Mode of a job (Foreman `mode`). */
export type JobMode = 'immediate' | 'future' | 'recurring';

/** A recurring job's schedule, as requested. */
export interface RecurrenceRequest {
  cronLine: string;
  maxIteration: number | null;
  /** ISO-8601 UTC; null = no end. */
  endTime: string | null;
  purpose: string | null;
}

/** When a job may start. */
export interface JobSchedule {
  mode: JobMode;
  /** ISO-8601 UTC; null = now. */
  startAt: string | null;
  /** ISO-8601 UTC deadline; null = none. */
  startBefore: string | null;
}

/** Keys of hammer's flat options that ask for a recurring job. */
const RECURRENCE_KEYS = ['cron_line', 'max_iteration', 'end_time', 'purpose'] as const;

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
 * Reads `recurrence: {cron_line | input_type + preset fields, max_iteration, end_time, purpose}`
 * (or hammer's flat `cron_line`, `max_iteration`, `end_time`, `purpose`); null when the job does
 * not recur.
 * @param now - current time (for tests)
 * @throws InputError naming the field that is wrong
 */
export function parseRecurrence(body: Record<string, unknown>, now: Date = new Date()): RecurrenceRequest | null {
  const raw = body.recurrence;
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) throw new InputError('recurrence must be an object with cron_line, max_iteration, end_time and purpose');
  const nested = (raw ?? {}) as Record<string, unknown>;
  const rec: Record<string, unknown> = { ...Object.fromEntries(RECURRENCE_KEYS.filter((k) => present(body[k])).map((k) => [k, body[k]])), ...Object.fromEntries(Object.entries(nested).filter(([, v]) => present(v))) };
  if (Object.keys(rec).length === 0) return null;
  const cronLine = cronLineOf(rec);
  let maxIteration: number | null = null;
  if (present(rec.max_iteration)) {
    const n = Number(rec.max_iteration);
    if (!Number.isInteger(n) || n < 1) throw new InputError(`recurrence.max_iteration must be a whole number of at least 1, got '${show(rec.max_iteration)}'`);
    maxIteration = n;
  }
  const endTime = present(rec.end_time) ? parseDateTime(rec.end_time, 'recurrence.end_time') : null;
  if (endTime !== null && endTime <= now.toISOString()) throw new InputError(`recurrence.end_time (${endTime}) is already past: the job would never run`);
  let purpose: string | null = null;
  if (present(rec.purpose)) {
    if (typeof rec.purpose !== 'string' || rec.purpose.length > 255) throw new InputError('recurrence.purpose must be text of at most 255 characters');
    purpose = rec.purpose.trim();
  }
  return { cronLine, maxIteration, endTime, purpose };
}

/**
 * Reads `scheduling: {start_at, start_before}` (or the same keys at the top level) of a job
 * request. `start_at` makes the job `future`; `start_before` must not be before `start_at` nor
 * already past.
 * @param now - current time (for tests)
 */
export function parseScheduling(body: Record<string, unknown>, now: Date = new Date()): JobSchedule {
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
