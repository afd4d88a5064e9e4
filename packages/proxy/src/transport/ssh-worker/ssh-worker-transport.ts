/**
 * @module
 * The ssh2 transport spread over worker threads (ADR 0025): each thread runs its own
 * {@link SshTransport} with its own warm connections, so key exchanges, authentication and
 * channel I/O of many hosts use every core and never hold up the main thread, where the task
 * runner, the outbox and delivery to the server run.
 *
 * A host always goes to the same thread (a hash of its name, address, port and SSH user), so
 * its warm connections are found again. The proxy-wide limits are divided between the threads,
 * so their sum never exceeds them: `ssh_max_handshakes` and `ssh_max_open_connections` (there
 * are never more threads than either limit).
 */
import { createHash } from 'node:crypto';

import type { HostKeyStore } from '../host-key-store.ts';
import type { Transport, TransportSession, TransportTarget } from '../transport.ts';
import type { SshWorkerInit } from './ssh-worker-protocol.ts';
import { SshWorkerLink } from './ssh-worker-link.ts';

/** Options of {@link SshWorkerTransport}. */
export interface SshWorkerTransportOptions extends SshWorkerInit {
  /** The proxy's host key store (the threads ask the main thread to check keys). */
  hostKeys: HostKeyStore;
  /** Worker threads (at least 1). */
  threads: number;
  /** Told when a worker thread fails; its running tasks fail as "connection lost" and a new thread takes its hosts. */
  onWorkerError?: ((error: Error) => void) | undefined;
}

/** The ssh2 transport in worker threads. */
export class SshWorkerTransport implements Transport {
  readonly name = 'ssh';
  readonly #options: SshWorkerTransportOptions;
  readonly #init: SshWorkerInit;
  readonly #links: (SshWorkerLink | undefined)[];
  #closed = false;

  constructor(options: SshWorkerTransportOptions) {
    this.#options = options;
    const { hostKeys: _hostKeys, threads: _threads, onWorkerError: _onError, ...init } = options;
    const handshakes = options.maxConcurrentHandshakes;
    const open = options.maxOpenConnections ?? 1000;
    const threads = Math.max(1, Math.min(Math.floor(options.threads), open, handshakes ?? Infinity));
    this.#init = {
      ...init,
      maxConcurrentHandshakes: handshakes === undefined ? undefined : Math.floor(handshakes / threads),
      maxOpenConnections: Math.floor(open / threads),
    };
    this.#links = Array.from({ length: threads }, () => undefined);
  }

  /** Number of worker threads. */
  get threads(): number {
    return this.#links.length;
  }

  connect(target: TransportTarget, signal?: AbortSignal): Promise<TransportSession> {
    if (this.#closed) return Promise.reject(new Error('The SSH transport was closed'));
    return this.#link(threadOf(target, this.#links.length)).connect(target, signal);
  }

  /** Open connections over every thread: total, idle (diagnostics and tests). */
  async connectionCounts(): Promise<{ open: number; idle: number }> {
    const counts = await Promise.all(this.#links.map((l) => l?.connectionCounts() ?? Promise.resolve({ open: 0, idle: 0 })));
    return counts.reduce((a, b) => ({ open: a.open + b.open, idle: a.idle + b.idle }), { open: 0, idle: 0 });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#links.map((l) => l?.close() ?? Promise.resolve()));
  }

  /**
   * Stops thread `index` at once, as a crash would: its running commands fail and its hosts go
   * to a new thread. For tests.
   * @internal
   */
  async terminateThread(index: number): Promise<void> {
    await this.#links[index]?.terminate();
  }

  /** The running thread at `index`, started (again) when needed. */
  #link(index: number): SshWorkerLink {
    let link = this.#links[index];
    if (!link?.alive) {
      link = new SshWorkerLink(this.#init, this.#options.hostKeys, `remex-ssh-${index}`, (e) => this.#options.onWorkerError?.(e));
      this.#links[index] = link;
    }
    return link;
  }
}

/** The thread a host's connections live in. */
function threadOf(target: TransportTarget, threads: number): number {
  if (threads === 1) return 0;
  const digest = createHash('sha1').update(`${target.hostName}\0${target.address}\0${target.port}\0${target.user}`).digest();
  return digest.readUInt32BE(0) % threads;
}
