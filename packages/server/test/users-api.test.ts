/**
 * @module
 * `/api/users` and `/api/current_user` on both engines: CRUD with Foreman's bodies, bad input
 * naming the field, unique logins, the last-admin rule, what non-admins may see and change, and
 * password changes (own password needs `current_password`; the new one works, the old does not).
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../src/db/database.ts';
import { ensureAdmin } from '../src/users/user-store.ts';
import { basic, call, createUser } from './auth-helpers.ts';
import type { TestServer } from './test-server.ts';
import { ADMIN_PASSWORD, startTestServer } from './test-server.ts';

describe.each(DIALECTS)('users API on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('creates, shows, lists, searches, updates and deletes a user, never answering a password hash', async () => {
    const created = await t.api('POST', '/api/users', { user: { login: 'alice', password: 'alice-pw-1', firstname: 'Alice', lastname: 'Liddell', mail: 'alice@example.com', locale: 'en', timezone: 'Europe/Prague' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ login: 'alice', name: 'Alice Liddell', mail: 'alice@example.com', admin: false, auth_source: 'internal', timezone: 'Europe/Prague', last_login_on: null });
    expect(created.text).not.toMatch(/password|scrypt/);
    const id = created.body.id as number;
    expect((await t.api('GET', `/api/users/${id}`)).body.login).toBe('alice');
    expect((await t.api('GET', '/api/users/alice')).body.id).toBe(id);
    const list = await t.api('GET', '/api/users?search=mail%20~%20example.com');
    expect(list.status).toBe(200);
    expect(list.body.results.map((u: { login: string }) => u.login)).toEqual(['alice']);
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    expect((await t.api('GET', '/api/users?search=admin%20%3D%20true')).body.results.map((u: { login: string }) => u.login)).toEqual(['admin']);
    expect(list.text).not.toMatch(/scrypt/);
    const updated = await t.api('PUT', `/api/users/${id}`, { user: { lastname: null, mail: 'a@example.org', admin: true } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Alice', mail: 'a@example.org', admin: true });
    const deleted = await t.api('DELETE', `/api/users/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.login).toBe('alice');
    expect((await t.api('GET', `/api/users/${id}`)).status).toBe(404);
  });

  it('refuses bad input naming the field: duplicate login, missing login or password, bad mail, time zone or login', async () => {
    await createUser(t, 'bob', 'bob-pw-12');
    const dup = await t.api('POST', '/api/users', { user: { login: 'bob', password: 'another-pw' } });
    expect(dup.status).toBe(422);
    expect(dup.body.error.message).toMatch(/Login has already been taken/);
    const noLogin = await t.api('POST', '/api/users', { user: { password: 'some-pw-123' } });
    expect([noLogin.status, noLogin.body.error.message]).toEqual([422, "login can't be blank"]);
    const noPassword = await t.api('POST', '/api/users', { user: { login: 'carol' } });
    expect([noPassword.status, noPassword.body.error.message]).toEqual([422, "password can't be blank"]);
    expect((await t.api('POST', '/api/users', { user: { login: 'carol', password: 'short' } })).body.error.message).toMatch(/password/);
    expect((await t.api('POST', '/api/users', { user: { login: 'carol', password: 'long-enough', mail: 'nope' } })).body.error.message).toMatch(/^mail is invalid/);
    expect((await t.api('POST', '/api/users', { user: { login: 'carol', password: 'long-enough', timezone: 'Mars/Olympus' } })).body.error.message).toMatch(/timezone 'Mars\/Olympus'/);
    expect((await t.api('POST', '/api/users', { user: { login: 'ca rol', password: 'long-enough' } })).body.error.message).toMatch(/^login is invalid/);
    const rename = await t.api('PUT', '/api/users/bob', { user: { login: 'admin' } });
    expect([rename.status, rename.body.error.message]).toEqual([422, "Login has already been taken: user 'admin' exists"]);
    expect((await t.api('GET', '/api/users?search=carol')).body.subtotal).toBe(0);
  });

  it('keeps an admin: the last admin can be neither deleted nor demoted, also by itself', async () => {
    const me = (await t.api('GET', '/api/current_user')).body;
    expect(me).toMatchObject({ login: 'admin', admin: true });
    const del = await t.api('DELETE', `/api/users/${me.id}`);
    expect([del.status, del.body.error.code]).toEqual([422, 'last_admin']);
    const demote = await t.api('PUT', '/api/users/admin', { user: { admin: false } });
    expect([demote.status, demote.body.error.code]).toEqual([422, 'last_admin']);
    // With a second admin, the first may go (and the second is then the last).
    const second = await createUser(t, 'root2', 'root2-pw-1', { admin: true });
    expect((await call(t, 'PUT', `/api/users/${second}`, basic('root2', 'root2-pw-1'), { user: { admin: false } })).status).toBe(200);
    expect((await call(t, 'DELETE', `/api/users/${second}`, basic('admin', ADMIN_PASSWORD))).status).toBe(200);
  });

  it('does not bring back a renamed admin at the next start', async () => {
    const root = await createUser(t, 'keeper', 'keeper-pw-1', { admin: true });
    expect((await t.api('PUT', '/api/users/admin', { user: { login: 'renamed-admin' } })).status).toBe(200);
    const store = openStore(t.database.url);
    try {
      expect(await ensureAdmin(store.db, null)).toBeNull();
      expect(await store.db.selectFrom('users').select('id').where('login', '=', 'admin').executeTakeFirst()).toBeUndefined();
    } finally {
      await store.destroy();
    }
    expect((await call(t, 'PUT', '/api/users/renamed-admin', basic('keeper', 'keeper-pw-1'), { user: { login: 'admin' } })).status).toBe(200);
    expect((await t.api('DELETE', `/api/users/${root}`)).status).toBe(200);
  });

  it('lets a non-admin see and change only themselves, and only their own attributes', async () => {
    const dave = await createUser(t, 'dave', 'dave-pw-12');
    const other = await createUser(t, 'erin', 'erin-pw-12');
    const as = basic('dave', 'dave-pw-12');
    const list = await call(t, 'GET', '/api/users', as);
    expect(list.body.results.map((u: { login: string }) => u.login)).toEqual(['dave']);
    expect(list.body.total).toBe(1);
    expect((await call(t, 'GET', `/api/users/${other}`, as)).status).toBe(404);
    expect((await call(t, 'GET', '/api/current_user', as)).body.login).toBe('dave');
    expect((await call(t, 'PUT', `/api/users/${dave}`, as, { user: { firstname: 'Dave', timezone: 'UTC', locale: 'de' } })).body).toMatchObject({ firstname: 'Dave', timezone: 'UTC', locale: 'de' });
    const promote = await call(t, 'PUT', `/api/users/${dave}`, as, { user: { admin: true } });
    expect([promote.status, promote.body.error.message]).toEqual([403, 'Only an admin may grant or revoke admin']);
    expect((await call(t, 'PUT', `/api/users/${dave}`, as, { user: { role_ids: [1] } })).status).toBe(403);
    expect((await call(t, 'PUT', `/api/users/${dave}`, as, { user: { login: 'dave2' } })).status).toBe(403);
    expect((await call(t, 'PUT', `/api/users/${other}`, as, { user: { firstname: 'x' } })).status).toBe(404);
    expect((await call(t, 'POST', '/api/users', as, { user: { login: 'mallory', password: 'mallory-pw' } })).status).toBe(403);
    expect((await call(t, 'DELETE', `/api/users/${other}`, as)).status).toBe(403);
  });

  it('changes a password: your own needs current_password, an admin sets others without it', async () => {
    const id = await createUser(t, 'frank', 'frank-pw-1');
    const as = basic('frank', 'frank-pw-1');
    const missing = await call(t, 'PUT', `/api/users/${id}`, as, { user: { password: 'frank-pw-2' } });
    expect([missing.status, missing.body.error.code]).toEqual([422, 'current_password_required']);
    const wrong = await call(t, 'PUT', `/api/users/${id}`, as, { user: { password: 'frank-pw-2', current_password: 'nope-nope' } });
    expect([wrong.status, wrong.body.error.code]).toEqual([422, 'current_password_wrong']);
    expect((await call(t, 'PUT', `/api/users/${id}`, as, { user: { password: 'frank-pw-2', current_password: 'frank-pw-1' } })).status).toBe(200);
    expect((await call(t, 'GET', '/api/current_user', as)).status).toBe(401);
    expect((await call(t, 'GET', '/api/current_user', basic('frank', 'frank-pw-2'))).status).toBe(200);
    expect((await t.api('PUT', `/api/users/${id}`, { user: { password: 'frank-pw-3' } })).status).toBe(200);
    expect((await call(t, 'GET', '/api/current_user', basic('frank', 'frank-pw-3'))).status).toBe(200);
    // The admin changing its own password needs current_password too.
    expect((await t.api('PUT', '/api/users/admin', { user: { password: 'admin-pw-new' } })).status).toBe(422);
  });

  it('assigns roles through role_ids (shown as roles), and a user manager may not hand out more than they hold nor make admins', async () => {
    const roles = (await t.api('GET', '/api/roles?per_page=100')).body.results as { id: number; name: string }[];
    const viewer = roles.find((r) => r.name === 'Viewer')!;
    const manager = roles.find((r) => r.name === 'Manager')!;
    const created = await t.api('POST', '/api/users', { user: { login: 'rita', password: 'rita-pw-123', role_ids: [viewer.id] } });
    expect(created.status).toBe(201);
    expect(created.body.roles).toEqual([{ id: viewer.id, name: 'Viewer' }]);
    expect((await t.api('GET', '/api/users/rita')).body.roles).toEqual([{ id: viewer.id, name: 'Viewer' }]);
    expect((await t.api('PUT', '/api/users/rita', { user: { role_ids: [99_999] } })).status).toBe(422);
    // A custom role with only the user permissions: its holder manages users but cannot escalate.
    const role = await t.api('POST', '/api/roles', { role: { name: 'User managers' } });
    expect((await t.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions: ['view_users', 'create_users', 'edit_users'] } })).status).toBe(201);
    const sam = await createUser(t, 'sam', 'sam-pw-12345', { role_ids: [role.body.id] });
    const as = basic('sam', 'sam-pw-12345');
    expect((await call(t, 'GET', '/api/users/rita', as)).status).toBe(200);
    expect((await call(t, 'PUT', '/api/users/rita', as, { user: { firstname: 'Rita' } })).status).toBe(200);
    const escalate = await call(t, 'PUT', '/api/users/rita', as, { user: { role_ids: [manager.id] } });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error.message).toMatch(/^You may assign only roles whose permissions you hold without limit/);
    expect((await call(t, 'PUT', `/api/users/${sam}`, as, { user: { admin: true } })).status).toBe(403);
    expect((await call(t, 'DELETE', '/api/users/rita', as)).status).toBe(403);
    expect((await t.api('GET', '/api/users/rita')).body.roles).toEqual([{ id: viewer.id, name: 'Viewer' }]);
    // Deleting the user drops its role assignments with it.
    expect((await t.api('DELETE', '/api/users/rita')).status).toBe(200);
  });
});
