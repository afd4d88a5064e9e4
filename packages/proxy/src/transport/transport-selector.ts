/**
 * @module
 * Picks the transport of each task: the one the task names (`transport` in the launch task, from
 * the host's `remote_execution_transport`), else the proxy's `ssh_transport`.
 */
import type { TransportName } from '@remex/common';

import type { Transport, TransportSession, TransportTarget } from './transport.ts';

/** A {@link Transport} that delegates each connection to one of several by name. */
export class TransportSelector implements Transport {
  readonly name: string;
  readonly #byName: ReadonlyMap<TransportName, Transport>;
  readonly #fallback: TransportName;

  /**
   * @param transports - the transports by name (created lazily by the caller or up front)
   * @param fallback - used when a task names none
   */
  constructor(transports: ReadonlyMap<TransportName, Transport>, fallback: TransportName) {
    this.#byName = transports;
    this.#fallback = fallback;
    this.name = fallback;
  }

  connect(target: TransportTarget, signal?: AbortSignal): Promise<TransportSession> {
    const transport = this.#byName.get(target.transport ?? this.#fallback);
    if (!transport) return Promise.reject(new Error(`Transport '${target.transport ?? this.#fallback}' is not available on this proxy`));
    return transport.connect(target, signal);
  }

  /** The transport named `name`, if this proxy has it. */
  get(name: TransportName): Transport | undefined {
    return this.#byName.get(name);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#byName.values()].map((t) => t.close()));
  }
}
