/**
 * @module
 * Waiting for a stop request (SIGINT or SIGTERM) in the long-running commands (`remex up`,
 * `remex server`, `remex proxy`). Node only when called; importing it is harmless elsewhere.
 */

/** Signals that ask a long-running Remex process to stop. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Resolves on the next SIGINT or SIGTERM of this process, then removes its listeners. When `abort`
 * fires first, the listeners are removed too and the promise stays pending.
 */
export function waitForStopSignal(abort?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const off = (): void => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    };
    const onSignal = (): void => {
      off();
      abort?.removeEventListener('abort', off);
      resolve();
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    abort?.addEventListener('abort', off, { once: true });
  });
}
