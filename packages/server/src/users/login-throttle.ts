/**
 * @module
 * Brute-force brake for logins: failures are counted per user and per client address; after
 * too many in a window the key is locked out for an exponentially growing time (capped).
 * Memory is bounded: at most `maxEntries` keys, the least recently touched evicted first.
 */
import { createHash } from 'node:crypto';

/** Thresholds of a {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failures of one user name in a window before it is locked out (default 5). */
  maxFailures: number;
  /** Failures from one client address in a window before it is locked out (default 20). */
  maxAddressFailures: number;
  /** Length of the counting window in ms (default 15 minutes). */
  windowMs: number;
  /** First lock-out in ms; each further failure doubles it (default 1 s). */
  baseLockMs: number;
  /** Longest lock-out in ms (default 5 minutes). */
  maxLockMs: number;
  /** Most keys remembered (default 10 000). */
  maxEntries: number;
}

/** The defaults of {@link LoginThrottleOptions}. */
export const DEFAULT_LOGIN_THROTTLE: Readonly<LoginThrottleOptions> = {
  maxFailures: 5,
  maxAddressFailures: 20,
  windowMs: 15 * 60_000,
  baseLockMs: 1000,
  maxLockMs: 5 * 60_000,
  maxEntries: 10_000,
};

/**
 * Who is logging in, from where (the socket's address, never a forwarded header). `login` is
 * null for a credential that names no user (a Bearer token): only the address is counted.
 */
export interface LoginAttempt {
  login: string | null;
  address: string;
}

interface Entry {
  failures: number;
  since: number;
  lockedUntil: number;
}

/** Counts failed logins and answers how long a login must wait. */
export class LoginThrottle {
  readonly #o: LoginThrottleOptions;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: Partial<LoginThrottleOptions> = {}, now: () => number = Date.now) {
    this.#o = { ...DEFAULT_LOGIN_THROTTLE, ...options };
    this.#now = now;
  }

  /** Milliseconds until `attempt` may be checked again; 0 when it may be checked now. */
  retryAfterMs(attempt: LoginAttempt): number {
    const now = this.#now();
    let wait = 0;
    for (const key of keysOf(attempt)) {
      const e = this.#entries.get(key);
      if (e && e.lockedUntil > now) wait = Math.max(wait, e.lockedUntil - now);
    }
    return wait;
  }

  /** Records a failed login of `attempt`. */
  recordFailure(attempt: LoginAttempt): void {
    const [addressKey, userKey] = keysOf(attempt);
    if (userKey !== undefined) this.#fail(userKey, this.#o.maxFailures);
    this.#fail(addressKey, this.#o.maxAddressFailures);
  }

  /** Records a successful login: the user's counter starts over (the address's does not). */
  recordSuccess(attempt: LoginAttempt): void {
    const userKey = keysOf(attempt)[1];
    if (userKey !== undefined) this.#entries.delete(userKey);
  }

  /** Number of keys remembered (bounded by `maxEntries`). */
  get size(): number {
    return this.#entries.size;
  }

  #fail(key: string, limit: number): void {
    const now = this.#now();
    let e = this.#entries.get(key);
    if (e && now - e.since > this.#o.windowMs && e.lockedUntil <= now) e = undefined;
    e ??= { failures: 0, since: now, lockedUntil: 0 };
    e.failures += 1;
    if (e.failures >= limit) {
      const exponent = Math.min(e.failures - limit, 30);
      e.lockedUntil = now + Math.min(this.#o.maxLockMs, this.#o.baseLockMs * 2 ** exponent);
    }
    // Re-insert so the map's order is least recently touched first.
    this.#entries.delete(key);
    this.#entries.set(key, e);
    while (this.#entries.size > this.#o.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}

/** The address key, then the user key when the attempt names a user. */
function keysOf(attempt: LoginAttempt): [string] | [string, string] {
  const address = `a:${attempt.address.slice(0, 64)}`;
  // Logins come from a header of up to 16 KiB: keep keys short whatever they are.
  return attempt.login === null ? [address] : [address, `u:${createHash('sha256').update(attempt.login).digest('base64')}`];
}
