/**
 * @module
 * When to restart a crashed child of `remex up`, and after how long. Pure (the caller passes the
 * time), so it is unit-tested without a clock.
 *
 * - Backoff: the first restart waits `initialDelayMs`, each further one twice as long, up to
 *   `maxDelayMs`. A child that stayed ready for `stableMs` before it exited starts over at
 *   `initialDelayMs`.
 * - Giving up: only when the child exits `maxStartupCrashes` times within `windowMs` *before it
 *   became ready* (bad configuration, port taken, database gone: restarting cannot help). A
 *   child that crashes after it was ready (e.g. a template that kills the process) is always
 *   restarted, so that nobody can keep Remex down by crashing it repeatedly; the backoff bounds
 *   the cost of such a loop.
 */

/** Knobs of {@link RestartPolicy} (all in milliseconds except the count). */
export interface RestartPolicyOptions {
  /** Delay before the first restart. (Default: 1000.) */
  initialDelayMs?: number;
  /** Longest delay. (Default: 30000.) */
  maxDelayMs?: number;
  /** Time ready after which the backoff starts over. (Default: 60000.) */
  stableMs?: number;
  /** Crashes before ready, within `windowMs`, that make the supervisor give up. (Default: 5.) */
  maxStartupCrashes?: number;
  /** Window for `maxStartupCrashes`. (Default: 120000.) */
  windowMs?: number;
}

/** What to do after a child exited without being asked to. */
export type RestartDecision =
  | { action: 'restart'; delayMs: number; /** 1 for the first restart of this child, and so on. */ restart: number }
  | { action: 'give-up'; reason: string };

/** Restart bookkeeping for one child (see the module comment). */
export class RestartPolicy {
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #stableMs: number;
  readonly #maxStartupCrashes: number;
  readonly #windowMs: number;
  #nextDelayMs: number;
  #restarts = 0;
  #readyAt: number | undefined;
  #startupCrashes: number[] = [];

  constructor(options: RestartPolicyOptions = {}) {
    this.#initialDelayMs = options.initialDelayMs ?? 1000;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#stableMs = options.stableMs ?? 60_000;
    this.#maxStartupCrashes = options.maxStartupCrashes ?? 5;
    this.#windowMs = options.windowMs ?? 120_000;
    this.#nextDelayMs = this.#initialDelayMs;
  }

  /** Records that a new process of the child was started (it is not ready yet). */
  started(): void {
    this.#readyAt = undefined;
  }

  /**
   * Records that the child reported ready.
   * @param now - current time in ms
   */
  ready(now: number): void {
    this.#readyAt = now;
    this.#startupCrashes = [];
  }

  /**
   * Decides what to do about an exit nobody asked for.
   * @param now - current time in ms
   */
  exited(now: number): RestartDecision {
    if (this.#readyAt === undefined) {
      this.#startupCrashes = [...this.#startupCrashes.filter((t) => now - t < this.#windowMs), now];
      if (this.#startupCrashes.length >= this.#maxStartupCrashes) {
        return { action: 'give-up', reason: `it exited ${this.#startupCrashes.length} times before becoming ready within ${Math.round(this.#windowMs / 1000)} s` };
      }
    } else if (now - this.#readyAt >= this.#stableMs) {
      this.#nextDelayMs = this.#initialDelayMs;
    }
    this.#readyAt = undefined;
    const delayMs = this.#nextDelayMs;
    this.#nextDelayMs = Math.min(this.#nextDelayMs * 2, this.#maxDelayMs);
    this.#restarts += 1;
    return { action: 'restart', delayMs, restart: this.#restarts };
  }
}
