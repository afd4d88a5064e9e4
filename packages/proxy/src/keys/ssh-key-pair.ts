/**
 * @module
 * The proxy's SSH identity: an ed25519 key pair generated on first start into
 * `<dataDir>/ssh/id_remex_ed25519` (OpenSSH format; directory 0700, both files 0600), or an existing key
 * named by `ssh_identity_key_file` whose public half sits beside it as `<file>.pub`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { coerceError, InputError } from '@remex/common';
import ssh2 from 'ssh2';

/** The key pair the proxy authenticates with. */
export interface SshKeyPair {
  /** Private key file path. */
  privateKeyFile: string;
  /** Private key in OpenSSH/PEM text, as ssh2 accepts it. */
  privateKey: string;
  /** One `authorized_keys` line: `ssh-ed25519 AAAA… comment`. */
  publicKey: string;
}

/** Name of the generated key inside `<dataDir>/ssh/`. */
export const GENERATED_KEY_NAME = 'id_remex_ed25519';

/**
 * Loads the configured key, or the generated one (generating it on first use).
 * @param options.identityKeyFile - `ssh_identity_key_file`, when configured
 * @param options.dataDir - the proxy's data dir (home of a generated key)
 * @param options.comment - comment written into a generated public key
 */
export function loadOrCreateKeyPair(options: {
  identityKeyFile: string | undefined;
  dataDir: string;
  comment: string;
}): SshKeyPair {
  if (options.identityKeyFile !== undefined) return readKeyPair(options.identityKeyFile);
  const dir = join(options.dataDir, 'ssh');
  const file = join(dir, GENERATED_KEY_NAME);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: options.comment });
    writeFileSync(`${file}.pub`, `${pair.public.trim()}\n`, { mode: 0o600 });
    // Written last: a crash in between leaves no private key and the pair is generated again.
    writeFileSync(file, pair.private, { mode: 0o600 });
  }
  // A key pair made before (or copied) with wider modes is narrowed: the directory 0700, the files 0600.
  narrow(dir, 0o700);
  narrow(file, 0o600);
  narrow(`${file}.pub`, 0o600);
  return readKeyPair(file);
}

function narrow(target: string, mode: number): void {
  try {
    if ((statSync(target).mode & 0o777 & ~mode) !== 0) chmodSync(target, mode);
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

function readKeyPair(file: string): SshKeyPair {
  let privateKey: string;
  let publicKey: string;
  try {
    privateKey = readFileSync(file, 'utf8');
  } catch (e: unknown) {
    throw new InputError(`Cannot read SSH identity key ${file}: ${coerceError(e).message}`, { cause: e });
  }
  try {
    publicKey = readFileSync(`${file}.pub`, 'utf8').trim();
  } catch (e: unknown) {
    throw new InputError(`Cannot read the public key ${file}.pub (it must sit beside the private key): ${coerceError(e).message}`, {
      cause: e,
    });
  }
  if (!/^(ssh-|ecdsa-|sk-)\S+ \S+/.test(publicKey)) throw new InputError(`${file}.pub does not hold an OpenSSH public key`);
  return { privateKeyFile: file, privateKey, publicKey };
}
