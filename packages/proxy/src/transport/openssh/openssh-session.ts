/**
 * @module
 * A task's use of an OpenSSH master ({@link TransportSession}): every command is its own `ssh`
 * process multiplexed over the master's control socket (`ssh -S <socket>`), with separate
 * stdout, stderr and stdin, so a kill is simply a second such process.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

import { TransportError } from '../transport-errors.ts';
import { type ExecOptions, type RemoteCommand, type RemoteCommandHandlers, type RemoteExit, sendStdin, type TransportSession } from '../transport.ts';
import type { OpensshMaster } from './openssh-master.ts';

/** What a session needs from its transport. */
export interface MasterControl {
  /** The `ssh` binary. */
  readonly binary: string;
  /** Their environment. */
  readonly env: NodeJS.ProcessEnv;
  /** Arguments of a command client over `master` (everything before the command). */
  clientArgs(master: OpensshMaster): string[];
  /** Whether the master still answers (`ssh -O check`). */
  alive(master: OpensshMaster): Promise<boolean>;
  /** The task is done with `master`. */
  release(master: OpensshMaster): void;
}

/** The commands of one task over one master. */
export class OpensshSession implements TransportSession {
  readonly #master: OpensshMaster;
  readonly #control: MasterControl;
  readonly #where: string;
  /** Running command processes of this task, with their rejecters. */
  readonly #running = new Map<ChildProcessWithoutNullStreams, (error: TransportError) => void>();
  #closed = false;
  #released = false;

  constructor(master: OpensshMaster, control: MasterControl) {
    this.#master = master;
    this.#control = control;
    this.#where = `${master.target.address}:${master.target.port}`;
  }

  exec(command: string, handlers: RemoteCommandHandlers, options: ExecOptions = {}): Promise<RemoteCommand> {
    if (this.#closed || this.#released) return Promise.reject(this.#lost());
    const args = this.#control.clientArgs(this.#master);
    // `-tt`: a remote terminal although the local stdin is a pipe.
    const withTerminal = options.pty ? args.map((a) => (a === '-T' ? '-tt' : a === 'RequestTTY=no' ? 'RequestTTY=force' : a)) : args;
    const child = spawn(this.#control.binary, [...withTerminal, command], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: this.#control.env,
    });
    const exited = new Promise<RemoteExit>((resolve, reject) => {
      let settled = false;
      const rejectLost = (error: TransportError): void => {
        if (settled) return;
        settled = true;
        this.#running.delete(child);
        reject(error);
      };
      this.#running.set(child, rejectLost);
      child.stdout.on('data', (chunk: Buffer) => handlers.onStdout(chunk));
      child.stderr.on('data', (chunk: Buffer) => handlers.onStderr(chunk));
      child.stdin.on('error', () => undefined);
      child.once('error', (e: Error) => rejectLost(new TransportError(`Cannot run ssh for ${this.#where}: ${e.message}`, 'connection_lost', e)));
      child.once('close', (code: number | null) => {
        if (settled) return;
        // ssh's own failures (the master is gone, the channel was refused) end with 255.
        if (code === 255 || code === null) {
          void this.#control.alive(this.#master).then((alive) => {
            if (settled) return;
            if (!alive) {
              this.#master.retired = true;
              rejectLost(this.#lost());
              return;
            }
            settled = true;
            this.#running.delete(child);
            resolve({ code, signal: null });
          });
          return;
        }
        settled = true;
        this.#running.delete(child);
        resolve({ code, signal: null });
      });
    });
    exited.catch(() => undefined);
    const remote: RemoteCommand = {
      write: (data: Buffer | string) => {
        child.stdin.write(data);
      },
      end: (data?: Buffer | string) => {
        if (data === undefined) child.stdin.end();
        else child.stdin.end(data);
      },
      exited,
    };
    return Promise.resolve(sendStdin(remote, options.stdin));
  }

  /** Ends this task's commands (their `exited` rejects) and retires the master; other tasks keep theirs. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#master.retired = true;
    const error = this.#lost();
    for (const [child, rejectLost] of [...this.#running]) {
      rejectLost(error);
      child.kill('SIGTERM');
    }
    this.release();
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const child of this.#running.keys()) {
      this.#master.retired = true;
      child.kill('SIGTERM');
    }
    this.#control.release(this.#master);
  }

  #lost(): TransportError {
    return new TransportError(`Connection to ${this.#where} was lost`, 'connection_lost');
  }
}
