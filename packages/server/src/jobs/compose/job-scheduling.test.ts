import { InputError } from '@remex/common';
import { describe, expect, it } from 'vitest';

import { parseDateTime, parseScheduling, refuseRecurrence } from './job-scheduling.ts';

const NOW = new Date('2030-06-01T12:00:00Z');

describe('parseDateTime', () => {
  it('reads ISO-8601 and hammer-style date-times as UTC ISO strings', () => {
    expect(parseDateTime('2030-06-02T10:20:30Z', 'x')).toBe('2030-06-02T10:20:30.000Z');
    expect(parseDateTime('2030-06-02T10:20:30.5+02:00', 'x')).toBe('2030-06-02T08:20:30.500Z');
    expect(parseDateTime('2030-06-02 10:20', 'x')).toBe('2030-06-02T10:20:00.000Z');
    expect(parseDateTime('2030-06-02 10:20:30 UTC', 'x')).toBe('2030-06-02T10:20:30.000Z');
    expect(parseDateTime('2030-06-02 10:20:30 -0130', 'x')).toBe('2030-06-02T11:50:30.000Z');
    expect(parseDateTime('2030-06-02', 'x')).toBe('2030-06-02T00:00:00.000Z');
  });

  it('refuses what is not a real date-time, naming the field', () => {
    for (const bad of ['tomorrow', '2030-02-30 10:00', '2030-13-01', '2030-06-02 24:00', '2030-06-02 10:61', 17, null, '']) {
      expect(() => parseDateTime(bad, 'scheduling.start_at')).toThrow(/scheduling\.start_at/);
    }
  });
});

describe('parseScheduling', () => {
  it('is immediate without start_at, future with it (nested or flat)', () => {
    expect(parseScheduling({}, NOW)).toEqual({ mode: 'immediate', startAt: null, startBefore: null });
    expect(parseScheduling({ scheduling: { start_at: '2030-06-02 00:00' } }, NOW)).toEqual({ mode: 'future', startAt: '2030-06-02T00:00:00.000Z', startBefore: null });
    expect(parseScheduling({ start_at: '2030-06-02 00:00', start_before: '2030-06-02 01:00' }, NOW)).toMatchObject({ mode: 'future', startBefore: '2030-06-02T01:00:00.000Z' });
    expect(parseScheduling({ scheduling: { start_before: '2030-06-02 01:00' } }, NOW)).toMatchObject({ mode: 'immediate', startBefore: '2030-06-02T01:00:00.000Z' });
    expect(parseScheduling({ scheduling: { start_at: '', start_before: null } }, NOW).mode).toBe('immediate');
  });

  it('refuses start_before before start_at or already past', () => {
    expect(() => parseScheduling({ scheduling: { start_at: '2030-06-03 00:00', start_before: '2030-06-02 00:00' } }, NOW)).toThrow(/start_before .* must not be before scheduling\.start_at/);
    expect(() => parseScheduling({ scheduling: { start_before: '2030-06-01 11:59' } }, NOW)).toThrow(/already past/);
    expect(() => parseScheduling({ scheduling: [] }, NOW)).toThrow(InputError);
  });

  it('refuses recurring jobs rather than ignoring them', () => {
    for (const body of [{ recurrence: { cron_line: '* * * * *' } }, { recurrence: { max_iteration: 2 } }, { run_every: '1h' }, { recurrence: 'daily' }]) {
      expect(() => refuseRecurrence(body)).toThrow('Recurring job invocations are not supported yet');
    }
    expect(() => refuseRecurrence({ recurrence: { cron_line: null, purpose: '' } })).not.toThrow();
    expect(() => refuseRecurrence({})).not.toThrow();
  });
});
