import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { tempDir } from '@remex/testkit';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';

import { GENERATED_KEY_NAME, generateEd25519KeyPair, loadOrCreateKeyPair } from '../src/keys/ssh-key-pair.ts';

describe('generateEd25519KeyPair', () => {
  it('throws away pairs ssh2 cannot read back and returns a readable one', () => {
    const good = ssh2.utils.generateKeyPairSync('ed25519');
    const broken = { private: good.private.replace(/[A-Za-z0-9+/]{20}(?=\n-----END)/, 'AAAAAAAAAAAAAAAAAAAA'), public: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAHw== x' };
    expect(ssh2.utils.parseKey(broken.public)).toBeInstanceOf(Error);
    let calls = 0;
    const pair = generateEd25519KeyPair('c', () => (++calls < 3 ? broken : good));
    expect(calls).toBe(3);
    expect(pair).toBe(good);
  });

  it('gives up with a clear error when every attempt is unreadable', () => {
    const broken = { private: 'nope', public: 'nope' };
    expect(() => generateEd25519KeyPair('c', () => broken)).toThrow(/Could not generate a readable ed25519 key pair/);
  });

  it('makes 2,000 pairs that all parse (ssh2 alone fails about 1 in 256)', () => {
    for (let i = 0; i < 2000; i++) {
      const pair = generateEd25519KeyPair('remex');
      expect(ssh2.utils.parseKey(pair.private)).not.toBeInstanceOf(Error);
      expect(ssh2.utils.parseKey(pair.public)).not.toBeInstanceOf(Error);
    }
  });
});

describe('loadOrCreateKeyPair', () => {
  it('replaces a generated pair that cannot be read and keeps a readable one', async () => {
    const dir = await tempDir('remex-keys-');
    try {
      const first = loadOrCreateKeyPair({ identityKeyFile: undefined, dataDir: dir.path, comment: 'p' });
      expect(loadOrCreateKeyPair({ identityKeyFile: undefined, dataDir: dir.path, comment: 'p' }).publicKey).toBe(first.publicKey);
      writeFileSync(join(dir.path, 'ssh', GENERATED_KEY_NAME), '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
      const again = loadOrCreateKeyPair({ identityKeyFile: undefined, dataDir: dir.path, comment: 'p' });
      expect(again.publicKey).not.toBe(first.publicKey);
      expect(ssh2.utils.parseKey(readFileSync(again.privateKeyFile, 'utf8'))).not.toBeInstanceOf(Error);
    } finally {
      await dir.cleanup();
    }
  });

  it('refuses a configured key that does not parse, naming the file', async () => {
    const dir = await tempDir('remex-keys-');
    try {
      const file = join(dir.path, 'id');
      writeFileSync(file, 'garbage');
      writeFileSync(`${file}.pub`, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI x');
      expect(() => loadOrCreateKeyPair({ identityKeyFile: file, dataDir: dir.path, comment: 'p' })).toThrow(new RegExp(`Cannot parse SSH identity key ${file}`));
    } finally {
      await dir.cleanup();
    }
  });
});
