/**
 * @module
 * Cron lines of recurring jobs: five fields (minute, hour, day of month, month, day of week) as
 * Foreman's recurring logic takes them, with croner's extensions (`L`, `#` for the n-th weekday:
 * `0 4 * * 0#2` is 04:00 on the second Sunday of every month) and an optional leading seconds
 * field (six fields: `0/10 * * * * *` is every ten seconds). Next runs are computed in the
 * server's time zone (`REMEX_TZ`), across daylight-saving changes (croner). Foreman's form presets
 * (hourly, daily, weekly, monthly) are turned into cron lines here too.
 */
import { InputError } from '@remex/common';
import { Cron } from 'croner';

/** The fields of a cron line, in order (a six-field line starts with seconds). */
const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;
const FIELDS_WITH_SECONDS = ['second', ...FIELDS] as const;

/** Longest cron line accepted. */
const MAX_CRON_LINE = 200;

/**
 * Checks a five-field cron line and returns it with single spaces.
 * @param name - the parameter named in errors
 * @throws InputError naming the field (and its position in the line) that is wrong
 */
export function parseCronLine(text: string, name = 'recurrence.cron_line'): string {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_CRON_LINE) throw new InputError(`${name} must be a cron line of five fields (minute hour day-of-month month day-of-week), got '${text}'`);
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new InputError(`${name} '${trimmed}' has ${fields.length} field${fields.length === 1 ? '' : 's'}; a cron line has five: minute hour day-of-month month day-of-week (six with a leading second)`);
  }
  const names = fields.length === 6 ? FIELDS_WITH_SECONDS : FIELDS;
  let column = 1;
  for (const [i, field] of fields.entries()) {
    const probe = names.map((_, j) => (j === i ? field : '*')).join(' ');
    try {
      new Cron(probe, { paused: true });
    } catch (e: unknown) {
      const at = trimmed.indexOf(field, column - 1) + 1;
      throw new InputError(`${name} '${trimmed}': field ${i + 1} (${names[i] ?? ''}) '${field}' at position ${at} is not valid`, { cause: e });
    }
    column += field.length + 1;
  }
  try {
    new Cron(fields.join(' '), { paused: true });
  } catch (e: unknown) {
    throw new InputError(`${name} '${trimmed}' is not a valid cron line`, { cause: e });
  }
  return fields.join(' ');
}

/**
 * The first time after `after` the cron line matches, in zone `timeZone`; null when it never does.
 * @param cronLine - a line {@link parseCronLine} accepted
 */
export function nextRun(cronLine: string, after: Date, timeZone: string): Date | null {
  return new Cron(cronLine, { timezone: timeZone, paused: true }).nextRun(after);
}

/** The server's time zone: `REMEX_TZ`, else the system's. */
export function serverTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const tz = env.REMEX_TZ?.trim();
  if (tz) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch (e: unknown) {
      throw new InputError(`REMEX_TZ '${tz}' is not a time zone (e.g. Europe/Prague, UTC)`, { cause: e });
    }
    return tz;
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `HH:MM` of a preset, as [hour, minute]. */
function timeOf(value: unknown, name: string): [number, number] {
  const m = /^(\d{1,2}):(\d{2})$/.exec(typeof value === 'string' ? value.trim() : '');
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || h > 23 || min > 59) throw new InputError(`${name} must be a time of day as HH:MM, got '${String(value)}'`);
  return [h, min];
}

/** A list given as an array, a comma-separated string or Foreman's `{"1": "1", "3": "0"}` checkbox hash. */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (value !== null && typeof value === 'object') return Object.entries(value).filter(([, v]) => v === true || v === '1' || v === 1).map(([k]) => k);
  return [];
}

/** Whole numbers of `list`, each in [min, max]. */
function numbersOf(list: string[], min: number, max: number, name: string): number[] {
  if (list.length === 0) throw new InputError(`${name} must name at least one value from ${min} to ${max}`);
  return list.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${name} must hold whole numbers from ${min} to ${max}, got '${s}'`);
    return n;
  });
}

/**
 * The cron line of a `recurrence` hash: its `cron_line`, or one of Foreman's form presets by
 * `input_type` — `hourly` (`minutes`), `daily` (`time` HH:MM), `weekly` (`days_of_week` 0–6, Sunday 0,
 * and `time`), `monthly` (`days` 1–31 and `time`), `cronline` (`cron_line`).
 * @throws InputError naming the wrong field
 */
export function cronLineOf(rec: Record<string, unknown>): string {
  const type = typeof rec.input_type === 'string' && rec.input_type !== '' ? rec.input_type : 'cronline';
  switch (type) {
    case 'cronline':
      if (typeof rec.cron_line !== 'string') throw new InputError('recurrence.cron_line is required (five fields: minute hour day-of-month month day-of-week)');
      return parseCronLine(rec.cron_line);
    case 'hourly': {
      const minutes = typeof rec.minutes === 'number' ? String(rec.minutes) : (rec.minutes ?? '0');
      const [minute] = numbersOf(listOf(minutes), 0, 59, 'recurrence.minutes');
      return `${minute ?? 0} * * * *`;
    }
    case 'daily': {
      const [h, m] = timeOf(rec.time, 'recurrence.time');
      return `${m} ${h} * * *`;
    }
    case 'weekly': {
      const [h, m] = timeOf(rec.time, 'recurrence.time');
      return `${m} ${h} * * ${numbersOf(listOf(rec.days_of_week), 0, 6, 'recurrence.days_of_week').join(',')}`;
    }
    case 'monthly': {
      const [h, m] = timeOf(rec.time, 'recurrence.time');
      return `${m} ${h} ${numbersOf(listOf(rec.days), 1, 31, 'recurrence.days').join(',')} * *`;
    }
    default:
      throw new InputError(`recurrence.input_type must be one of cronline, hourly, daily, weekly, monthly; got '${String(type)}'`);
  }
}
