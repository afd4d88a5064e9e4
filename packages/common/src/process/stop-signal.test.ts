import { describe, expect, it } from 'vitest';

import { STOP_SIGNALS, waitForStopSignal } from './stop-signal.ts';

const counts = (): number[] => STOP_SIGNALS.map((s) => process.listenerCount(s));

describe('waitForStopSignal', () => {
  it.each(STOP_SIGNALS)('resolves on %s and removes its listeners', async (signal) => {
    const before = counts();
    const stopped = waitForStopSignal();
    expect(counts()).toEqual(before.map((n) => n + 1));
    process.emit(signal, signal);
    await stopped;
    expect(counts()).toEqual(before);
  });

  it('removes its listeners when aborted, and then stays pending', async () => {
    const before = counts();
    const abort = new AbortController();
    let settled = false;
    void waitForStopSignal(abort.signal).then(() => (settled = true));
    abort.abort();
    expect(counts()).toEqual(before);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
  });
});
