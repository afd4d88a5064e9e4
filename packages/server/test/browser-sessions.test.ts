/**
 * @module
 * Browser sessions (ADR 0010): `POST /api/login` sets an HttpOnly, SameSite=Strict cookie and
 * answers the CSRF token; cookie-authenticated state changes need `X-CSRF-Token` (Basic and
 * Bearer do not); idle and absolute expiry on an injected clock; logout ends the session; only a
 * hash of the session id is stored. Both engines.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../src/db/database.ts';
import type { RawAnswer } from './auth-helpers.ts';
import { basic, call, createUser } from './auth-helpers.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const MINUTE = 60_000;

/** The `remex_session=…` pair of a login answer's Set-Cookie. */
function cookieOf(answer: RawAnswer): string {
  const set = answer.headers.get('set-cookie') ?? '';
  const pair = set.split(';')[0] ?? '';
  if (!pair.startsWith('remex_session=')) throw new Error(`no session cookie in ${set}`);
  return pair;
}

describe.each(DIALECTS)('browser sessions on %s', (dialect) => {
  let t: TestServer;
  let now = Date.parse('2026-12-01T08:00:00.000Z');
  beforeAll(async () => {
    t = await startTestServer(dialect, { REMEX_SESSION_IDLE_MINUTES: '30', REMEX_SESSION_MAX_HOURS: '2' }, { now: () => now });
    await createUser(t, 'sam', 'sam-pw-123');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const login = async (): Promise<{ cookie: string; csrf: string; answer: RawAnswer }> => {
    const answer = await call(t, 'POST', '/api/login', {}, { login: 'sam', password: 'sam-pw-123' });
    expect(answer.status).toBe(200);
    return { cookie: cookieOf(answer), csrf: answer.body.csrf_token as string, answer };
  };

  it('logs in: HttpOnly SameSite=Strict cookie, the user and a CSRF token; only a hash is stored', async () => {
    const { cookie, csrf, answer } = await login();
    const set = answer.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^remex_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(set).not.toMatch(/Secure/);
    expect(answer.body.user).toMatchObject({ login: 'sam', last_login_on: new Date(now).toISOString() });
    expect(answer.body.expires_at).toBe(new Date(now + 2 * 60 * MINUTE).toISOString());
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await call(t, 'GET', '/api/current_user', { cookie });
    expect(me.body).toMatchObject({ login: 'sam', csrf_token: csrf });
    const store = openStore(t.database.url);
    try {
      const rows = await store.db.selectFrom('user_sessions').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(cookie.split('=')[1]);
    } finally {
      await store.destroy();
    }
  });

  it('refuses bad logins like Basic does (401, no session)', async () => {
    const bad = await call(t, 'POST', '/api/login', { 'x-requested-with': 'XMLHttpRequest' }, { login: 'sam', password: 'wrong-pw' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    expect(bad.headers.get('www-authenticate')).toBeNull();
    expect((await call(t, 'POST', '/api/login', {}, { login: 'sam' })).body.error.message).toBe("password can't be blank");
  });

  it('needs the CSRF token on POST, PUT and DELETE with the cookie, not with Basic', async () => {
    const { cookie, csrf } = await login();
    const me = (await call(t, 'GET', '/api/current_user', { cookie })).body.id as number;
    for (const [method, path, body] of [
      ['PUT', `/api/users/${me}`, { user: { firstname: 'Sam' } }],
      ['POST', `/api/users/${me}/personal_access_tokens`, { name: 'from-browser' }],
      ['DELETE', `/api/users/${me}/personal_access_tokens/1`, undefined],
    ] as const) {
      const without = await call(t, method, path, { cookie }, body);
      expect([method, without.status, without.body.error.code]).toEqual([method, 403, 'csrf_token_invalid']);
      expect((await call(t, method, path, { cookie, 'x-csrf-token': 'wrong' }, body)).status).toBe(403);
    }
    expect((await call(t, 'PUT', `/api/users/${me}`, { cookie, 'x-csrf-token': csrf }, { user: { firstname: 'Sam' } })).status).toBe(200);
    const token = await call(t, 'POST', `/api/users/${me}/personal_access_tokens`, { cookie, 'x-csrf-token': csrf }, { name: 'from-browser' });
    expect(token.status).toBe(201);
    expect((await call(t, 'DELETE', `/api/users/${me}/personal_access_tokens/${token.body.id}`, { cookie, 'x-csrf-token': csrf })).status).toBe(200);
    // Basic needs no CSRF token, and a cookie does not get in the way of Basic.
    expect((await call(t, 'PUT', `/api/users/${me}`, { ...basic('sam', 'sam-pw-123'), cookie: 'remex_session=junk' }, { user: { lastname: 'S' } })).status).toBe(200);
  });

  it('ends an idle session and an old one (absolute expiry), on the injected clock', async () => {
    const idle = await login();
    now += 29 * MINUTE;
    expect((await call(t, 'GET', '/api/current_user', { cookie: idle.cookie })).status).toBe(200);
    now += 29 * MINUTE;
    expect((await call(t, 'GET', '/api/current_user', { cookie: idle.cookie })).status).toBe(200);
    now += 31 * MINUTE;
    const ended = await call(t, 'GET', '/api/current_user', { cookie: idle.cookie });
    expect([ended.status, ended.body.error.code]).toEqual([401, 'session_expired']);
    const busy = await login();
    // Used every 25 minutes, never idle: alive for 100 minutes, ended past 2 hours.
    for (let i = 0; i < 4; i += 1) {
      now += 25 * MINUTE;
      expect((await call(t, 'GET', '/api/current_user', { cookie: busy.cookie })).status).toBe(200);
    }
    now += 25 * MINUTE;
    expect((await call(t, 'GET', '/api/current_user', { cookie: busy.cookie })).status).toBe(401);
  });

  it('logs out: needs the CSRF token, ends the session and clears the cookie', async () => {
    const { cookie, csrf } = await login();
    expect((await call(t, 'POST', '/api/logout', { cookie })).status).toBe(403);
    const out = await call(t, 'POST', '/api/logout', { cookie, 'x-csrf-token': csrf });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^remex_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
    expect((await call(t, 'GET', '/api/current_user', { cookie })).status).toBe(401);
    expect((await call(t, 'POST', '/api/logout')).status).toBe(200);
  });

  it('ends the other sessions of a user whose password changes', async () => {
    const a = await login();
    const b = await login();
    const me = (await call(t, 'GET', '/api/current_user', { cookie: a.cookie })).body.id as number;
    expect((await call(t, 'PUT', `/api/users/${me}`, { cookie: a.cookie, 'x-csrf-token': a.csrf }, { user: { password: 'sam-pw-456', current_password: 'sam-pw-123' } })).status).toBe(200);
    expect((await call(t, 'GET', '/api/current_user', { cookie: a.cookie })).status).toBe(200);
    expect((await call(t, 'GET', '/api/current_user', { cookie: b.cookie })).status).toBe(401);
    await t.api('PUT', `/api/users/${me}`, { user: { password: 'sam-pw-123' } });
  });
});

describe('login throttle on POST /api/login', () => {
  it('counts failed logins like Basic ones: 429 with Retry-After, even for the right password', async () => {
    const t = await startTestServer('sqlite', {}, { loginThrottle: { maxFailures: 2, maxAddressFailures: 100, baseLockMs: 60_000 } });
    try {
      await createUser(t, 'tom', 'tom-pw-123');
      expect((await call(t, 'POST', '/api/login', {}, { login: 'tom', password: 'nope-1' })).status).toBe(401);
      expect((await call(t, 'GET', '/api/current_user', basic('tom', 'nope-2'))).status).toBe(401);
      const locked = await call(t, 'POST', '/api/login', {}, { login: 'tom', password: 'tom-pw-123' });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // A personal access token is not a login password.
      const other = await createUser(t, 'ann', 'ann-pw-123');
      const token = (await call(t, 'POST', `/api/users/${other}/personal_access_tokens`, basic('ann', 'ann-pw-123'), { name: 'x' })).body.token_value as string;
      expect((await call(t, 'POST', '/api/login', {}, { login: 'ann', password: token })).status).toBe(401);
      // Guessing current_password is braked the same way.
      const as = basic('ann', 'ann-pw-123');
      expect((await call(t, 'PUT', `/api/users/${other}`, as, { user: { password: 'new-pw-123', current_password: 'guess-1' } })).status).toBe(422);
      expect((await call(t, 'PUT', `/api/users/${other}`, as, { user: { password: 'new-pw-123', current_password: 'guess-2' } })).status).toBe(429);
    } finally {
      await t.stop();
    }
  });
});
