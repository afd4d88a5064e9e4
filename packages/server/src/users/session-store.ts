/**
 * @module
 * Browser sessions (ADR 0010): a random session id travels in the `remex_session` cookie and only
 * its SHA-256 is stored, with a CSRF token, the absolute expiry and `last_seen_at` (idle expiry
 * counts from it; it is rewritten at most once a minute, so a session may end up to a minute
 * before its idle limit). Expired sessions are deleted when found and swept at each login; a
 * user keeps at most {@link MAX_SESSIONS_PER_USER} sessions (the oldest go first).
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { newSecret, sameSecret, secretHash } from './auth-secret.ts';
import type { CurrentUser } from './user-store.ts';

/** Most live sessions per user; logging in again ends the oldest. */
export const MAX_SESSIONS_PER_USER = 20;

/** `last_seen_at` is rewritten only when older than this (ms). */
const LAST_SEEN_GRANULARITY_MS = 60_000;

/** Lifetimes of a session. */
export interface SessionOptions {
  /** A session unused this long ends (ms; env `REMEX_SESSION_IDLE_MINUTES`, default 60 minutes). */
  idleMs: number;
  /** A session ends this long after login whatever happens (ms; env `REMEX_SESSION_MAX_HOURS`, default 12 hours). */
  maxMs: number;
  /** The clock (ms since the epoch; default `Date.now`; tests inject one). */
  now?: () => number;
}

/** A session just created: the id goes into the cookie, the CSRF token to the client. */
export interface NewSession {
  id: string;
  csrfToken: string;
  expiresAt: string;
}

/** Creates, finds and ends browser sessions. */
export class SessionStore {
  private readonly db: Kysely<Database>;
  private readonly idleMs: number;
  private readonly maxMs: number;
  /** The clock (ms since the epoch). */
  readonly now: () => number;

  /**
   * @param db - the database
   * @param options - lifetimes and clock
   */
  constructor(db: Kysely<Database>, options: SessionOptions) {
    this.db = db;
    this.idleMs = options.idleMs;
    this.maxMs = options.maxMs;
    this.now = options.now ?? Date.now;
  }

  /** Starts a session for `userId` (and sweeps expired sessions). */
  async create(userId: number): Promise<NewSession> {
    const now = this.now();
    const id = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(now + this.maxMs).toISOString();
    const at = new Date(now).toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('user_sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', at), eb('last_seen_at', '<=', new Date(now - this.idleMs).toISOString())]))
        .execute();
      const live = await trx.selectFrom('user_sessions').select('id').where('user_id', '=', userId).orderBy('id', 'desc').execute();
      const excess = live.slice(MAX_SESSIONS_PER_USER - 1).map((s) => s.id);
      if (excess.length > 0) await trx.deleteFrom('user_sessions').where('id', 'in', excess).execute();
      await trx.insertInto('user_sessions').values({ user_id: userId, session_hash: secretHash(id), csrf_token: csrfToken, created_at: at, last_seen_at: at, expires_at: expiresAt }).execute();
    });
    return { id, csrfToken, expiresAt };
  }

  /** The user of a live session id, or null (unknown or expired; an expired one is deleted). */
  async find(sessionId: string): Promise<CurrentUser | null> {
    if (sessionId.length === 0 || sessionId.length > 200) return null;
    const hash = secretHash(sessionId);
    const row = await this.db
      .selectFrom('user_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id', 's.session_hash', 's.csrf_token', 's.last_seen_at', 's.expires_at', 'u.id as user_id', 'u.login', 'u.admin'])
      .where('s.session_hash', '=', hash)
      .executeTakeFirst();
    if (!row || !sameSecret(row.session_hash, hash)) return null;
    const now = this.now();
    const seen = Date.parse(row.last_seen_at);
    if (Date.parse(row.expires_at) <= now || now - seen >= this.idleMs) {
      await this.db.deleteFrom('user_sessions').where('id', '=', row.id).execute();
      return null;
    }
    if (now - seen >= LAST_SEEN_GRANULARITY_MS) {
      await this.db.updateTable('user_sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', row.id).execute();
    }
    return { id: row.user_id, login: row.login, admin: row.admin === 1, session: { id: row.id, csrfToken: row.csrf_token } };
  }

  /** Ends the session with row id `id`. */
  async end(id: number): Promise<void> {
    await this.db.deleteFrom('user_sessions').where('id', '=', id).execute();
  }
}
