import { describe, expect, it } from 'vitest';

import { nextSlotAfter, startsAllowed, timeSpanClosed } from './time-span.ts';

describe('time span slots', () => {
  it('lets the i-th of N hosts start i × span / N after the job start', () => {
    // 4 hosts over 6 s: slots at 0, 1.5, 3 and 4.5 s.
    expect([0, 1499, 1500, 2999, 3000, 4499, 4500, 60_000].map((ms) => startsAllowed(4, 6, ms))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(nextSlotAfter(4, 6, 1)).toBe(1500);
    expect(nextSlotAfter(4, 6, 3)).toBe(4500);
    expect(nextSlotAfter(4, 6, 4)).toBeNull();
  });

  it('handles more hosts than milliseconds in the window, and no hosts', () => {
    expect(startsAllowed(10_000, 1, 0)).toBe(1);
    expect(startsAllowed(10_000, 1, 500)).toBe(5001);
    expect(startsAllowed(10_000, 1, 999)).toBe(9991);
    expect(startsAllowed(0, 5, 100)).toBe(0);
  });

  it('closes the window span seconds after the start', () => {
    expect(timeSpanClosed(1000, 2, 2999)).toBe(false);
    expect(timeSpanClosed(1000, 2, 3000)).toBe(true);
  });
});
