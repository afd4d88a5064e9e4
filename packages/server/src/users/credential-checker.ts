/**
 * @module
 * Checks credentials: brute-force brake first (a locked-out caller costs nothing), then a
 * personal access token (a hash lookup: cheap, never cached, so revocation is immediate) or the
 * same scrypt work for known and unknown users, and a short-lived cache of verified passwords
 * (scrypt is deliberately slow; clients authenticate on every request). Failures of either kind
 * count towards the lock-out.
 */
import { createHash } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import type { LoginAttempt, LoginThrottleOptions } from './login-throttle.ts';
import { LoginThrottle } from './login-throttle.ts';
import { TOKEN_PREFIX } from './auth-secret.ts';
import { hashPassword, randomPassword, verifyPassword } from './password-hash.ts';
import { PersonalAccessTokenStore } from './personal-access-token-store.ts';
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
  /** The clock of token expiry and `last_used_at` (default `Date.now`). */
  now?: () => number;
}

/** What a credential may be. */
export interface CheckOptions {
  /** Whether a personal access token is accepted as the password (default true; `POST /api/login` takes passwords only). */
  tokens?: boolean;
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
  readonly #tokens: PersonalAccessTokenStore;
  #dummyHash: Promise<string> | null = null;

  constructor(db: Kysely<Database>, options: CredentialCheckerOptions = {}) {
    this.#db = db;
    this.#throttle = new LoginThrottle(options.throttle);
    this.#verify = options.verify ?? verifyPassword;
    this.#ttl = options.cacheTtlMs ?? 10_000;
    this.#max = options.cacheMaxEntries ?? 1000;
    this.#tokens = new PersonalAccessTokenStore(db, options.now);
  }

  /**
   * Checks `login`/`password` presented from `address` (the socket's remote address). The
   * password may be a personal access token of that user unless `options.tokens` is false.
   */
  async check(login: string, password: string, address: string, options: CheckOptions = {}): Promise<CredentialResult> {
    const isToken = options.tokens !== false && password.startsWith(TOKEN_PREFIX);
    const key = createHash('sha256').update(`${login}\0${password}`).digest('base64');
    const hit = isToken ? undefined : this.#cache.get(key);
    if (hit && hit.until > Date.now()) return { kind: 'ok', user: hit.user };
    const attempt: LoginAttempt = { login, address };
    const wait = this.#throttle.retryAfterMs(attempt);
    if (wait > 0) return { kind: 'throttled', retryAfterMs: wait };
    if (isToken) {
      const user = await this.#tokens.authenticate(password, login);
      if (user) {
        this.#throttle.recordSuccess(attempt);
        return { kind: 'ok', user };
      }
    }
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

  /** Checks a Bearer token presented from `address` (failures count against the address). */
  async checkToken(token: string, address: string): Promise<CredentialResult> {
    const attempt: LoginAttempt = { login: null, address };
    const wait = this.#throttle.retryAfterMs(attempt);
    if (wait > 0) return { kind: 'throttled', retryAfterMs: wait };
    const user = await this.#tokens.authenticate(token, null);
    if (!user) {
      this.#throttle.recordFailure(attempt);
      return { kind: 'denied' };
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
