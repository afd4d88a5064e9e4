import ssh2, { type ParsedKey } from 'ssh2';
import { describe, expect, it } from 'vitest';

import { signWithKeyObject } from './key-signing.ts';

/** A fresh key of `type` as ssh2 parses it. */
function parsed(type: 'ed25519' | 'rsa' | 'ecdsa', bits?: number): ParsedKey {
  const pair = ssh2.utils.generateKeyPairSync(type, bits === undefined ? {} : { bits });
  const key = ssh2.utils.parseKey(pair.private);
  if (key instanceof Error || Array.isArray(key)) throw new Error('unparsable test key');
  return key;
}

const data = Buffer.from('session id and userauth request: the bytes a client signs');

describe('signWithKeyObject', () => {
  it.each([
    ['ed25519', undefined, [undefined]],
    ['rsa', 2048, [undefined, 'sha256', 'sha512']],
  ] as const)('signs %s keys with the same bytes as ssh2 (default hash and named ones)', (type, bits, algos) => {
    const key = parsed(type, bits);
    const before = algos.map((algo) => key.sign(data, algo));
    const original = key.sign;
    expect(signWithKeyObject(key)).toBe(key);
    expect(key.sign).not.toBe(original);
    expect(algos.map((algo) => key.sign(data, algo))).toEqual(before);
  });

  it('makes ECDSA signatures (randomized) that ssh2 verifies', () => {
    const key = signWithKeyObject(parsed('ecdsa', 256));
    expect(key.verify(data, key.sign(data))).toBe(true);
    expect(key.verify(Buffer.from('other bytes'), key.sign(data))).toBe(false);
  });

  it('returns the error, as ssh2 does, for a hash the key cannot use', () => {
    const key = signWithKeyObject(parsed('rsa', 2048));
    expect(key.sign(data, 'no-such-hash')).toBeInstanceOf(Error);
  });
});
