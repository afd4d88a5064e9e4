/**
 * @module
 * Login hardening: lock-out after repeated failures per user and per client address (429 with
 * Retry-After), reset on success, bounded memory, and the same password-hash work for unknown
 * users as for known ones (counted through an injected hasher, not timed).
 */
import type { Dialect } from '@remex/testkit';
import { DIALECTS } from '@remex/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { CredentialChecker } from '../src/users/credential-checker.ts';
import { LoginThrottle } from '../src/users/login-throttle.ts';
import { verifyPassword } from '../src/users/password-hash.ts';
import { ensureAdmin } from '../src/users/user-store.ts';
import type { TestServer } from './test-server.ts';
import { ADMIN_PASSWORD, startTestServer } from './test-server.ts';
import type { TestStore } from './test-store.ts';
import { openTestStore } from './test-store.ts';

const basic = (login: string, password: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` });

describe('login lock-out over HTTP', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });

  it('locks a user out after repeated failures: 429 with Retry-After, even for the right password', async () => {
    const t = await startTestServer('sqlite', {}, { loginThrottle: { maxFailures: 3, maxAddressFailures: 100, baseLockMs: 60_000 } });
    servers.push(t);
    for (let i = 0; i < 3; i += 1) expect((await t.api('GET', '/api/hosts', undefined, basic('admin', 'wrong'))).status).toBe(401);
    const locked = await fetch(`${t.server.url}/api/hosts`, { headers: basic('admin', ADMIN_PASSWORD) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await locked.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/Too many failed logins: try again in \d+ seconds/);
  });

  it('starts a user over after a success, and locks out an address guessing many users', async () => {
    const t = await startTestServer('sqlite', {}, { loginThrottle: { maxFailures: 3, maxAddressFailures: 5, baseLockMs: 60_000 } });
    servers.push(t);
    const status = async (login: string, password: string): Promise<number> => (await t.api('GET', '/api/hosts', undefined, basic(login, password))).status;
    expect([await status('admin', 'w1'), await status('admin', 'w2')]).toEqual([401, 401]);
    expect(await status('admin', ADMIN_PASSWORD)).toBe(200);
    // Without the reset the second of these would be the user's third failure and locked.
    expect([await status('admin', 'w3'), await status('admin', 'w4')]).toEqual([401, 401]);
    const unknown = await t.api('GET', '/api/hosts', undefined, basic('nobody', 'x'));
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe('Unable to authenticate user: wrong login or password');
    // Five failures from this address: locked whatever the login.
    expect(await status('someone-else', 'x')).toBe(429);
  });
});

describe('LoginThrottle', () => {
  it('doubles the lock-out per further failure, capped, and forgets after the window', () => {
    let now = 1_000_000;
    const th = new LoginThrottle({ maxFailures: 2, maxAddressFailures: 1000, baseLockMs: 1000, maxLockMs: 4000, windowMs: 60_000 }, () => now);
    const a = { login: 'admin', address: '127.0.0.1' };
    th.recordFailure(a);
    expect(th.retryAfterMs(a)).toBe(0);
    th.recordFailure(a);
    expect(th.retryAfterMs(a)).toBe(1000);
    now += 1000;
    th.recordFailure(a);
    expect(th.retryAfterMs(a)).toBe(2000);
    now += 2000;
    th.recordFailure(a);
    expect(th.retryAfterMs(a)).toBe(4000);
    now += 4000;
    th.recordFailure(a);
    expect(th.retryAfterMs(a)).toBe(4000);
    expect(th.retryAfterMs({ login: 'other', address: '127.0.0.2' })).toBe(0);
    now += 120_000;
    th.recordFailure(a);
    expect(th.retryAfterMs(a)).toBe(0);
  });

  it('keeps at most maxEntries keys', () => {
    const th = new LoginThrottle({ maxEntries: 10 });
    for (let i = 0; i < 500; i += 1) th.recordFailure({ login: `user${i}`, address: `10.0.${i >> 8}.${i & 255}` });
    expect(th.size).toBe(10);
  });
});

describe.each(DIALECTS)('CredentialChecker on %s', (dialect: Dialect) => {
  let opened: TestStore | undefined;
  let store: Store;
  beforeAll(async () => {
    opened = await openTestStore(dialect);
    store = opened.store;
    await ensureAdmin(store.db, 'right-pw');
  });
  afterAll(async () => {
    await opened?.close();
  });

  function counting(): { calls: string[]; verify: (password: string, stored: string) => Promise<boolean> } {
    const calls: string[] = [];
    return {
      calls,
      verify: async (password, stored) => {
        calls.push(stored);
        return verifyPassword(password, stored);
      },
    };
  }

  it('hashes for unknown users as for known ones, with the same answer', async () => {
    const h = counting();
    const checker = new CredentialChecker(store.db, { verify: h.verify });
    expect(await checker.check('nobody', 'x', '127.0.0.1')).toEqual({ kind: 'denied' });
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatch(/^scrypt\$/);
    expect(await checker.check('admin', 'x', '127.0.0.1')).toEqual({ kind: 'denied' });
    expect(h.calls).toHaveLength(2);
  });

  it('refuses a locked-out login before hashing', async () => {
    const h = counting();
    const checker = new CredentialChecker(store.db, { verify: h.verify, throttle: { maxFailures: 2, baseLockMs: 60_000 } });
    await checker.check('admin', 'a', '127.0.0.1');
    await checker.check('admin', 'b', '127.0.0.1');
    const locked = await checker.check('admin', 'right-pw', '127.0.0.1');
    expect(locked.kind).toBe('throttled');
    expect(h.calls).toHaveLength(2);
  });

  it('caches a verified credential briefly, and forgets it on request', async () => {
    const h = counting();
    const checker = new CredentialChecker(store.db, { verify: h.verify });
    expect((await checker.check('admin', 'right-pw', '127.0.0.1')).kind).toBe('ok');
    expect((await checker.check('admin', 'right-pw', '127.0.0.1')).kind).toBe('ok');
    expect(h.calls).toHaveLength(1);
    checker.forget('admin');
    expect((await checker.check('admin', 'right-pw', '127.0.0.1')).kind).toBe('ok');
    expect(h.calls).toHaveLength(2);
  });
});
