import { describe, expect, it } from 'vitest';

import { RestartPolicy } from './restart-policy.ts';

/** Runs a child that becomes ready at `t` and crashes `upMs` later; returns the decision. */
function readyThenCrash(policy: RestartPolicy, t: number, upMs: number): ReturnType<RestartPolicy['exited']> {
  policy.started();
  policy.ready(t);
  return policy.exited(t + upMs);
}

describe('RestartPolicy', () => {
  it('doubles the delay from 1 s up to 30 s and counts the restarts', () => {
    const p = new RestartPolicy();
    const delays: number[] = [];
    let t = 0;
    for (let i = 1; i <= 8; i++) {
      const d = readyThenCrash(p, t, 10);
      expect(d).toMatchObject({ action: 'restart', restart: i });
      if (d.action === 'restart') delays.push(d.delayMs);
      t += 40_000;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over at 1 s after the child stayed ready for stableMs', () => {
    const p = new RestartPolicy({ stableMs: 60_000 });
    expect(readyThenCrash(p, 0, 10)).toMatchObject({ delayMs: 1000 });
    expect(readyThenCrash(p, 1000, 10)).toMatchObject({ delayMs: 2000 });
    expect(readyThenCrash(p, 5000, 59_999)).toMatchObject({ delayMs: 4000 });
    expect(readyThenCrash(p, 100_000, 60_000)).toMatchObject({ delayMs: 1000, restart: 4 });
  });

  it('never gives up on a child that crashes after it was ready', () => {
    const p = new RestartPolicy({ maxStartupCrashes: 3, windowMs: 1_000_000 });
    for (let i = 0; i < 50; i++) expect(readyThenCrash(p, i * 10, 1).action).toBe('restart');
  });

  it('gives up after maxStartupCrashes exits before ready within the window, and says why', () => {
    const p = new RestartPolicy({ maxStartupCrashes: 3, windowMs: 60_000 });
    p.started();
    expect(p.exited(0).action).toBe('restart');
    p.started();
    expect(p.exited(1000).action).toBe('restart');
    p.started();
    expect(p.exited(3000)).toEqual({ action: 'give-up', reason: 'it exited 3 times before becoming ready within 60 s' });
  });

  it('forgets startup crashes older than the window, and after a ready start', () => {
    const p = new RestartPolicy({ maxStartupCrashes: 3, windowMs: 60_000 });
    p.started();
    p.exited(0);
    p.started();
    p.exited(10_000);
    p.started();
    expect(p.exited(70_000).action).toBe('restart'); // the crash at 0 left the window
    expect(readyThenCrash(p, 71_000, 5).action).toBe('restart');
    p.started();
    expect(p.exited(72_000).action).toBe('restart');
    p.started();
    expect(p.exited(73_000).action).toBe('restart');
    p.started();
    expect(p.exited(74_000).action).toBe('give-up');
  });
});
