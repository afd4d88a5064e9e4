/**
 * @module
 * Date/time values of the search language, as scoped_search's `parse_temporal`:
 * `today`, `yesterday`, `tomorrow`; `N minutes|hours ago` / `from now` (exact instant);
 * `N days|weeks|months|years ago` / `from now` (start of that day); absolute dates such as
 * `2026-11-25`, `2026-11-25 10:30`, `2026-11-25T10:30:00Z`, `Nov 25, 2026`, `25 November 2026`,
 * and a bare time `10:30` (today). Each value comes with the span of its smallest given unit, so
 * `= 2026-11-25` matches the whole day.
 */

/** The smallest unit a date value names, which decides its range. */
export type TemporalUnit = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';

/** A parsed date value: its start and the unit it spans. */
export interface TemporalValue {
  readonly start: Date;
  readonly unit: TemporalUnit;
}

/** Options of {@link parseTemporal}. */
export interface TemporalOptions {
  /** The current time. (Default: `new Date()`.) */
  readonly now?: Date;
  /** Offset of the user's time zone from UTC in minutes, for day boundaries and dates without a zone. (Default: 0.) */
  readonly utcOffsetMinutes?: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthIndex(word: string): number {
  const w = word.toLowerCase();
  if (w.length < 3) return -1;
  const i = MONTHS.indexOf(w.slice(0, 3));
  if (i < 0) return -1;
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][i]!;
  return full.startsWith(w) || w === 'sept' ? i : -1;
}

/** Builds a UTC instant from wall-clock parts in a zone `offset` minutes east of UTC. */
function wallClock(offset: number, y: number, mo: number, d = 1, h = 0, mi = 0, s = 0, ms = 0): Date | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo, d, h, mi, s, ms);
  const check = new Date(t);
  if (check.getUTCMonth() !== mo || check.getUTCDate() !== d) return null; // 2026-02-31
  return new Date(t - offset * MINUTE);
}

/** Start of the day containing `instant`, in the zone `offset` minutes east of UTC. */
function startOfDay(instant: number, offset: number): Date {
  const local = instant + offset * MINUTE;
  return new Date(Math.floor(local / DAY) * DAY - offset * MINUTE);
}

/** Adds calendar units (months/years keep the day when possible, as Ruby's ActiveSupport does). */
export function addUnits(date: Date, unit: TemporalUnit, amount: number): Date {
  switch (unit) {
    case 'second': return new Date(date.getTime() + amount * 1000);
    case 'minute': return new Date(date.getTime() + amount * MINUTE);
    case 'hour': return new Date(date.getTime() + amount * 60 * MINUTE);
    case 'day': return new Date(date.getTime() + amount * DAY);
    case 'month':
    case 'year': {
      const months = unit === 'year' ? amount * 12 : amount;
      const d = new Date(date.getTime());
      const day = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + months);
      const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      d.setUTCDate(Math.min(day, last));
      return d;
    }
  }
}

function relative(text: string, now: Date, offset: number): TemporalValue | null {
  const m = /^\s*(\d{1,6})\s+(minute|hour|day|week|month|year)s?\s+(ago|from\s+now)\s*$/i.exec(text);
  if (m === null) return null;
  const amount = Number(m[1]) * (/^ago$/i.test(m[3]!) ? -1 : 1);
  const unit = m[2]!.toLowerCase();
  if (unit === 'minute' || unit === 'hour') {
    return { start: addUnits(now, unit, amount), unit: 'minute' };
  }
  // ActiveSupport moves calendar units in the local zone, then takes the start of that day.
  const local = new Date(now.getTime() + offset * MINUTE);
  const moved = unit === 'week' ? addUnits(local, 'day', amount * 7) : addUnits(local, unit as TemporalUnit, amount);
  return { start: startOfDay(moved.getTime() - offset * MINUTE, offset), unit: 'day' };
}

function zoneOffset(zone: string | undefined, fallback: number): number {
  if (zone === undefined || zone === '') return fallback;
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (m === null) return fallback;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const TIME = String.raw`(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?`;
const ISO = new RegExp(String.raw`^\s*(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2})${TIME})?\s*$`, 'i');
const MONTH_FIRST = new RegExp(String.raw`^\s*([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}\s*$`, 'i');
const DAY_FIRST = new RegExp(String.raw`^\s*(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})${TIME}\s*$`, 'i');
const TIME_ONLY = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/;

function withTime(offset: number, y: number, mo: number, d: number, parts: readonly (string | undefined)[]): TemporalValue | null {
  const [h, mi, s, frac, zone] = parts;
  const zoned = zoneOffset(zone, offset);
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const start = wallClock(zoned, y, mo, d, h === undefined ? 0 : Number(h), mi === undefined ? 0 : Number(mi), s === undefined ? 0 : Number(s), ms);
  if (start === null) return null;
  const unit: TemporalUnit = s !== undefined ? 'second' : mi !== undefined ? 'minute' : 'day';
  return { start, unit };
}

function absolute(text: string, now: Date, offset: number): TemporalValue | null {
  let m = ISO.exec(text);
  if (m !== null) {
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    if (m[3] === undefined) {
      const start = wallClock(offset, y, mo);
      return start === null ? null : { start, unit: 'month' };
    }
    return withTime(offset, y, mo, Number(m[3]), m.slice(4, 9));
  }
  m = MONTH_FIRST.exec(text);
  if (m !== null) {
    const mo = monthIndex(m[1]!);
    return mo < 0 ? null : withTime(offset, Number(m[3]), mo, Number(m[2]), m.slice(4, 9));
  }
  m = DAY_FIRST.exec(text);
  if (m !== null) {
    const mo = monthIndex(m[2]!);
    return mo < 0 ? null : withTime(offset, Number(m[3]), mo, Number(m[1]), m.slice(4, 9));
  }
  m = TIME_ONLY.exec(text);
  if (m !== null) {
    const day = startOfDay(now.getTime(), offset);
    const local = new Date(day.getTime() + offset * MINUTE);
    return withTime(offset, local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), [m[1], m[2], m[3], undefined, undefined]);
  }
  return null;
}

/**
 * Parses a date/time value of the search language.
 * @returns the start and unit, or `null` when the text is not a date.
 */
export function parseTemporal(text: string, options: TemporalOptions = {}): TemporalValue | null {
  const now = options.now ?? new Date();
  const offset = options.utcOffsetMinutes ?? 0;
  if (text.length > 100) return null;
  if (/\btoday\b/i.test(text)) return { start: startOfDay(now.getTime(), offset), unit: 'day' };
  if (/\byesterday\b/i.test(text)) return { start: startOfDay(now.getTime() - DAY, offset), unit: 'day' };
  if (/\btomorrow\b/i.test(text)) return { start: startOfDay(now.getTime() + DAY, offset), unit: 'day' };
  return relative(text, now, offset) ?? absolute(text, now, offset);
}
