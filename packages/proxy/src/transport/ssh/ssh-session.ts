/**
 * @module
 * A task's lease on SSH connections ({@link TransportSession}). Its commands run on its first
 * connection; when that one has no channel left (sshd's `MaxSessions`, e.g. for a kill while
 * other tasks share it) the lease takes another connection of the same identity; when a channel
 * cannot be opened because the connection broke (closed, keepalive failure, no answer), it is
 * replaced by a fresh one once per task. `release()` hands the connections back to the pool.
 */
import type { ClientChannel } from 'ssh2';

import { TransportError } from '../transport-errors.ts';
import { type ExecOptions, type RemoteCommand, type RemoteCommandHandlers, type RemoteExit, sendStdin, type TransportSession, type TransportTarget } from '../transport.ts';
import { ChannelOpenError, type SshConnection } from './ssh-connection.ts';

/** Where a session gets more connections and gives them back. */
export interface ConnectionSource {
  /**
   * Another connection with the session's identity, leased to it.
   * @param fresh - a new handshake, never a pooled connection (to replace a broken one)
   */
  obtain(fresh: boolean): Promise<SshConnection>;
  /** The session is done with `connection`. */
  release(connection: SshConnection): void;
}

/** Most extra connections one command may take before it gives up (capacity refusals, a broken one). */
const MAX_EXTRA_CONNECTIONS = 3;

/** The connections one task uses. */
export class SshSession implements TransportSession {
  readonly #connections: SshConnection[];
  readonly #where: string;
  readonly #source: ConnectionSource;
  /** Open channels of this task, with the connection each is on. */
  readonly #channels = new Map<ClientChannel, SshConnection>();
  /** Rejecters of this task's running commands. */
  readonly #pending = new Set<(error: TransportError) => void>();
  #replaced = false;
  #closed = false;
  #released = false;

  constructor(first: SshConnection, target: TransportTarget, source: ConnectionSource) {
    this.#connections = [first];
    this.#where = `${target.address}:${target.port}`;
    this.#source = source;
  }

  async exec(command: string, handlers: RemoteCommandHandlers, options: ExecOptions = {}): Promise<RemoteCommand> {
    let extra = 0;
    let fresh = false;
    for (;;) {
      if (this.#closed || this.#released) throw this.#lost();
      const connection = this.#connections.find((c) => !c.retired && c.hasRoom);
      if (!connection) {
        if (extra++ >= MAX_EXTRA_CONNECTIONS) throw new TransportError(`No SSH channel could be opened on ${this.#where}`, 'connection_lost');
        const next = await this.#source.obtain(fresh);
        if (this.#closed || this.#released) {
          this.#source.release(next);
          throw this.#lost();
        }
        this.#connections.push(next);
        continue;
      }
      try {
        return sendStdin(await connection.exec(command, (channel) => this.#wrap(connection, channel, handlers), options), options.stdin);
      } catch (e: unknown) {
        if (!(e instanceof ChannelOpenError)) throw e;
        if (e.failure === 'capacity' && connection.channels > 0) {
          // sshd's MaxSessions is lower than configured: remember it, use another connection.
          connection.capacity = connection.channels;
          continue;
        }
        connection.retired = true;
        if (this.#replaced) throw new TransportError(e.message, 'connection_lost', e);
        this.#replaced = true;
        fresh = true;
      }
    }
  }

  #wrap(connection: SshConnection, channel: ClientChannel, handlers: RemoteCommandHandlers): RemoteCommand {
    this.#channels.set(channel, connection);
    let exit: RemoteExit | undefined;
    const exited = new Promise<RemoteExit>((resolve, reject) => {
      const rejectLost = (error: TransportError): void => {
        connection.pending.delete(rejectLost);
        this.#pending.delete(rejectLost);
        reject(error);
      };
      connection.pending.add(rejectLost);
      this.#pending.add(rejectLost);
      channel.on('data', (chunk: Buffer) => handlers.onStdout(chunk));
      channel.stderr.on('data', (chunk: Buffer) => handlers.onStderr(chunk));
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = { code: typeof code === 'number' ? code : null, signal: signal ?? null };
      });
      channel.once('close', () => {
        this.#channels.delete(channel);
        connection.pending.delete(rejectLost);
        this.#pending.delete(rejectLost);
        if (exit) resolve(exit);
        else reject(new TransportError(`The channel to ${this.#where} closed without an exit status`, 'connection_lost'));
      });
    });
    // Avoid an unhandled rejection when nobody awaits yet; callers await `exited`.
    exited.catch(() => undefined);
    return {
      write: (data: Buffer | string) => {
        channel.write(data);
      },
      end: (data?: Buffer | string) => {
        if (data === undefined) channel.end();
        else channel.end(data);
      },
      exited,
    };
  }

  /**
   * Ends this task's commands (their `exited` rejects with "connection lost") and keeps its
   * connections from being used again; other tasks on them keep their channels.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pending.size > 0) {
      const error = this.#lost();
      for (const rejectPending of [...this.#pending]) rejectPending(error);
    }
    for (const c of this.#connections) c.retired = true;
    this.release();
  }

  /** Gives the connections back; a channel still open is closed and its connection not reused. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const [channel, connection] of this.#channels) {
      connection.retired = true;
      channel.close();
    }
    this.#channels.clear();
    for (const c of this.#connections) this.#source.release(c);
  }

  #lost(): TransportError {
    return new TransportError(`Connection to ${this.#where} was lost`, 'connection_lost');
  }
}
