/**
 * @module
 * The main thread's side of a session and its commands in an SSH worker thread: the
 * {@link TransportSession} and {@link RemoteCommand} a provider uses, each call turned into a
 * message, each answer and output chunk routed back by id.
 */
import { TransportError } from '../transport-errors.ts';
import type { ExecOptions, RemoteCommand, RemoteCommandHandlers, RemoteExit, TransportSession } from '../transport.ts';
import type { ToWorker } from './ssh-worker-protocol.ts';

/** What a session needs of its worker link. */
export interface SessionLink {
  send(message: ToWorker): void;
  /** A new command id, its record registered for the worker's answers. */
  register(command: WorkerCommand): number;
  /** The session ended on this side: the link stops counting it. */
  ended(session: WorkerSession): void;
}

/** One command as the main thread tracks it, from the exec request to its exit. */
export class WorkerCommand {
  readonly handlers: RemoteCommandHandlers;
  readonly exited: Promise<RemoteExit>;
  #opened: { resolve: () => void; reject: (e: Error) => void } | undefined;
  #resolveExit!: (exit: RemoteExit) => void;
  #rejectExit!: (e: Error) => void;
  /** Exited, lost or failed to open: later messages about it are ignored. */
  done = false;

  /** @param opened - settles the exec: `resolve` once the channel opened, `reject` when it could not be */
  constructor(handlers: RemoteCommandHandlers, opened: { resolve: () => void; reject: (e: Error) => void }) {
    this.handlers = handlers;
    this.#opened = opened;
    this.exited = new Promise<RemoteExit>((resolve, reject) => {
      this.#resolveExit = resolve;
      this.#rejectExit = reject;
    });
    // Avoid an unhandled rejection when nobody awaits yet; callers await `exited`.
    this.exited.catch(() => undefined);
  }

  /** The channel opened: the exec resolves with the command. */
  open(): void {
    this.#opened?.resolve();
    this.#opened = undefined;
  }

  /** It exited with `exit`. */
  exit(exit: RemoteExit): void {
    if (this.done) return;
    this.done = true;
    this.#resolveExit(exit);
  }

  /** The channel could not be opened, or was lost: the exec or `exited` rejects. */
  fail(error: Error): void {
    if (this.done) return;
    this.done = true;
    if (this.#opened) {
      this.#opened.reject(error);
      this.#opened = undefined;
    }
    this.#rejectExit(error);
  }
}

/** A task's session in a worker thread. */
export class WorkerSession implements TransportSession {
  readonly sid: number;
  readonly #link: SessionLink;
  readonly #where: string;
  /** Its commands not yet done. */
  readonly commands = new Set<WorkerCommand>();
  #finished = false;

  constructor(link: SessionLink, sid: number, where: string) {
    this.#link = link;
    this.sid = sid;
    this.#where = where;
  }

  exec(command: string, handlers: RemoteCommandHandlers, options: ExecOptions = {}): Promise<RemoteCommand> {
    if (this.#finished) return Promise.reject(this.lost());
    return new Promise<RemoteCommand>((resolve, reject) => {
      // `remote` is made below, once the command has its id; the worker's `exec-ok` comes later.
      const record = new WorkerCommand(handlers, { resolve: () => resolve(remote), reject });
      const cid = this.#link.register(record);
      this.commands.add(record);
      record.exited.then(
        () => this.commands.delete(record),
        () => this.commands.delete(record),
      );
      const remote: RemoteCommand = {
        write: (data) => this.#link.send({ t: 'write', cid, data: wire(data), end: false }),
        end: (data) => this.#link.send({ t: 'write', cid, data: data === undefined ? null : wire(data), end: true }),
        exited: record.exited,
      };
      // The worker answers `exec-ok` (→ `open()`) or `exec-failed`.
      const stdin = options.stdin === undefined ? null : new Uint8Array(options.stdin);
      this.#link.send({ t: 'exec', sid: this.sid, cid, command, pty: options.pty === true, stdin });
    });
  }

  /** Ends the session by force: its running commands reject at once, the worker drops its channels. */
  close(): void {
    if (this.#finished) return;
    this.#finish('close');
    const error = this.lost();
    for (const c of [...this.commands]) c.fail(error);
  }

  release(): void {
    if (this.#finished) return;
    this.#finish('release');
  }

  /** The worker is gone: every command of the session fails with `error`. */
  abandon(error: Error): void {
    this.#finished = true;
    for (const c of [...this.commands]) c.fail(error);
  }

  /** The error of a command cut off with its session. */
  lost(): TransportError {
    return new TransportError(`Connection to ${this.#where} was lost`, 'connection_lost');
  }

  #finish(how: 'close' | 'release'): void {
    this.#finished = true;
    this.#link.send({ t: how, sid: this.sid });
    this.#link.ended(this);
  }
}

/** Stdin data for the wire: strings as they are, bytes as a copy with its own buffer. */
function wire(data: Buffer | string): Uint8Array | string {
  return typeof data === 'string' ? data : new Uint8Array(data);
}
