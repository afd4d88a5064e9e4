/**
 * @module
 * A FIFO counting semaphore for connection handshakes. Key exchange and authentication cost CPU
 * on both ends; when hundreds of them run at once they all share that CPU and all finish late.
 * With a cap, the first connections finish early and start their commands while later ones
 * wait their turn: the same total work, a much lower median latency. Only the handshake is
 * limited; an established session gives its slot back at once.
 */

/** Limits how many handshakes are in progress at once. */
export class HandshakeLimiter {
  readonly #max: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  /** @param max - most handshakes at once (`Infinity` for no limit) */
  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError(`The handshake limit must be ≥ 1, got ${max}`);
    this.#max = max;
  }

  /** Handshakes in progress and waiting for a slot. */
  counts(): { active: number; waiting: number } {
    return { active: this.#active, waiting: this.#waiting.length };
  }

  /**
   * Waits for a slot (first come, first served).
   * @param signal - gives up waiting when aborted; the promise then rejects with an error whose
   *   `cause` is `signal.reason`
   * @returns the function that frees the slot again (idempotent)
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.#active < this.#max) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<() => void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.#releaser());
      };
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(grant);
        if (i >= 0) this.#waiting.splice(i, 1);
        if (signal) reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter (the count stays the same).
      if (next) next();
      else this.#active--;
    };
  }
}

function abortError(signal: AbortSignal): Error {
  return new Error('Gave up waiting for a handshake slot', { cause: signal.reason });
}
