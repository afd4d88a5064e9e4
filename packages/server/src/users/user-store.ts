/**
 * @module
 * Users: the bootstrap `admin` and credential checks (the RBAC issue extends this).
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { hashPassword, randomPassword } from './password-hash.ts';

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
