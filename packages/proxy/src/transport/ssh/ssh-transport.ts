/**
 * @module
 * The ssh2 transport: key auth with the proxy's key, password (and keyboard-interactive) auth
 * when the task carries an SSH password, trust-on-first-use host keys, no PTY, one exec
 * channel per command.
 *
 * Cheap per connection: the private key is parsed once (not by ssh2 on every connect, unless
 * it needs the task's passphrase), authentication starts with the methods we have (no `none`
 * probe, one round trip less), and error objects are built only when someone gets them.
 */
import { createHash } from 'node:crypto';

import ssh2, { type AnyAuthMethod, type Client, type ClientChannel, type ConnectConfig, type ParsedKey } from 'ssh2';

import { HandshakeLimiter } from '../handshake-limiter.ts';
import { hostKeyId, type HostKeyStore } from '../host-key-store.ts';
import { TransportError } from '../transport-errors.ts';
import type {
  RemoteCommand,
  RemoteCommandHandlers,
  RemoteExit,
  Transport,
  TransportSession,
  TransportTarget,
} from '../transport.ts';
import { sshConnectError } from './ssh-errors.ts';

/** Options of {@link SshTransport}. */
export interface SshTransportOptions {
  /** The proxy's private key (OpenSSH or PEM text). */
  privateKey: string;
  /** Where trusted host keys live. */
  hostKeys: HostKeyStore;
  /** Seconds for TCP connect + handshake + auth (not counting the wait for a handshake slot). */
  connectTimeoutSeconds: number;
  /**
   * Most connections in their handshake (TCP connect, key exchange, authentication) at once;
   * further connects wait in FIFO order. Established sessions do not count. (Default: no limit.)
   */
  maxConcurrentHandshakes?: number | undefined;
}

/** Signature algorithms a stored key type may be verified with, best first. */
const SIGNATURE_ALGORITHMS: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** Transport over ssh2. */
export class SshTransport implements Transport {
  readonly name = 'ssh';
  readonly #options: SshTransportOptions;
  readonly #clients = new Set<Client>();
  /** The private key parsed without a passphrase (or why that failed), on first use. */
  #plainKey: ParsedKey | Error | undefined;
  readonly #handshakes: HandshakeLimiter;
  #closed = false;

  constructor(options: SshTransportOptions) {
    this.#options = options;
    this.#handshakes = new HandshakeLimiter(options.maxConcurrentHandshakes ?? Infinity);
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

  async connect(target: TransportTarget, signal?: AbortSignal): Promise<TransportSession> {
    let release: () => void;
    try {
      release = await this.#handshakes.acquire(signal);
    } catch {
      throw abortedError(target);
    }
    try {
      if (this.#closed) throw new TransportError(`Connecting to ${target.address}:${target.port}: the SSH transport was closed`, 'aborted');
      return await this.#handshake(target, signal);
    } finally {
      release();
    }
  }

  /** TCP connect, key exchange, host key check and authentication of one connection. */
  #handshake(target: TransportTarget, signal: AbortSignal | undefined): Promise<TransportSession> {
    const hostId = hostKeyId(target.address, target.port);
    const known = this.#options.hostKeys.get(hostId);
    const authMethods = target.password !== undefined ? ['password', 'publickey', 'keyboard-interactive'] : ['publickey'];
    let hostKeyFailure: TransportError | undefined;
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      readyTimeout: Math.round(this.#options.connectTimeoutSeconds * 1000),
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (blob: Buffer): boolean => {
        const presented = { algorithm: keyAlgorithm(blob), key: blob.toString('base64') };
        const check = this.#options.hostKeys.check(hostId, presented);
        if (check.result !== 'changed') return true;
        hostKeyFailure = new TransportError(
          `Host key verification failed for ${target.hostName} (${hostId}): it presented the ${presented.algorithm} key ` +
            `${fingerprint(presented.key)}, but ${check.known.algorithm} key ${fingerprint(check.known.key)} was trusted ` +
            `on first use. If the host was legitimately re-keyed, remove its stored key from the proxy.`,
          'host_key_mismatch',
        );
        return false;
      },
    };
    if (known) {
      config.algorithms = { serverHostKey: { prepend: SIGNATURE_ALGORITHMS[known.algorithm] ?? [known.algorithm] } } as never;
    }
    const key = this.#privateKey(target.keyPassphrase);

    return new Promise<TransportSession>((resolve, reject) => {
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
      const onAbort = (): void => fail(abortedError(target));
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
      config.authHandler = authSequence(target, key);
      client.once('ready', () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(new SshSession(client, target, () => this.#clients.delete(client)));
      });
      client.on('error', (error: Error) => {
        if (settled) return;
        fail(hostKeyFailure ?? sshConnectError(error, target, authMethods, this.#options.connectTimeoutSeconds));
      });
      client.once('close', () => {
        this.#clients.delete(client);
        // After 'ready' this is the normal end of the session: no error to build.
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
    return Promise.resolve();
  }
}

/** One authenticated ssh2 connection. */
class SshSession implements TransportSession {
  readonly #client: Client;
  readonly #target: TransportTarget;
  readonly #onClose: () => void;
  readonly #pending = new Set<(error: TransportError) => void>();
  #closed = false;

  constructor(client: Client, target: TransportTarget, onClose: () => void) {
    this.#client = client;
    this.#target = target;
    this.#onClose = onClose;
    const lost = (): void => {
      this.#closed = true;
      this.#onClose();
      // Usually nothing is pending (the command's channel closed first): no error to build then.
      if (this.#pending.size === 0) return;
      const error = new TransportError(`Connection to ${target.address}:${target.port} was lost`, 'connection_lost');
      for (const rejectPending of [...this.#pending]) rejectPending(error);
    };
    client.on('close', lost);
    client.on('error', () => {
      // 'close' follows and fails whatever was in flight.
    });
  }

  exec(command: string, handlers: RemoteCommandHandlers): Promise<RemoteCommand> {
    if (this.#closed) {
      return Promise.reject(new TransportError(`Connection to ${this.#target.address}:${this.#target.port} was lost`, 'connection_lost'));
    }
    return new Promise<RemoteCommand>((resolve, reject) => {
      this.#client.exec(command, (error: Error | undefined, channel: ClientChannel) => {
        if (error) {
          reject(
            new TransportError(
              `Failed to open an exec channel on ${this.#target.address}:${this.#target.port}: ${error.message}`,
              'connection_lost',
              error,
            ),
          );
          return;
        }
        resolve(this.#wrap(channel, handlers));
      });
    });
  }

  #wrap(channel: ClientChannel, handlers: RemoteCommandHandlers): RemoteCommand {
    let exit: RemoteExit | undefined;
    const exited = new Promise<RemoteExit>((resolve, reject) => {
      const rejectLost = (error: TransportError): void => {
        this.#pending.delete(rejectLost);
        reject(error);
      };
      this.#pending.add(rejectLost);
      channel.on('data', (chunk: Buffer) => handlers.onStdout(chunk));
      channel.stderr.on('data', (chunk: Buffer) => handlers.onStderr(chunk));
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = { code: typeof code === 'number' ? code : null, signal: signal ?? null };
      });
      channel.once('close', () => {
        this.#pending.delete(rejectLost);
        if (exit) resolve(exit);
        else
          reject(
            new TransportError(
              `The channel to ${this.#target.address}:${this.#target.port} closed without an exit status`,
              'connection_lost',
            ),
          );
      });
    });
    // Avoid an unhandled rejection when nobody awaits yet; callers await `exited`.
    exited.catch(() => undefined);
    return {
      end: (data?: Buffer | string) => {
        if (data === undefined) channel.end();
        else channel.end(data);
      },
      exited,
    };
  }

  close(): void {
    this.#closed = true;
    this.#client.end();
  }
}

function abortedError(target: TransportTarget): TransportError {
  return new TransportError(`Connecting to ${target.address}:${target.port} was aborted`, 'aborted');
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
  return key;
}

/**
 * The authentication attempts, in order: password (when the task has one), the proxy's key,
 * keyboard-interactive answering every prompt with the password. Unlike ssh2's default there is
 * no `none` attempt first.
 */
function authSequence(target: TransportTarget, key: ParsedKey): AnyAuthMethod[] {
  const username = target.user;
  const password = target.password;
  const publicKey: AnyAuthMethod = { type: 'publickey', username, key };
  if (password === undefined) return [publicKey];
  return [
    { type: 'password', username, password },
    publicKey,
    {
      type: 'keyboard-interactive',
      username,
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
    },
  ];
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
