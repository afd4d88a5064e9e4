/**
 * @module
 * One authenticated ssh2 connection as the pool sees it: who it belongs to (its identity key and
 * the host key it saw), how many tasks lease it, how many channels are open on it and how many
 * it may have (sshd's `MaxSessions`), and whether it may still take new work.
 */
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';

import { TransportError } from '../transport-errors.ts';
import type { ExecOptions, TransportTarget } from '../transport.ts';

/** The terminal of a `pty` command: no echo of what is typed, output bytes unchanged. */
const TERMINAL: PseudoTtyOptions = { term: 'dumb', rows: 24, cols: 200, modes: { ECHO: 0, ONLCR: 0 } };

/** Why a channel could not be opened. */
export type ChannelOpenFailure =
  /** sshd answered with a refusal (past `MaxSessions`, "open failed"): try another connection. */
  | 'capacity'
  /** The connection is gone or does not answer: it must not be used again. */
  | 'broken';

/** A failed channel open, classified. */
export class ChannelOpenError extends Error {
  readonly failure: ChannelOpenFailure;

  constructor(message: string, failure: ChannelOpenFailure, cause?: unknown) {
    super(message, { cause });
    this.failure = failure;
  }
}

/** One ssh2 connection with its bookkeeping. */
export class SshConnection {
  /** Identity (see `connectionIdentity`): only tasks with the same one may use it. */
  readonly identity: string;
  /** Base64 blob of the host key the server presented in the handshake. */
  readonly hostKey: string;
  readonly target: TransportTarget;
  /** Tasks holding it. */
  leases = 0;
  /** Channels open or being opened. */
  channels = 0;
  /** Most channels at once: the configured limit, lowered when sshd refuses one. */
  capacity: number;
  /** No new leases (it broke, or a task closed it); it ends when its last lease is released. */
  retired = false;
  /** The socket closed. */
  closed = false;
  /** Rejects the `exited` promise of every command still running on it, when it closes. */
  readonly pending = new Set<(error: TransportError) => void>();
  readonly #client: Client;
  readonly #openTimeoutMs: number;
  readonly #onClose: (connection: SshConnection) => void;

  /**
   * @param target - where it goes; its secrets are not kept
   * @param openTimeoutMs - a channel open not answered within this drops the connection as broken
   */
  constructor(
    client: Client,
    init: { identity: string; hostKey: string; target: TransportTarget; capacity: number; openTimeoutMs: number },
    onClose: (connection: SshConnection) => void,
  ) {
    this.#client = client;
    this.identity = init.identity;
    this.hostKey = init.hostKey;
    const { hostName, address, port, user } = init.target;
    const target = { hostName, address, port, user };
    this.target = target;
    this.capacity = init.capacity;
    this.#openTimeoutMs = init.openTimeoutMs;
    this.#onClose = onClose;
    client.on('close', () => {
      this.closed = true;
      this.retired = true;
      this.#onClose(this);
      // Usually nothing is pending (the command's channel closed first): no error to build then.
      if (this.pending.size === 0) return;
      const error = new TransportError(`Connection to ${target.address}:${target.port} was lost`, 'connection_lost');
      for (const rejectPending of [...this.pending]) rejectPending(error);
    });
    client.on('error', () => {
      // 'close' follows and fails whatever was in flight.
    });
  }

  /** Whether a new task may lease it now. */
  get available(): boolean {
    return !this.retired && !this.closed && this.leases < this.capacity && this.channels < this.capacity;
  }

  /** Whether one more channel may be opened now. */
  get hasRoom(): boolean {
    return !this.closed && this.channels < this.capacity;
  }

  /**
   * Opens an exec channel running `command`. The channel counts against {@link capacity} until
   * it closes.
   * @param use - called at once with the open channel (before any of its events: an exit status
   *   may arrive in the same packet batch), its result resolves the promise
   * @param options - `pty`: on a pseudo-terminal without echo and without NL→CRNL output mapping
   * @throws ChannelOpenError (rejects) when sshd refuses the channel or the connection is gone
   */
  exec<T>(command: string, use: (channel: ClientChannel) => T, options: ExecOptions = {}): Promise<T> {
    const where = `${this.target.address}:${this.target.port}`;
    if (this.closed) return Promise.reject(new ChannelOpenError(`Connection to ${where} was lost`, 'broken'));
    this.channels++;
    return new Promise<T>((resolve, reject) => {
      // A connection that does not answer (host gone without a FIN) is broken; dropping it makes
      // ssh2 fail the open with 'No response from server'.
      const timer = setTimeout(() => this.destroy(), this.#openTimeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        this.channels--;
        // A CHANNEL_OPEN_FAILURE with a reason code is an answer: the connection works, sshd
        // refused the session (past MaxSessions OpenSSH says 'open failed', reason 2 or 1).
        const refused = typeof (error as Error & { reason?: unknown }).reason === 'number';
        reject(new ChannelOpenError(`Failed to open an exec channel on ${where}: ${error.message}`, refused ? 'capacity' : 'broken', error));
      };
      try {
        this.#client.exec(command, options.pty ? { pty: TERMINAL } : {}, (error: Error | undefined, channel: ClientChannel) => {
          if (error) {
            fail(error);
            return;
          }
          clearTimeout(timer);
          channel.once('close', () => this.channels--);
          resolve(use(channel));
        });
      } catch (e: unknown) {
        // ssh2 throws 'Not connected' synchronously when the socket is already gone.
        fail(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Ends the connection (politely; the socket closes soon after). */
  end(): void {
    this.retired = true;
    this.#client.end();
  }

  /** Drops the connection at once (no goodbye: ssh2's `destroy()` does nothing after `end()`). */
  destroy(): void {
    this.retired = true;
    this.#client.destroy();
  }
}
