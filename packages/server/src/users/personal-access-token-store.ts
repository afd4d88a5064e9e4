/**
 * @module
 * Personal access tokens: create (the token is returned once, only its SHA-256 is stored), list,
 * show, revoke, and the check of a presented token (a lookup by hash and a constant-time
 * compare; `last_used_at` is written at most once a minute).
 */
import type { PersonalAccessToken, PersonalAccessTokenCreated, PersonalAccessTokenList } from '@remex/common';
import { InputError, NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, PersonalAccessTokenRow } from '../db/schema.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import { newSecret, sameSecret, secretHash, TOKEN_PREFIX } from './auth-secret.ts';
import type { CurrentUser } from './user-store.ts';

/** Most tokens one user may hold that are neither revoked nor expired. */
export const MAX_ACTIVE_TOKENS = 100;

/** Most revoked or expired tokens kept per user (older ones are deleted when a token is created). */
export const MAX_INACTIVE_TOKENS = 100;

/** `last_used_at` is rewritten only when older than this (ms). */
const LAST_USED_GRANULARITY_MS = 60_000;

/** Fields a token list can be ordered by. */
export const TOKEN_ORDER = ['name', 'id', 'created_at', 'expires_at', 'last_used_at'] as const;

function isActive(row: PersonalAccessTokenRow, now: number): boolean {
  return row.revoked_at === null && (row.expires_at === null || Date.parse(row.expires_at) > now);
}

/** The queries of personal access tokens. */
export class PersonalAccessTokenStore {
  private readonly db: Kysely<Database>;
  private readonly now: () => number;

  /**
   * @param db - the database
   * @param now - the clock (ms since the epoch; tests inject one)
   */
  constructor(db: Kysely<Database>, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /** The API shape of a token row (never the hash). */
  show(row: PersonalAccessTokenRow): PersonalAccessToken {
    return {
      id: row.id,
      user_id: row.user_id,
      name: row.name,
      expires_at: row.expires_at,
      revoked: row.revoked_at !== null,
      revoked_at: row.revoked_at,
      active: isActive(row, this.now()),
      last_used_at: row.last_used_at,
      created_at: row.created_at,
    };
  }

  /** A page of the tokens of `userId`. */
  list(userId: number, params: ListParams): Promise<PersonalAccessTokenList> {
    return listResource({
      params,
      base: this.db.selectFrom('personal_access_tokens').where('user_id', '=', userId),
      search: () => {
        throw new InputError('Personal access tokens cannot be searched', { code: 'invalid_search' });
      },
      orderColumns: { name: 'name', id: 'id', created_at: 'created_at', expires_at: 'expires_at', last_used_at: 'last_used_at' },
      defaultOrder: 'id',
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map((r) => this.show(r)),
    });
  }

  /** Token `id` of `userId`; 404 otherwise. */
  async get(userId: number, id: number): Promise<PersonalAccessTokenRow> {
    const row = await this.db.selectFrom('personal_access_tokens').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw new NotFoundError(`Personal access token ${id} not found`);
    return row;
  }

  /** Creates a token for `userId`; the answer carries the token (`token_value`) this once. */
  async create(userId: number, name: string, expiresAt: string | null | undefined): Promise<PersonalAccessTokenCreated> {
    const now = this.now();
    let expires: string | null = null;
    if (expiresAt !== undefined && expiresAt !== null && expiresAt.trim() !== '') {
      const at = Date.parse(expiresAt);
      if (Number.isNaN(at)) throw new InputError(`expires_at is not a date, got '${expiresAt}'`, { code: 'invalid_expires_at' });
      if (at <= now) throw new InputError('expires_at must be in the future', { code: 'invalid_expires_at' });
      expires = new Date(at).toISOString();
    }
    const token = newSecret(TOKEN_PREFIX);
    const row = await this.db.transaction().execute(async (trx) => {
      const live = await trx.selectFrom('personal_access_tokens').select(['id', 'revoked_at', 'expires_at']).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
      if (live.filter((t) => t.expires_at === null || Date.parse(t.expires_at) > now).length >= MAX_ACTIVE_TOKENS) {
        throw new InputError(`A user may hold at most ${MAX_ACTIVE_TOKENS} active personal access tokens: revoke one first`, { code: 'too_many_tokens' });
      }
      // Revoked and expired tokens stay listed, but only the newest MAX_INACTIVE_TOKENS of them.
      const inactive = await trx
        .selectFrom('personal_access_tokens')
        .select('id')
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('expires_at', '<=', new Date(now).toISOString())]))
        .orderBy('id', 'desc')
        .offset(MAX_INACTIVE_TOKENS)
        .limit(1000)
        .execute();
      if (inactive.length > 0) await trx.deleteFrom('personal_access_tokens').where('id', 'in', inactive.map((t) => t.id)).execute();
      return trx
        .insertInto('personal_access_tokens')
        .values({ user_id: userId, name: name.trim(), token_hash: secretHash(token), expires_at: expires, created_at: new Date(now).toISOString() })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return { ...this.show(row), token_value: token };
  }

  /** Revokes token `id` of `userId` (idempotent); answers the token. */
  async revoke(userId: number, id: number): Promise<PersonalAccessToken> {
    const row = await this.get(userId, id);
    if (row.revoked_at !== null) return this.show(row);
    const updated = await this.db
      .updateTable('personal_access_tokens')
      .set({ revoked_at: new Date(this.now()).toISOString() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.show(updated);
  }

  /**
   * The user a presented token belongs to, or null (unknown, revoked, expired, or not of
   * `login` when one is given). Marks the token used.
   */
  async authenticate(token: string, login: string | null): Promise<CurrentUser | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const hash = secretHash(token);
    const row = await this.db
      .selectFrom('personal_access_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id', 't.token_hash', 't.expires_at', 't.revoked_at', 't.last_used_at', 'u.id as user_id', 'u.login', 'u.admin'])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst();
    if (!row || !sameSecret(row.token_hash, hash) || row.revoked_at !== null) return null;
    const now = this.now();
    if (row.expires_at !== null && Date.parse(row.expires_at) <= now) return null;
    if (login !== null && login !== row.login) return null;
    if (row.last_used_at === null || now - Date.parse(row.last_used_at) >= LAST_USED_GRANULARITY_MS) {
      await this.db.updateTable('personal_access_tokens').set({ last_used_at: new Date(now).toISOString() }).where('id', '=', row.id).execute();
    }
    return { id: row.user_id, login: row.login, admin: row.admin === 1 };
  }
}
