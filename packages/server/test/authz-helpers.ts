/**
 * @module
 * Test helpers for authorization: non-admin users inserted into `users`, role assignment
 * through the role store, and requests as such a user.
 */
import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import { findRole, replaceUserRoles } from '../src/authz/role-store.ts';
import { nowIso } from '../src/db/time.ts';
import { hashPassword } from '../src/users/password-hash.ts';
import type { TestServer } from './test-server.ts';
import { basicApi } from './test-server.ts';

/** Password of every test user. */
export const USER_PASSWORD = 'user-test-pw';

/** A non-admin test user. */
export interface TestUser {
  id: number;
  login: string;
  /** Calls the API as this user. */
  api: TestServer['api'];
}

/** A second connection to the test server's database. */
export function openServerStore(t: TestServer): Store {
  return openStore(t.database.url);
}

/** Inserts non-admin user `login` holding the roles named `roles`. */
export async function createUser(t: TestServer, store: Store, login: string, roles: readonly string[] = []): Promise<TestUser> {
  const row = await store.db
    .insertInto('users')
    .values({ login, password_hash: await hashPassword(USER_PASSWORD), admin: 0, created_at: nowIso() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setRoles(store, row.id, roles);
  return { id: row.id, login, api: basicApi(t.server.url, login, USER_PASSWORD) };
}

/** Replaces the roles of user `userId` by the roles named `roles`. */
export async function setRoles(store: Store, userId: number, roles: readonly string[]): Promise<void> {
  const ids = await Promise.all(roles.map(async (r) => (await findRole(store.db, r)).id));
  await replaceUserRoles(store.db, userId, ids);
}
