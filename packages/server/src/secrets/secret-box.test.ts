import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadSecretKey, SECRET_KEY_FILE, SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('seals to a text that does not contain the value and opens it again', () => {
    const sealed = box.seal('hunter2-secret');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain('hunter2');
    expect(box.seal('hunter2-secret')).not.toBe(sealed);
    expect(box.open(sealed)).toBe('hunter2-secret');
  });

  it('passes clear text from before encryption through, refuses another key or altered data', () => {
    expect(box.open('plain')).toBe('plain');
    const sealed = box.seal('x');
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow(/cannot be opened/);
    const altered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(altered)).toThrow(/cannot be opened|truncated/);
  });

  it('generates a 0600 key file once and reads it back; a configured key wins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remex-key-'));
    const k1 = loadSecretKey(path.join(dir, 'data'), null);
    const k2 = loadSecretKey(path.join(dir, 'data'), null);
    expect(k1.equals(k2)).toBe(true);
    expect(fs.statSync(path.join(dir, 'data', SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(dir, 'a passphrase of enough length').length).toBe(32);
    expect(loadSecretKey(dir, 'ab'.repeat(32)).equals(Buffer.alloc(32, 0xab))).toBe(true);
    expect(() => loadSecretKey(dir, 'short')).toThrow(/too short/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
