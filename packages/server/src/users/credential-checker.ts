/**
 * @module
 * Checks HTTP Basic credentials: brute-force brake first (a locked-out caller costs nothing),
 * then the same scrypt work for known and unknown users, and a short-lived cache of verified
 * credentials (scrypt is deliberately slow; clients authenticate on every request).
 */
import { createHash } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import type { LoginAttempt, LoginThrottleOptions } from './login-throttle.ts';
import { LoginThrottle } from './login-throttle.ts';
import { hashPassword, randomPassword, verifyPassword } from './password-hash.ts';
import type { CurrentUser } from './user-store.ts';

/** Options of a {@link CredentialChecker} (tests use low thresholds and a counting hasher). */
export interface CredentialCheckerOptions {
  /** Lock-out thresholds. */
  throttle?: Partial<LoginThrottleOptions>;
  /** Password verification (default scrypt's {@link verifyPassword}). */
  verify?: (password: string, stored: string) => Promise<boolean>;
  /** How long a verified credential is trusted without scrypt, in ms (default 10 s; 0 disables). */
  cacheTtlMs?: number;
  /** Most cached credentials (default 1000). */
  cacheMaxEntries?: number;
}

/** Outcome of {@link CredentialChecker.check}. */
export type CredentialResult =
  | { kind: 'ok'; user: CurrentUser }
  | { kind: 'denied' }
  | { kind: 'throttled'; retryAfterMs: number };

/** Verifies Basic credentials against the users table. */
export class CredentialChecker {
  readonly #db: Kysely<Database>;
  readonly #throttle: LoginThrottle;
  readonly #verify: (password: string, stored: string) => Promise<boolean>;
  readonly #ttl: number;
  readonly #max: number;
  readonly #cache = new Map<string, { user: CurrentUser; until: number }>();
  #dummyHash: Promise<string> | null = null;

  constructor(db: Kysely<Database>, options: CredentialCheckerOptions = {}) {
    this.#db = db;
    this.#throttle = new LoginThrottle(options.throttle);
    this.#verify = options.verify ?? verifyPassword;
    this.#ttl = options.cacheTtlMs ?? 10_000;
    this.#max = options.cacheMaxEntries ?? 1000;
  }

  /** Checks `login`/`password` presented from `address` (the socket's remote address). */
  async check(login: string, password: string, address: string): Promise<CredentialResult> {
    const key = createHash('sha256').update(`${login}\0${password}`).digest('base64');
    const hit = this.#cache.get(key);
    if (hit && hit.until > Date.now()) return { kind: 'ok', user: hit.user };
    const attempt: LoginAttempt = { login, address };
    const wait = this.#throttle.retryAfterMs(attempt);
    if (wait > 0) return { kind: 'throttled', retryAfterMs: wait };
    const row = await this.#db.selectFrom('users').select(['id', 'login', 'admin', 'password_hash']).where('login', '=', login).executeTakeFirst();
    // Unknown users cost the same scrypt as known ones: the answer time does not tell them apart.
    const valid = await this.#verify(password, row?.password_hash ?? (await this.#dummy()));
    if (!row || !valid) {
      this.#throttle.recordFailure(attempt);
      return { kind: 'denied' };
    }
    this.#throttle.recordSuccess(attempt);
    const user: CurrentUser = { id: row.id, login: row.login, admin: row.admin === 1 };
    if (this.#ttl > 0) {
      this.#cache.delete(key);
      this.#cache.set(key, { user, until: Date.now() + this.#ttl });
      while (this.#cache.size > this.#max) {
        const oldest = this.#cache.keys().next();
        if (oldest.done === true) break;
        this.#cache.delete(oldest.value);
      }
    }
    return { kind: 'ok', user };
  }

  /** Drops cached credentials of `login` (call it when its password changes or it is deleted). */
  forget(login: string): void {
    for (const [key, entry] of this.#cache) if (entry.user.login === login) this.#cache.delete(key);
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomPassword());
    return this.#dummyHash;
  }
}
