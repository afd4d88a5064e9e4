import { describe, expect, it } from 'vitest';

import { cronLineOf, nextRun, parseCronLine } from './cron-line.ts';

const runs = (line: string, from: string, tz: string, n: number): string[] => {
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < n; i++) {
    const next = nextRun(line, at, tz);
    if (!next) break;
    out.push(next.toISOString());
    at = next;
  }
  return out;
};

describe('cron lines', () => {
  it("expresses the manual's examples: the second Sunday of every month, every 5 minutes from 6 AM to 6 PM", () => {
    expect(runs('0 4 * * 0#2', '2026-12-01T00:00:00Z', 'UTC', 3)).toEqual(['2026-12-13T04:00:00.000Z', '2027-01-10T04:00:00.000Z', '2027-02-14T04:00:00.000Z']);
    expect(runs('*/5 6-17 * * *', '2026-12-05T17:50:00Z', 'UTC', 3)).toEqual(['2026-12-05T17:55:00.000Z', '2026-12-06T06:00:00.000Z', '2026-12-06T06:05:00.000Z']);
  });

  it('runs in the server zone across daylight-saving changes (Europe/Prague, America/New_York)', () => {
    // Prague springs forward on 2027-03-28 (02:00 → 03:00) and falls back on 2027-10-31.
    expect(runs('0 9 * * *', '2027-03-27T00:00:00Z', 'Europe/Prague', 2)).toEqual(['2027-03-27T08:00:00.000Z', '2027-03-28T07:00:00.000Z']);
    expect(runs('0 9 * * *', '2027-10-30T00:00:00Z', 'Europe/Prague', 2)).toEqual(['2027-10-30T07:00:00.000Z', '2027-10-31T08:00:00.000Z']);
    // New York falls back on 2026-11-01: 09:00 local is 13:00Z before, 14:00Z after.
    expect(runs('0 9 * * *', '2026-10-31T00:00:00Z', 'America/New_York', 2)).toEqual(['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z']);
    // A time that does not exist on the spring-forward day runs once, not never and not twice.
    const spring = runs('30 2 * * *', '2027-03-27T12:00:00Z', 'Europe/Prague', 2);
    expect(spring).toHaveLength(2);
    expect(new Set(spring.map((s) => s.slice(0, 10))).size).toBe(2);
  });

  it('refuses a bad line naming the field and its position', () => {
    expect(() => parseCronLine('0 4 32 * *')).toThrow(/field 3 \(day of month\) '32' at position 5/);
    expect(() => parseCronLine('*/5 25 * * *')).toThrow(/field 2 \(hour\) '25' at position 5/);
    expect(() => parseCronLine('0 4 * *')).toThrow(/has 4 fields; a cron line has five/);
    expect(() => parseCronLine('0 0 4 * * * *')).toThrow(/has 7 fields/);
    expect(() => parseCronLine('61 * * * * *')).toThrow(/field 1 \(second\) '61'/);
    // Six fields: a leading second.
    expect(runs(parseCronLine('*/20 * * * * *'), '2026-12-05T10:00:05Z', 'UTC', 3)).toEqual(['2026-12-05T10:00:20.000Z', '2026-12-05T10:00:40.000Z', '2026-12-05T10:01:00.000Z']);
    expect(parseCronLine('  0   4 * *  1-5 ')).toBe('0 4 * * 1-5');
  });

  it("turns Foreman's presets into cron lines", () => {
    expect(cronLineOf({ input_type: 'hourly', minutes: '15' })).toBe('15 * * * *');
    expect(cronLineOf({ input_type: 'daily', time: '04:30' })).toBe('30 4 * * *');
    expect(cronLineOf({ input_type: 'weekly', time: '22:00', days_of_week: { '1': '1', '3': '1', '5': '0' } })).toBe('0 22 * * 1,3');
    expect(cronLineOf({ input_type: 'monthly', time: '01:05', days: '1,15' })).toBe('5 1 1,15 * *');
    expect(cronLineOf({ cron_line: '0 4 * * 0#2' })).toBe('0 4 * * 0#2');
    expect(() => cronLineOf({ input_type: 'daily', time: '25:00' })).toThrow(/recurrence.time/);
    expect(() => cronLineOf({ input_type: 'weekly', time: '10:00', days_of_week: [] })).toThrow(/days_of_week/);
    expect(() => cronLineOf({ input_type: 'yearly' })).toThrow(/input_type/);
  });
});
