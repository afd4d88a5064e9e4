/**
 * @module
 * The ssh2 transport: key auth with the proxy's key, password (and keyboard-interactive) auth
 * when the task carries an SSH password, trust-on-first-use host keys, no PTY, one exec
 * channel per command, and warm connections kept for later tasks of the same identity
 * (`ssh-connection-pool.ts`, ADR 0014).
 *
 * Cheap per connection: the private key is parsed once (not by ssh2 on every connect, unless
 * it needs the task's passphrase) and signs with a `KeyObject` (`key-signing.ts`), authentication starts with the methods we have (no `none`
 * probe, one round trip less), and error objects are built only when someone gets them.
 */
import { createHash } from 'node:crypto';

import { coerceError } from '@remex/common';
import ssh2, { type AnyAuthMethod, type Client, type ConnectConfig, type ParsedKey } from 'ssh2';

import { HandshakeLimiter } from '../handshake-limiter.ts';
import { type HostKeyCheck, hostKeyId, type HostKeyLookup } from '../host-key-store.ts';
import { connectAborted, TransportError } from '../transport-errors.ts';
import type { Transport, TransportSession, TransportTarget } from '../transport.ts';
import { SshConnection } from './ssh-connection.ts';
import { SshConnectionPool } from './ssh-connection-pool.ts';
import { signWithKeyObject } from './key-signing.ts';
import { sshConnectError } from './ssh-errors.ts';
import { type ConnectionSource, SshSession } from './ssh-session.ts';

/** Options of {@link SshTransport}. */
export interface SshTransportOptions {
  /** The proxy's private key (OpenSSH or PEM text). */
  privateKey: string;
  /** Where trusted host keys live. */
  hostKeys: HostKeyLookup;
  /** Seconds for TCP connect + handshake + auth (not counting the wait for a handshake slot). */
  connectTimeoutSeconds: number;
  /**
   * Most connections in their handshake (TCP connect, key exchange, authentication) at once;
   * further connects wait in FIFO order. Established sessions do not count. (Default: no limit.)
   */
  maxConcurrentHandshakes?: number | undefined;
  /** Seconds an unused connection stays open for later tasks with the same identity; `0`: none kept. (Default: `0`.) */
  connectionIdleTimeoutSeconds?: number | undefined;
  /** Most open connections kept; idle ones beyond it close, least recently used first. (Default: `1000`.) */
  maxOpenConnections?: number | undefined;
  /** Most channels (sshd sessions) at once on one connection, as sshd's `MaxSessions`. (Default: `10`.) */
  maxChannelsPerConnection?: number | undefined;
}

/** Signature algorithms a stored key type may be verified with, best first. */
const SIGNATURE_ALGORITHMS: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** Transport over ssh2, with warm connections (ADR 0014). */
export class SshTransport implements Transport {
  readonly name = 'ssh';
  readonly #options: SshTransportOptions;
  /** Clients in their handshake. */
  readonly #clients = new Set<Client>();
  /** The private key parsed without a passphrase (or why that failed), on first use. */
  #plainKey: ParsedKey | Error | undefined;
  readonly #handshakes: HandshakeLimiter;
  readonly #pool: SshConnectionPool;
  readonly #channelsPerConnection: number;
  #closed = false;

  constructor(options: SshTransportOptions) {
    this.#options = options;
    this.#handshakes = new HandshakeLimiter(options.maxConcurrentHandshakes ?? Infinity);
    this.#pool = new SshConnectionPool({
      idleTimeoutMs: Math.round((options.connectionIdleTimeoutSeconds ?? 0) * 1000),
      maxOpen: options.maxOpenConnections ?? 1000,
    });
    this.#channelsPerConnection = options.maxChannelsPerConnection ?? 10;
  }

  /** Open connections: total, idle (diagnostics and tests). */
  connectionCounts(): { open: number; idle: number } {
    return this.#pool.counts();
  }

  /**
   * The parsed private key; with a passphrase it is parsed for this connection only (the
   * passphrase is a task secret and is not kept).
   */
  #privateKey(passphrase: string | undefined): ParsedKey | Error {
    if (passphrase !== undefined) return parsePrivateKey(this.#options.privateKey, passphrase);
    this.#plainKey ??= parsePrivateKey(this.#options.privateKey, undefined);
    return this.#plainKey;
  }

  /** A session over a warm connection with the same identity and host key when there is one, else a new connection. */
  async connect(target: TransportTarget, signal?: AbortSignal): Promise<TransportSession> {
    const identity = this.#pool.identity(target);
    const source: ConnectionSource = {
      obtain: async (fresh) => (fresh ? undefined : this.#leasePooled(target, identity)) ?? (await this.#open(target, identity, undefined)),
      release: (connection) => this.#pool.release(connection),
    };
    const first = this.#leasePooled(target, identity) ?? (await this.#open(target, identity, signal));
    return new SshSession(first, target, source);
  }

  #leasePooled(target: TransportTarget, identity: string): SshConnection | undefined {
    if (!this.#pool.enabled || this.#closed) return undefined;
    return this.#pool.lease(identity, this.#options.hostKeys.get(hostKeyId(target.address, target.port))?.key);
  }

  /** A new connection, registered in the pool and leased once. */
  async #open(target: TransportTarget, identity: string, signal: AbortSignal | undefined): Promise<SshConnection> {
    let release: () => void;
    try {
      release = await this.#handshakes.acquire(signal);
    } catch {
      throw connectAborted(target);
    }
    try {
      if (this.#closed) throw new TransportError(`Connecting to ${target.address}:${target.port}: the SSH transport was closed`, 'aborted');
      const { client, hostKey } = await this.#handshake(target, signal);
      const connection = new SshConnection(
        client,
        { identity, hostKey, target, capacity: this.#channelsPerConnection, openTimeoutMs: Math.round(this.#options.connectTimeoutSeconds * 1000) },
        (c) => this.#pool.closed(c),
      );
      if (this.#closed) {
        connection.destroy();
        throw connectAborted(target);
      }
      this.#pool.add(connection);
      return connection;
    } finally {
      release();
    }
  }

  /** TCP connect, key exchange, host key check and authentication of one connection. */
  #handshake(target: TransportTarget, signal: AbortSignal | undefined): Promise<{ client: Client; hostKey: string }> {
    const hostId = hostKeyId(target.address, target.port);
    const known = this.#options.hostKeys.get(hostId);
    const authMethods = target.password !== undefined ? ['password', 'publickey', 'keyboard-interactive'] : ['publickey'];
    let hostKeyFailure: TransportError | undefined;
    let presentedKey = '';
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      readyTimeout: Math.round(this.#options.connectTimeoutSeconds * 1000),
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      // A boolean at once from the store; `undefined` and `verify` later when the check is a
      // promise (an SSH worker thread asking the main thread).
      hostVerifier: (blob: Buffer, verify: (ok: boolean) => void): boolean | undefined => {
        const presented = { algorithm: keyAlgorithm(blob), key: blob.toString('base64') };
        presentedKey = presented.key;
        const judge = (check: HostKeyCheck): boolean => {
          if (check.result !== 'changed') return true;
          hostKeyFailure = new TransportError(
            `Host key verification failed for ${target.hostName} (${hostId}): it presented the ${presented.algorithm} key ` +
              `${fingerprint(presented.key)}, but ${check.known.algorithm} key ${fingerprint(check.known.key)} was trusted ` +
              `on first use. If the host was legitimately re-keyed, remove its stored key from the proxy.`,
            'host_key_mismatch',
          );
          return false;
        };
        const check = this.#options.hostKeys.check(hostId, presented);
        if (!(check instanceof Promise)) return judge(check);
        check.then(
          (c) => verify(judge(c)),
          (e: unknown) => {
            hostKeyFailure = new TransportError(
              `Cannot check the host key of ${target.hostName} (${hostId}): ${coerceError(e).message}`,
              'connect_failed',
            );
            verify(false);
          },
        );
        return undefined;
      },
    };
    if (known) {
      config.algorithms = { serverHostKey: { prepend: SIGNATURE_ALGORITHMS[known.algorithm] ?? [known.algorithm] } } as never;
    }
    const key = this.#privateKey(target.keyPassphrase);

    return new Promise<{ client: Client; hostKey: string }>((resolve, reject) => {
      const client = new ssh2.Client();
      let settled = false;
      const fail = (error: TransportError): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        this.#clients.delete(client);
        client.end();
        client.destroy();
        reject(error);
      };
      const onAbort = (): void => fail(connectAborted(target));
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (key instanceof Error) {
        // What ssh2 would have thrown from connect() for an unusable key.
        fail(sshConnectError(key, target, authMethods, this.#options.connectTimeoutSeconds));
        return;
      }
      const auth = authSequence(target, key);
      config.authHandler = auth.methods;
      client.once('ready', () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        this.#clients.delete(client);
        // The connection may outlive the task in the pool: it keeps no secret.
        auth.forget();
        resolve({ client, hostKey: presentedKey });
      });
      client.on('error', (error: Error) => {
        if (settled) return;
        fail(hostKeyFailure ?? sshConnectError(error, target, authMethods, this.#options.connectTimeoutSeconds));
      });
      client.once('close', () => {
        this.#clients.delete(client);
        // After 'ready' the connection's own handler takes over: no error to build.
        if (settled) return;
        fail(
          hostKeyFailure ??
            new TransportError(`Connection to ${target.address}:${target.port} closed during the SSH handshake`, 'connect_failed'),
        );
      });
      this.#clients.add(client);
      try {
        client.connect(config);
      } catch (e: unknown) {
        // ssh2 throws synchronously for unusable keys (e.g. encrypted without a passphrase).
        fail(sshConnectError(e, target, authMethods, this.#options.connectTimeoutSeconds));
      }
    });
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const client of this.#clients) {
      client.end();
      client.destroy();
    }
    this.#clients.clear();
    this.#pool.closeAll();
    return Promise.resolve();
  }
}

/**
 * Parses the proxy's private key as ssh2's `connect()` would (first key of an OpenSSH file;
 * errors worded like ssh2's own).
 */
function parsePrivateKey(text: string, passphrase: string | undefined): ParsedKey | Error {
  const parsed = ssh2.utils.parseKey(text, passphrase);
  if (parsed instanceof Error) return new Error(`Cannot parse privateKey: ${parsed.message}`);
  const key = Array.isArray(parsed) ? (parsed as ParsedKey[])[0] : parsed;
  if (!key || key.getPrivatePEM() === null) return new Error('privateKey value does not contain a (valid) private key');
  return signWithKeyObject(key);
}

/**
 * The authentication attempts, in order: password (when the task has one), the proxy's key,
 * keyboard-interactive answering every prompt with the password. Unlike ssh2's default there is
 * no `none` attempt first. `forget()` wipes the password from them once authenticated.
 */
function authSequence(target: TransportTarget, key: ParsedKey): { methods: AnyAuthMethod[]; forget: () => void } {
  const username = target.user;
  const secret = { password: target.password };
  const publicKey: AnyAuthMethod = { type: 'publickey', username, key };
  if (secret.password === undefined) return { methods: [publicKey], forget: () => undefined };
  const password = { type: 'password' as const, username, password: secret.password };
  const methods: AnyAuthMethod[] = [
    password,
    publicKey,
    {
      type: 'keyboard-interactive',
      username,
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => secret.password ?? '')),
    },
  ];
  return {
    methods,
    forget: () => {
      secret.password = undefined;
      password.password = '';
      methods.length = 0;
    },
  };
}

/** Key type from an SSH public key blob (its first length-prefixed string). */
function keyAlgorithm(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** OpenSSH-style `SHA256:` fingerprint of a base64 key blob. */
function fingerprint(base64Key: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('base64').replace(/=+$/, '')}`;
}
