/**
 * @module
 * Users: the bootstrap `admin` and credential checks (the RBAC issue extends this).
 */
import { createHash } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database, UserRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { hashPassword, randomPassword, verifyPassword } from './password-hash.ts';

/** The authenticated caller of a request. */
export interface CurrentUser {
  id: number;
  login: string;
  admin: boolean;
}

/**
 * Creates `admin` on first start. Returns the generated password (to print once) or null when
 * the user existed or `password` was given.
 */
export async function ensureAdmin(db: Kysely<Database>, password: string | null): Promise<string | null> {
  const existing = await db.selectFrom('users').select('id').where('login', '=', 'admin').executeTakeFirst();
  if (existing) return null;
  const plain = password ?? randomPassword();
  await db
    .insertInto('users')
    .values({ login: 'admin', password_hash: await hashPassword(plain), admin: 1, created_at: nowIso() })
    .onConflict((oc) => oc.column('login').doNothing())
    .execute();
  return password === null ? plain : null;
}

/**
 * Verifies Basic credentials. Successful checks are cached for a minute by a hash of the
 * credentials (scrypt is deliberately slow; clients authenticate on every request).
 */
export class CredentialChecker {
  readonly #db: Kysely<Database>;
  readonly #cache = new Map<string, { user: CurrentUser; until: number }>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The user for `login`/`password`, or null. */
  async check(login: string, password: string): Promise<CurrentUser | null> {
    const key = createHash('sha256').update(`${login}\0${password}`).digest('base64');
    const hit = this.#cache.get(key);
    if (hit && hit.until > Date.now()) return hit.user;
    const row: UserRow | undefined = await this.#db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
    if (!row || !(await verifyPassword(password, row.password_hash))) return null;
    const user = { id: row.id, login: row.login, admin: row.admin === 1 };
    if (this.#cache.size > 1000) this.#cache.clear();
    this.#cache.set(key, { user, until: Date.now() + 60_000 });
    return user;
  }
}
