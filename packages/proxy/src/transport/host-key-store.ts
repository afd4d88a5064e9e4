/**
 * @module
 * Trust-on-first-use host keys, stored in the proxy database (`host_keys`), keyed
 * `[address]:port` like OpenSSH's known_hosts. The first key a host presents is stored; a
 * different key later is refused, never silently accepted.
 */
import type { ProxyDatabase } from '../db/proxy-database.ts';

/** A trusted host key. */
export interface KnownHostKey {
  /** Key type, e.g. `ssh-ed25519`. */
  algorithm: string;
  /** The key blob, base64 (as in known_hosts). */
  key: string;
}

/** Outcome of {@link HostKeyStore.check}. */
export type HostKeyCheck =
  | { result: 'trusted' }
  | { result: 'added' }
  | { result: 'changed'; known: KnownHostKey };

/**
 * The `known_hosts` key of a host, always `[address]:port`.
 * @param address - host name or IP
 * @param port - SSH port
 */
export function hostKeyId(address: string, port: number): string {
  return `[${address}]:${port}`;
}

/** Whether two host keys are the same key (type and blob). */
export function sameKey(a: KnownHostKey, b: KnownHostKey): boolean {
  return a.algorithm === b.algorithm && a.key === b.key;
}

/**
 * What a transport needs of the host key store: the trusted key of a host, and the TOFU check of
 * a presented key. {@link HostKeyStore} answers at once; an SSH worker thread asks the proxy's
 * main thread, which owns the database (`ssh-worker/`), so its check is a promise.
 */
export interface HostKeyLookup {
  /** The trusted key of `host`, if any. */
  get(host: string): KnownHostKey | undefined;
  /** Compares a presented key with the trusted one, trusting it when none is (see {@link HostKeyStore.check}). */
  check(host: string, presented: KnownHostKey): HostKeyCheck | Promise<HostKeyCheck>;
}

/** SQLite-backed TOFU store. */
export class HostKeyStore implements HostKeyLookup {
  readonly #get;
  readonly #insert;
  readonly #delete;

  constructor(db: ProxyDatabase) {
    this.#get = db.prepare<[string], { algorithm: string; key: string }>('SELECT algorithm, key FROM host_keys WHERE host = ?');
    this.#insert = db.prepare<[string, string, string, number]>(
      'INSERT OR IGNORE INTO host_keys (host, algorithm, key, added_at) VALUES (?, ?, ?, ?)',
    );
    this.#delete = db.prepare<[string]>('DELETE FROM host_keys WHERE host = ?');
  }

  /** The stored key of `host`, if any. */
  get(host: string): KnownHostKey | undefined {
    const row = this.#get.get(host);
    return row ? { algorithm: row.algorithm, key: row.key } : undefined;
  }

  /**
   * Compares a presented key with the stored one, storing it when none is known.
   * @param host - {@link hostKeyId}
   * @param presented - the key the host presented
   */
  check(host: string, presented: KnownHostKey): HostKeyCheck {
    let known = this.get(host);
    if (!known) {
      this.#insert.run(host, presented.algorithm, presented.key, Date.now() / 1000);
      known = this.get(host);
      // Another connection may have stored a key in between: compare with what won.
      if (known && sameKey(known, presented)) return { result: 'added' };
    }
    if (known && sameKey(known, presented)) return { result: 'trusted' };
    return { result: 'changed', known: known ?? presented };
  }

  /** Forgets the key of `host` (an administrator confirmed a legitimate change). */
  forget(host: string): boolean {
    return this.#delete.run(host).changes > 0;
  }
}
