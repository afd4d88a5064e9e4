/**
 * @module
 * Encryption at rest for secret values (hidden parameters and inputs, SSH passwords, proxy
 * credentials): AES-256-GCM with a random 96-bit IV per value. A sealed value is the text
 * `enc:v1:` followed by base64url(iv ‖ tag ‖ ciphertext), so it fits every text column and can be
 * told apart from a value stored in clear before encryption existed.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { InputError, InternalError } from '@remex/common';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Name of the generated key file inside the data directory. */
export const SECRET_KEY_FILE = 'secret.key';

/** Seals and opens secret values with one 256-bit key. */
export class SecretBox {
  readonly #key: Buffer;

  /** @param key - 32 bytes */
  constructor(key: Buffer) {
    if (key.length !== 32) throw new InternalError('SecretBox needs a 32-byte key');
    this.#key = Buffer.from(key);
  }

  /** Whether `stored` is a sealed value (as opposed to clear text from before encryption). */
  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  /** Encrypts `plain`; each call gives a different text for the same value. */
  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /**
   * Decrypts a value made by {@link seal}; a value without the prefix is returned as it is (stored
   * before encryption existed).
   * @throws InternalError when the value was sealed with another key or altered
   */
  open(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new InternalError('A sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new InternalError('A sealed secret cannot be opened: wrong REMEX_SECRET_KEY or altered data');
    }
  }

  /** {@link open} for nullable columns. */
  openNullable(stored: string | null): string | null {
    return stored === null ? null : this.open(stored);
  }
}

/**
 * The key of this server: `REMEX_SECRET_KEY` when set (64 hex digits or 43+ base64 characters give
 * the raw key; any other text is hashed to one with SHA-256), else the key file in `dataDir`,
 * created with 32 random bytes and mode 0600 on first start (an existing one is narrowed to
 * 0600). Servers sharing one database must
 * share the key (set the variable on each).
 */
export function loadSecretKey(dataDir: string, configured: string | null): Buffer {
  if (configured !== null && configured !== '') return keyFromText(configured);
  const file = path.join(dataDir, SECRET_KEY_FILE);
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    // A key file made readable by others (copied, restored from a backup) is narrowed again.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return keyFromText(text);
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function keyFromText(text: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9_-]{43}=?$/.test(text) || /^[A-Za-z0-9+/]{43}=$/.test(text)) {
    const b = Buffer.from(text, text.includes('+') || text.includes('/') ? 'base64' : 'base64url');
    if (b.length === 32) return b;
  }
  if (text.length < 16) throw new InputError('REMEX_SECRET_KEY is too short: give at least 16 characters (or 64 hex digits)');
  return createHash('sha256').update(text, 'utf8').digest();
}
