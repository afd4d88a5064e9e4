import { describe, expect, it } from 'vitest';

import { AuthenticationError, InputError } from '../errors/index.ts';
import {
  formatProxyCredential,
  generateProxyCredential,
  parseProxyCredential,
  parseSignature,
  ReplayGuard,
  type SignedMessage,
  signMessage,
  verifySignature,
} from './request-signature.ts';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const msg: SignedMessage = { kind: 'request', method: 'POST', path: '/tasks/launch', body: '{"tasks":[]}' };

async function signed(m: SignedMessage = msg, now = NOW) {
  const c = generateProxyCredential();
  const header = await signMessage(c, m, { now });
  const f = parseSignature(header);
  if (!f) throw new Error('unparsable');
  return { c, header, f };
}

describe('proxy credentials', () => {
  it('round-trips the text form, and two credentials differ', () => {
    const a = generateProxyCredential();
    expect(parseProxyCredential(formatProxyCredential(a))).toEqual(a);
    expect(a.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(generateProxyCredential().secret).not.toBe(a.secret);
  });

  it('refuses an old shared token or a truncated credential', () => {
    expect(() => parseProxyCredential('some-shared-token')).toThrow(InputError);
    const a = formatProxyCredential(generateProxyCredential());
    expect(() => parseProxyCredential(a.slice(0, -1))).toThrow(/malformed/);
    expect(() => parseProxyCredential(`${a}.x`)).toThrow(/malformed/);
  });
});

describe('request signatures', () => {
  it('a signature verifies, and the header never contains the secret', async () => {
    const { c, header, f } = await signed();
    expect(header).not.toContain(c.secret);
    expect(header).toContain(`key="${c.keyId}"`);
    await expect(verifySignature(c.secret, f, msg, { now: NOW + 1000 })).resolves.toBeUndefined();
  });

  it.each([
    ['body', { ...msg, body: '{"tasks":[1]}' }],
    ['path', { ...msg, path: '/tasks/1/cancel' }],
    ['method', { ...msg, method: 'PUT' }],
    ['direction', { ...msg, kind: 'response' as const }],
  ])('a tampered %s fails', async (_what, other) => {
    const { c, f } = await signed();
    await expect(verifySignature(c.secret, f, other, { now: NOW })).rejects.toThrow(AuthenticationError);
  });

  it('another secret, or a tampered key id, timestamp or nonce fails', async () => {
    const { c, f } = await signed();
    await expect(verifySignature(generateProxyCredential().secret, f, msg, { now: NOW })).rejects.toThrow(/Invalid signature/);
    await expect(verifySignature(c.secret, { ...f, keyId: generateProxyCredential().keyId }, msg, { now: NOW })).rejects.toThrow(/Invalid signature/);
    await expect(verifySignature(c.secret, { ...f, ts: f.ts + 1 }, msg, { now: NOW })).rejects.toThrow(/Invalid signature/);
    await expect(verifySignature(c.secret, { ...f, nonce: '0'.repeat(32) }, msg, { now: NOW })).rejects.toThrow(/Invalid signature/);
  });

  it('a timestamp outside ±300 s fails, inside passes', async () => {
    const { c, f } = await signed();
    await expect(verifySignature(c.secret, f, msg, { now: NOW + 301_000 })).rejects.toThrow(/outside the accepted window/);
    await expect(verifySignature(c.secret, f, msg, { now: NOW - 301_000 })).rejects.toThrow(/outside the accepted window/);
    await expect(verifySignature(c.secret, f, msg, { now: NOW + 299_000 })).resolves.toBeUndefined();
  });

  it('parses only the exact header shape', async () => {
    const { header } = await signed();
    expect(parseSignature(header)).not.toBeNull();
    expect(parseSignature(undefined)).toBeNull();
    expect(parseSignature('Bearer abc')).toBeNull();
    expect(parseSignature(header.replace('sig="', 'sig="0'))).toBeNull();
    expect(parseSignature(`${header}, extra="1"`)).toBeNull();
  });
});

describe('ReplayGuard', () => {
  it('refuses a nonce seen before, accepts a new one', async () => {
    const guard = new ReplayGuard();
    const a = await signed();
    const b = await signed();
    guard.check(a.f, NOW);
    expect(() => guard.check(a.f, NOW)).toThrow(/replayed/);
    expect(() => guard.check(b.f, NOW)).not.toThrow();
  });

  it('stays bounded', async () => {
    const guard = new ReplayGuard(3);
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => signed()));
    for (const s of all) guard.check(s.f, NOW);
    // The oldest were forgotten to stay within the limit (their timestamps still need the window).
    expect(() => guard.check(all[0]!.f, NOW)).not.toThrow();
    expect(() => guard.check(all[4]!.f, NOW)).toThrow(/replayed/);
  });
});
