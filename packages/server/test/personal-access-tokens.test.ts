/**
 * @module
 * Personal access tokens on both engines: shown once, only a hash at rest (the database is
 * searched for the token), usable as Bearer token and as Basic password of its own user only,
 * 401 once expired (injected clock) or revoked, `last_used_at` written at most once a minute,
 * and failures counted by the login throttle.
 */
import { readFileSync, existsSync } from 'node:fs';

import { DIALECTS, sqliteFilePath } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../src/db/database.ts';
import { MAX_INACTIVE_TOKENS, PersonalAccessTokenStore } from '../src/users/personal-access-token-store.ts';
import { openTestStore } from './test-store.ts';
import { basic, bearer, call, createUser } from './auth-helpers.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe.each(DIALECTS)('personal access tokens on %s', (dialect) => {
  let t: TestServer;
  let now = Date.parse('2026-12-01T10:00:00.000Z');
  beforeAll(async () => {
    t = await startTestServer(dialect, {}, { now: () => now, loginThrottle: { maxFailures: 1000, maxAddressFailures: 1000 } });
    await createUser(t, 'tina', 'tina-pw-12');
    await createUser(t, 'otto', 'otto-pw-12');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const tina = basic('tina', 'tina-pw-12');

  it('shows the token once and keeps only its hash (the database does not contain it)', async () => {
    const created = await call(t, 'POST', '/api/users/tina/personal_access_tokens', tina, { personal_access_token: { name: 'laptop' } });
    expect(created.status).toBe(201);
    const token = created.body.token_value as string;
    expect(token).toMatch(/^remex_pat_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: 'laptop', revoked: false, active: true, expires_at: null, last_used_at: null });
    const shown = await call(t, 'GET', `/api/users/tina/personal_access_tokens/${created.body.id}`, tina);
    expect(shown.body.token_value).toBeUndefined();
    const list = await call(t, 'GET', '/api/users/tina/personal_access_tokens', tina);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toMatch(/hash/);
    const store = openStore(t.database.url);
    try {
      const rows = await store.db.selectFrom('personal_access_tokens').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(rows)).not.toContain(token.slice('remex_pat_'.length));
    } finally {
      await store.destroy();
    }
    if (dialect === 'sqlite') {
      const file = sqliteFilePath(t.database.url);
      for (const f of [file, `${file}-wal`]) if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(token.slice(10)))).toBe(false);
    }
  });

  it('works as Bearer token and as Basic password of its own user, and records its use at most once a minute', async () => {
    const { body } = await call(t, 'POST', '/api/users/tina/personal_access_tokens', tina, { name: 'ci' });
    const token = body.token_value as string;
    expect((await call(t, 'GET', '/api/current_user', bearer(token))).body.login).toBe('tina');
    const used = (await call(t, 'GET', `/api/users/tina/personal_access_tokens/${body.id}`, tina)).body.last_used_at;
    expect(used).toBe(new Date(now).toISOString());
    now += 30_000;
    expect((await call(t, 'GET', '/api/current_user', basic('tina', token))).body.login).toBe('tina');
    expect((await call(t, 'GET', `/api/users/tina/personal_access_tokens/${body.id}`, tina)).body.last_used_at).toBe(used);
    now += 31_000;
    expect((await call(t, 'GET', '/api/status', bearer(token))).status).toBe(200);
    expect((await call(t, 'GET', `/api/users/tina/personal_access_tokens/${body.id}`, tina)).body.last_used_at).toBe(new Date(now).toISOString());
    // Another user's login with tina's token is refused.
    expect((await call(t, 'GET', '/api/current_user', basic('otto', token))).status).toBe(401);
    // A state change with a token needs no CSRF token.
    expect((await call(t, 'PUT', '/api/users/tina', bearer(token), { user: { firstname: 'Tina' } })).status).toBe(200);
  });

  it('refuses an expired or revoked token with 401', async () => {
    const soon = new Date(now + 3_600_000).toISOString();
    const { body } = await call(t, 'POST', '/api/users/tina/personal_access_tokens', tina, { name: 'short', expires_at: soon });
    expect(body.expires_at).toBe(soon);
    expect((await call(t, 'GET', '/api/current_user', bearer(body.token_value))).status).toBe(200);
    now += 3_600_000;
    expect((await call(t, 'GET', '/api/current_user', bearer(body.token_value))).status).toBe(401);
    expect((await call(t, 'GET', `/api/users/tina/personal_access_tokens/${body.id}`, tina)).body.active).toBe(false);
    const other = (await call(t, 'POST', '/api/users/tina/personal_access_tokens', tina, { name: 'revoke-me' })).body;
    expect((await call(t, 'GET', '/api/current_user', basic('tina', other.token_value))).status).toBe(200);
    const revoked = await call(t, 'DELETE', `/api/users/tina/personal_access_tokens/${other.id}`, tina);
    expect(revoked.body).toMatchObject({ revoked: true, active: false });
    expect((await call(t, 'GET', '/api/current_user', bearer(other.token_value))).status).toBe(401);
    expect((await call(t, 'GET', '/api/current_user', basic('tina', other.token_value))).status).toBe(401);
  });

  it('refuses bad input and other users’ tokens', async () => {
    expect((await call(t, 'POST', '/api/users/tina/personal_access_tokens', tina, { name: 'past', expires_at: '2001-01-01T00:00:00Z' })).body.error.code).toBe('invalid_expires_at');
    expect((await call(t, 'POST', '/api/users/tina/personal_access_tokens', tina, { name: 'x', expires_at: 'tomorrow' })).status).toBe(422);
    expect((await call(t, 'POST', '/api/users/tina/personal_access_tokens', tina, {})).body.error.message).toBe("name can't be blank");
    expect((await call(t, 'GET', '/api/users/tina/personal_access_tokens', basic('otto', 'otto-pw-12'))).status).toBe(404);
    expect((await call(t, 'POST', '/api/users/otto/personal_access_tokens', tina, { name: 'steal' })).status).toBe(404);
    // Admins manage anyone's tokens.
    expect((await t.api('GET', '/api/users/tina/personal_access_tokens')).body.total).toBeGreaterThanOrEqual(3);
  });

  it('ends the tokens and sessions of a deleted user', async () => {
    const id = await createUser(t, 'gone', 'gone-pw-12');
    const token = (await call(t, 'POST', `/api/users/${id}/personal_access_tokens`, basic('gone', 'gone-pw-12'), { name: 'x' })).body.token_value as string;
    const login = await call(t, 'POST', '/api/login', {}, { login: 'gone', password: 'gone-pw-12' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await call(t, 'GET', '/api/current_user', { cookie })).status).toBe(200);
    expect((await t.api('DELETE', `/api/users/${id}`)).status).toBe(200);
    expect((await call(t, 'GET', '/api/current_user', bearer(token))).status).toBe(401);
    expect((await call(t, 'GET', '/api/current_user', { cookie })).status).toBe(401);
    expect((await call(t, 'GET', '/api/current_user', basic('gone', 'gone-pw-12'))).status).toBe(401);
  });
});

describe('token guessing', () => {
  it('counts token failures in the login throttle (per address for Bearer, per user too for Basic)', async () => {
    const t = await startTestServer('sqlite', {}, { loginThrottle: { maxFailures: 2, maxAddressFailures: 4, baseLockMs: 60_000 } });
    try {
      const id = await createUser(t, 'gus', 'gus-pw-123');
      const token = (await call(t, 'POST', `/api/users/${id}/personal_access_tokens`, basic('gus', 'gus-pw-123'), { name: 'x' })).body.token_value as string;
      expect((await call(t, 'GET', '/api/current_user', basic('gus', 'remex_pat_guess1'))).status).toBe(401);
      expect((await call(t, 'GET', '/api/current_user', basic('gus', 'remex_pat_guess2'))).status).toBe(401);
      // Locked out as a user: even the right token waits.
      expect((await call(t, 'GET', '/api/current_user', basic('gus', token))).status).toBe(429);
      expect((await call(t, 'GET', '/api/current_user', bearer('remex_pat_guess3'))).status).toBe(401);
      expect((await call(t, 'GET', '/api/current_user', bearer('remex_pat_guess4'))).status).toBe(401);
      expect((await call(t, 'GET', '/api/current_user', bearer(token))).status).toBe(429);
    } finally {
      await t.stop();
    }
  });
});

describe.each(DIALECTS)('token store bounds on %s', (dialect) => {
  it(`keeps at most ${MAX_INACTIVE_TOKENS} revoked or expired tokens per user`, async () => {
    const ts = await openTestStore(dialect);
    try {
      const user = await ts.store.db.insertInto('users').values({ login: 'u', password_hash: 'x', admin: 0, created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
      const tokens = new PersonalAccessTokenStore(ts.store.db);
      for (let i = 0; i < MAX_INACTIVE_TOKENS + 5; i += 1) {
        const t = await tokens.create(user.id, `t${i}`, null);
        await tokens.revoke(user.id, t.id);
      }
      const live = await tokens.create(user.id, 'live', null);
      const rows = await ts.store.db.selectFrom('personal_access_tokens').select(['id', 'revoked_at']).where('user_id', '=', user.id).execute();
      expect(rows.filter((r) => r.revoked_at !== null)).toHaveLength(MAX_INACTIVE_TOKENS);
      expect(rows.some((r) => r.id === live.id)).toBe(true);
    } finally {
      await ts.close();
    }
  });
});
