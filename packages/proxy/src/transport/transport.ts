/**
 * @module
 * The transport seam: how a provider reaches a host and runs commands there. Two
 * implementations, sibling folders with the same file set (`<name>-transport.ts`,
 * `<name>-errors.ts`, `index.ts`): `ssh/` (ssh2, in process) and `openssh/` (the system `ssh`
 * with ControlMaster); `transport-selector.ts` picks one per task.
 */
import type { TransportName } from '@remex/common';

/** Where and as whom to connect. */
export interface TransportTarget {
  /** Host name as known to the server (messages only). */
  hostName: string;
  /** Address to connect to (name or IP). */
  address: string;
  port: number;
  user: string;
  /** SSH password; when set, password (and keyboard-interactive) auth is offered too. */
  password?: string | undefined;
  /** Passphrase of the proxy's private key, when it is encrypted. */
  keyPassphrase?: string | undefined;
  /** Which transport to use (the host's `remote_execution_transport`); absent: the proxy's `ssh_transport`. */
  transport?: TransportName | undefined;
}

/** How a remote command ended. */
export interface RemoteExit {
  /** Exit code, or `null` when the command was killed by a signal or the status never came. */
  code: number | null;
  /** Signal name (`TERM`, …) when the remote side reported one. */
  signal: string | null;
}

/** Callbacks of one remote command. Chunks arrive in order, per stream. */
export interface RemoteCommandHandlers {
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
}

/** How a command runs. */
export interface ExecOptions {
  /**
   * Run on a pseudo-terminal (for `su`, which reads a password only from one). Its stdout and
   * stderr then arrive merged on `onStdout`; stdin is the terminal's input.
   */
  pty?: boolean;
  /**
   * Bytes for the command's stdin, which is then closed, as soon as the command started (as
   * `end(stdin)` right after `exec` resolves would, without a round trip back to the caller; an
   * empty buffer only closes stdin). (Default: stdin stays open for `write`/`end`.)
   */
  stdin?: Buffer | undefined;
}

/**
 * Applies {@link ExecOptions.stdin} to a started command: writes it and closes stdin (without an
 * empty data packet when there is nothing to write).
 */
export function sendStdin(command: RemoteCommand, stdin: Buffer | undefined): RemoteCommand {
  if (stdin === undefined) return command;
  if (stdin.length > 0) command.end(stdin);
  else command.end();
  return command;
}

/** A command running on a host. */
export interface RemoteCommand {
  /** Writes `data` to the command's stdin, keeping it open. */
  write(data: Buffer | string): void;
  /** Writes `data` to the command's stdin and closes it. */
  end(data?: Buffer | string): void;
  /** Resolves once the command ended and its output was read completely; rejects when the connection is lost. */
  readonly exited: Promise<RemoteExit>;
}

/**
 * A task's use of a connection to one host. The connection may be shared with other tasks of
 * the same identity and outlive the session (warm connections, ADR 0014).
 */
export interface TransportSession {
  /** Starts `command` (interpreted by the remote user's login shell), without a PTY unless `options.pty`. */
  exec(command: string, handlers: RemoteCommandHandlers, options?: ExecOptions): Promise<RemoteCommand>;
  /**
   * Ends the session by force: its commands still running lose their channel (their `exited`
   * rejects) and its connection is not used for other tasks again. Other tasks' commands keep
   * running.
   */
  close(): void;
  /** The task is done: the connection may be kept for later tasks. Idempotent; also after `close()`. */
  release(): void;
}

/** Opens sessions to hosts. */
export interface Transport {
  /** `ssh`, `openssh`, … */
  readonly name: string;
  /**
   * Connects and authenticates. Rejects with a {@link TransportError}-like error whose message is
   * fit to show the user (connection refused, authentication failed, host key changed, …).
   * @param signal - aborts the attempt
   */
  connect(target: TransportTarget, signal?: AbortSignal): Promise<TransportSession>;
  /** Closes every open session. */
  close(): Promise<void>;
}
