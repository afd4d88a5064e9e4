/**
 * @module
 * Warm SSH connections (ADR 0014). After a task, its connection stays open for
 * `idleTimeoutMs` so that later tasks with the same identity (host, address, port, SSH user, a
 * keyed hash of the auth secrets) run over it without a new handshake. At most `maxOpen`
 * connections are kept: when the cap is reached, the least recently used idle connection is
 * closed first. Connections in use are never closed for the cap (their number is bounded by the
 * proxy's `max_concurrent_sessions`).
 */
import { createHmac, randomBytes } from 'node:crypto';

import type { TransportTarget } from '../transport.ts';
import type { SshConnection } from './ssh-connection.ts';

/** Options of {@link SshConnectionPool}. */
export interface SshConnectionPoolOptions {
  /** How long an unused connection stays open, ms; `0` turns the pool off (one connection per task). */
  idleTimeoutMs: number;
  /** Most open connections kept (idle ones beyond it are closed, least recently used first). */
  maxOpen: number;
}

/** Keeps and hands out open connections. */
export class SshConnectionPool {
  readonly #o: SshConnectionPoolOptions;
  /** Every open connection, by identity. */
  readonly #byIdentity = new Map<string, Set<SshConnection>>();
  /** Idle connections and their timers, least recently used first (a Map keeps insertion order). */
  readonly #idle = new Map<SshConnection, NodeJS.Timeout>();
  #open = 0;
  /** Key of the identity hashes: random per process, so a hash says nothing outside it. */
  readonly #hashKey = randomBytes(32);

  constructor(options: SshConnectionPoolOptions) {
    this.#o = options;
  }

  /** Whether connections are kept between tasks. */
  get enabled(): boolean {
    return this.#o.idleTimeoutMs > 0;
  }

  /** Open connections: total, idle (for tests and diagnostics). */
  counts(): { open: number; idle: number } {
    return { open: this.#open, idle: this.#idle.size };
  }

  /**
   * The identity of a connection to `target`: only a task with the same identity may use it.
   * Secrets enter only as an HMAC under a per-process random key; they are not kept.
   */
  identity(target: TransportTarget): string {
    const secrets = createHmac('sha256', this.#hashKey)
      .update(JSON.stringify([target.password ?? null, target.keyPassphrase ?? null]))
      .digest('base64');
    return JSON.stringify([target.hostName, target.address, target.port, target.user, secrets]);
  }

  /**
   * A connection with this identity that can take one more task, the least busy one (tasks
   * spread over the warm connections: each has its own sshd process), whose host key is still
   * the trusted one; leased (its `leases` is raised) when found.
   * @param trustedKey - the base64 host key trusted for the host now (`undefined`: none, no reuse)
   */
  lease(identity: string, trustedKey: string | undefined): SshConnection | undefined {
    if (!this.enabled || trustedKey === undefined) return undefined;
    const set = this.#byIdentity.get(identity);
    if (!set) return undefined;
    let best: SshConnection | undefined;
    for (const c of set) {
      if (!c.available || c.hostKey !== trustedKey) continue;
      if (!best || c.leases < best.leases) best = c;
      if (best.leases === 0) break;
    }
    if (best) {
      this.#unidle(best);
      best.leases++;
    }
    return best;
  }

  /** Registers a newly opened connection, already leased once; closes idle ones beyond the cap. */
  add(connection: SshConnection): void {
    connection.leases++;
    let set = this.#byIdentity.get(connection.identity);
    if (!set) this.#byIdentity.set(connection.identity, (set = new Set()));
    set.add(connection);
    this.#open++;
    this.#enforceCap();
  }

  /** A task is done with `connection`: it goes idle, or is closed when it may not be reused. */
  release(connection: SshConnection): void {
    connection.leases = Math.max(0, connection.leases - 1);
    if (connection.leases > 0) return;
    if (!this.enabled || connection.retired || connection.closed) {
      this.#end(connection);
      return;
    }
    const timer = setTimeout(() => this.#end(connection), this.#o.idleTimeoutMs);
    timer.unref();
    this.#idle.set(connection, timer);
    this.#enforceCap();
  }

  /** Forgets a connection whose socket closed. */
  closed(connection: SshConnection): void {
    const set = this.#byIdentity.get(connection.identity);
    if (!set?.delete(connection)) return;
    if (set.size === 0) this.#byIdentity.delete(connection.identity);
    this.#open--;
    this.#unidle(connection);
  }

  /** Closes every connection (idle or not) and stops every timer. */
  closeAll(): void {
    for (const timer of this.#idle.values()) clearTimeout(timer);
    this.#idle.clear();
    const all = [...this.#byIdentity.values()].flatMap((set) => [...set]);
    this.#byIdentity.clear();
    this.#open = 0;
    for (const c of all) c.destroy();
  }

  /** Ends a connection and forgets it at once (its socket closes a little later). */
  #end(connection: SshConnection): void {
    this.closed(connection);
    connection.end();
  }

  #unidle(connection: SshConnection): void {
    const timer = this.#idle.get(connection);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#idle.delete(connection);
  }

  /** Closes idle connections, least recently used first, while more than `maxOpen` are open. */
  #enforceCap(): void {
    let excess = this.#open - this.#o.maxOpen;
    for (const connection of [...this.#idle.keys()]) {
      if (excess <= 0) break;
      this.#end(connection);
      excess--;
    }
  }
}
