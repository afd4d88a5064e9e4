import { describe, expect, it } from 'vitest';

import { likePattern } from './like-pattern.ts';
import { parseTemporal } from './temporal.ts';

const now = new Date('2026-11-25T12:34:56Z');
const parse = (text: string, utcOffsetMinutes = 0) => {
  const v = parseTemporal(text, { now, utcOffsetMinutes });
  return v === null ? null : { start: v.start.toISOString(), unit: v.unit };
};

describe('parseTemporal', () => {
  it('understands today, yesterday, tomorrow (whole days)', () => {
    expect(parse('today')).toEqual({ start: '2026-11-25T00:00:00.000Z', unit: 'day' });
    expect(parse('Yesterday')).toEqual({ start: '2026-11-24T00:00:00.000Z', unit: 'day' });
    expect(parse('tomorrow')).toEqual({ start: '2026-11-26T00:00:00.000Z', unit: 'day' });
    expect(parse('today', 120)).toEqual({ start: '2026-11-24T22:00:00.000Z', unit: 'day' });
  });

  it('understands N minutes/hours ago and from now as instants', () => {
    expect(parse('24 hours ago')).toEqual({ start: '2026-11-24T12:34:56.000Z', unit: 'minute' });
    expect(parse('1 hour ago')).toEqual({ start: '2026-11-25T11:34:56.000Z', unit: 'minute' });
    expect(parse('30 minutes from now')).toEqual({ start: '2026-11-25T13:04:56.000Z', unit: 'minute' });
  });

  it('understands N days/weeks/months/years ago as the start of that day', () => {
    expect(parse('2 days ago')).toEqual({ start: '2026-11-23T00:00:00.000Z', unit: 'day' });
    expect(parse('1 week ago')).toEqual({ start: '2026-11-18T00:00:00.000Z', unit: 'day' });
    expect(parse('3 months ago')).toEqual({ start: '2026-08-25T00:00:00.000Z', unit: 'day' });
    expect(parse('1 year from now')).toEqual({ start: '2027-11-25T00:00:00.000Z', unit: 'day' });
  });

  it('understands absolute dates with the span of their smallest unit', () => {
    expect(parse('2026-11-20')).toEqual({ start: '2026-11-20T00:00:00.000Z', unit: 'day' });
    expect(parse('2026-11')).toEqual({ start: '2026-11-01T00:00:00.000Z', unit: 'month' });
    expect(parse('2026-11-20 10:30')).toEqual({ start: '2026-11-20T10:30:00.000Z', unit: 'minute' });
    expect(parse('2026-11-20T10:30:15Z')).toEqual({ start: '2026-11-20T10:30:15.000Z', unit: 'second' });
    expect(parse('2026-11-20T10:30:15+02:00')).toEqual({ start: '2026-11-20T08:30:15.000Z', unit: 'second' });
    expect(parse('Nov 20, 2026')).toEqual({ start: '2026-11-20T00:00:00.000Z', unit: 'day' });
    expect(parse('20 November 2026')).toEqual({ start: '2026-11-20T00:00:00.000Z', unit: 'day' });
    expect(parse('10:15')).toEqual({ start: '2026-11-25T10:15:00.000Z', unit: 'minute' });
  });

  it('rejects non-dates and impossible dates', () => {
    expect(parse('whenever')).toBeNull();
    expect(parse('2026-02-30')).toBeNull();
    expect(parse('12')).toBeNull();
    expect(parse('Foo 20, 2026')).toBeNull();
  });
});

describe('likePattern', () => {
  it('wraps plain values and escapes _ and \\', () => {
    expect(likePattern('rex01')).toBe('%rex01%');
    expect(likePattern('a_b')).toBe('%a\\_b%');
    expect(likePattern('a\\b')).toBe('%a\\\\b%');
  });

  it('turns * into % and does not wrap when a wildcard is present', () => {
    expect(likePattern('set*')).toBe('set%');
    expect(likePattern('*.example.com')).toBe('%.example.com');
    expect(likePattern('a**b%%c')).toBe('a%b%c');
    expect(likePattern('100%')).toBe('100%');
  });
});
