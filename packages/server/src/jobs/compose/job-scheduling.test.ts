import { InputError } from '@remex/common';
import { describe, expect, it } from 'vitest';

import { parseDateTime, parseRecurrence, parseScheduling } from './job-scheduling.ts';

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

});

describe('parseRecurrence', () => {
  it('reads the recurrence hash, or hammer flat options; none when nothing asks for it', () => {
    expect(parseRecurrence({}, NOW)).toBeNull();
    expect(parseRecurrence({ recurrence: { cron_line: null, purpose: '' } }, NOW)).toBeNull();
    expect(parseRecurrence({ recurrence: { cron_line: '0 4 * * 0#2', max_iteration: '3', end_time: '2031-01-01 00:00', purpose: ' backups ' } }, NOW)).toEqual({
      cronLine: '0 4 * * 0#2', maxIteration: 3, endTime: '2031-01-01T00:00:00.000Z', purpose: 'backups',
    });
    expect(parseRecurrence({ cron_line: '*/5 6-17 * * *', max_iteration: 2 }, NOW)).toMatchObject({ cronLine: '*/5 6-17 * * *', maxIteration: 2 });
    expect(parseRecurrence({ recurrence: { input_type: 'daily', time: '04:00' } }, NOW)).toMatchObject({ cronLine: '0 4 * * *' });
  });

  it('refuses a bad cron line, max_iteration below 1 and an end time already past, naming the field', () => {
    expect(() => parseRecurrence({ recurrence: { cron_line: '61 * * * *' } }, NOW)).toThrow(/field 1 \(minute\) '61' at position 1/);
    expect(() => parseRecurrence({ recurrence: { cron_line: '* * * * *', max_iteration: 0 } }, NOW)).toThrow(/recurrence.max_iteration/);
    expect(() => parseRecurrence({ recurrence: { cron_line: '* * * * *', end_time: '2030-06-01 11:00' } }, NOW)).toThrow(/recurrence.end_time .* already past/);
    expect(() => parseRecurrence({ recurrence: { max_iteration: 2 } }, NOW)).toThrow(/recurrence.cron_line is required/);
    expect(() => parseRecurrence({ recurrence: 'daily' }, NOW)).toThrow(InputError);
  });
});
