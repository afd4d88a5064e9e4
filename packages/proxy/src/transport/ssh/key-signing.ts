/**
 * @module
 * Cheaper client signatures. ssh2 signs with the key's PEM text, so Node parses the key again
 * for every signature: about 0.4 ms for an ed25519 key, ten times the signing itself, paid once
 * per connection. {@link signWithKeyObject} makes a parsed key sign with a `KeyObject` built
 * once, with the same hash ssh2 would use, so the signatures are the same bytes.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';

import { coerceError } from '@remex/common';
import type { ParsedKey } from 'ssh2';

/** The hash ssh2 signs with when the caller names none, by key type (null: the key type takes none). */
const DEFAULT_HASH: Readonly<Record<string, string | null>> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ssh-dss': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};

/**
 * Makes `key` sign with a `KeyObject` made from its private PEM once (see the module comment).
 * A key of another type, or one Node cannot load, keeps ssh2's own signing.
 * @returns `key` itself
 * @internal
 */
export function signWithKeyObject(key: ParsedKey): ParsedKey {
  const fallback = DEFAULT_HASH[key.type];
  if (fallback === undefined) return key;
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key.getPrivatePEM());
  } catch {
    return key;
  }
  // ssh2 returns an Error instead of throwing (its typings say Buffer).
  key.sign = (data: Buffer | string, algo?: string): Buffer => {
    try {
      return sign(algo || fallback, typeof data === 'string' ? Buffer.from(data) : data, keyObject);
    } catch (e: unknown) {
      return coerceError(e) as unknown as Buffer;
    }
  };
  return key;
}
