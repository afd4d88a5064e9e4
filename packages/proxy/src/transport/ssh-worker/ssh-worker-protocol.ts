/**
 * @module
 * The messages between the proxy's main thread and its SSH worker threads (ADR 0025). Both sides
 * send arrays of them, gathered over about a millisecond ({@link MessageBatcher}). Order
 * is kept per direction, so a command's output always arrives before its exit.
 *
 * Ids: `sid` names a session (one task's connection lease), `cid` one command on it, `rid` one
 * request awaiting an answer; the side that starts a thing numbers it.
 */
import type { HostKeyCheck, KnownHostKey } from '../host-key-store.ts';
import type { TransportErrorCode } from '../transport-errors.ts';
import type { SshTransportOptions } from '../ssh/ssh-transport.ts';
import type { TransportTarget } from '../transport.ts';

/** What a worker is started with (`workerData`). */
export type SshWorkerInit = Omit<SshTransportOptions, 'hostKeys'>;

/** An error as it crosses threads: its message, and its code when it is a transport error. */
export interface WireError {
  message: string;
  code?: TransportErrorCode | undefined;
}

/** Main thread → worker. */
export type ToWorker =
  /** Open a session; `known` is the host's trusted key now (for reuse of a warm connection). */
  | { t: 'connect'; sid: number; target: TransportTarget; known: KnownHostKey | null }
  /** The connect's signal was aborted. */
  | { t: 'abort'; sid: number }
  /** `stdin`: bytes to write and close stdin with once the channel opened (`null`: left open). */
  | { t: 'exec'; sid: number; cid: number; command: string; pty: boolean; stdin: Uint8Array | null }
  /** Write to a command's stdin, and close it when `end`. */
  | { t: 'write'; cid: number; data: Uint8Array | string | null; end: boolean }
  | { t: 'close'; sid: number }
  | { t: 'release'; sid: number }
  /** The answer to a worker's host key check. */
  | { t: 'hostkey'; rid: number; check: HostKeyCheck | null; error?: string }
  | { t: 'counts'; rid: number }
  /** Close every connection, then answer `closed`. */
  | { t: 'shutdown' };

/** Worker → main thread. */
export type FromWorker =
  | { t: 'connected'; sid: number }
  | { t: 'connect-failed'; sid: number; error: WireError }
  | { t: 'exec-ok'; cid: number }
  | { t: 'exec-failed'; cid: number; error: WireError }
  /** Output of a command: `stream` 1 is stdout, 2 stderr. */
  | { t: 'out'; cid: number; stream: 1 | 2; data: Uint8Array }
  | { t: 'exit'; cid: number; code: number | null; signal: string | null }
  /** The command's channel was lost (its `exited` rejects). */
  | { t: 'lost'; cid: number; error: WireError }
  /** Check a presented host key against the store (TOFU). */
  | { t: 'hostkey'; rid: number; host: string; presented: KnownHostKey }
  | { t: 'counts'; rid: number; open: number; idle: number }
  | { t: 'closed' };
