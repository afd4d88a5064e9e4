import { describe, expect, it } from 'vitest';

import { HandshakeLimiter } from './handshake-limiter.ts';

/** Lets pending promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('HandshakeLimiter', () => {
  it('grants at most `max` slots and hands freed slots out first come, first served', async () => {
    const limiter = new HandshakeLimiter(2);
    const order: number[] = [];
    const releases = new Map<number, () => void>();
    for (const id of [1, 2, 3, 4]) {
      void limiter.acquire().then((release) => {
        order.push(id);
        releases.set(id, release);
      });
    }
    await settle();
    expect(order).toEqual([1, 2]);
    expect(limiter.counts()).toEqual({ active: 2, waiting: 2 });
    releases.get(2)?.();
    releases.get(2)?.(); // idempotent: frees one slot only
    await settle();
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.counts()).toEqual({ active: 2, waiting: 1 });
    releases.get(1)?.();
    releases.get(3)?.();
    await settle();
    expect(order).toEqual([1, 2, 3, 4]);
    releases.get(4)?.();
    expect(limiter.counts()).toEqual({ active: 0, waiting: 0 });
  });

  it('stops waiting when the signal aborts, with its reason as the cause, and gives the slot to the next', async () => {
    const limiter = new HandshakeLimiter(1);
    const first = await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort('cancel');
    await expect(aborted).rejects.toMatchObject({ cause: 'cancel' });
    expect(limiter.counts()).toEqual({ active: 1, waiting: 1 });
    first();
    const release = await next;
    expect(limiter.counts()).toEqual({ active: 1, waiting: 0 });
    release();
    await expect(limiter.acquire(controller.signal)).rejects.toMatchObject({ cause: 'cancel' });
    expect(limiter.counts()).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses a limit below 1', () => {
    expect(() => new HandshakeLimiter(0)).toThrow(RangeError);
  });
});
