/**
 * @module
 * In-process fan-out of job events to live watchers (SSE). Each server process fans out what
 * it stores; watchers resume from the database with `Last-Event-ID`. With several servers on one
 * PostgreSQL database a relay (`pg-event-relay.ts`) also forwards what this process publishes to
 * the others, and hands what they publish to {@link JobEventBus.deliver}.
 */

/** One output line set for a host of a job. */
export interface OutputMessage {
  kind: 'output';
  jobId: number;
  /** Event row id (monotonic; used as SSE id). */
  eventId: number;
  hostId: number;
  hostName: string;
  outputType: string;
  output: string;
  timestamp: number;
}

/** A host's status changed. */
export interface HostStatusMessage {
  kind: 'host';
  jobId: number;
  hostId: number;
  hostName: string;
  jobStatus: string;
  exitStatus: string | null;
}

/** The job's counts or status changed. */
export interface ProgressMessage {
  kind: 'progress';
  jobId: number;
  /** The job has just stopped: watchers should report it now, not on their throttle. */
  stopped?: boolean;
}

/** Any message on the bus. */
export type JobMessage = OutputMessage | HostStatusMessage | ProgressMessage;

/** Listener callback. */
export type JobListener = (messages: readonly JobMessage[]) => void;

/** Forwards the messages this process publishes to the other servers. */
export type BusRelay = (messages: readonly JobMessage[]) => void;

/** Publishes batches of messages to the listeners of each job. */
export class JobEventBus {
  readonly #listeners = new Map<number, Set<JobListener>>();
  #relay: BusRelay | null = null;

  /**
   * Forwards every later {@link publish} to `relay` as well (other servers may watch any job).
   * @returns the detach function
   */
  attachRelay(relay: BusRelay): () => void {
    this.#relay = relay;
    return () => {
      if (this.#relay === relay) this.#relay = null;
    };
  }

  /** Subscribes to one job; returns the unsubscribe function. */
  subscribe(jobId: number, listener: JobListener): () => void {
    let set = this.#listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.#listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(jobId);
    };
  }

  /** How many subscriptions are open, over all jobs (for tests and status). */
  subscriptions(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  /**
   * True when someone may watch `jobId` (lets producers skip work): a listener here, or, with a
   * relay attached, any server.
   */
  watched(jobId: number): boolean {
    return this.#relay !== null || this.#listeners.has(jobId);
  }

  /** True when a listener of this process watches `jobId`. */
  listening(jobId: number): boolean {
    return this.#listeners.has(jobId);
  }

  /** Delivers messages to the listeners here and, through the relay, to the other servers. */
  publish(messages: readonly JobMessage[]): void {
    if (messages.length === 0) return;
    this.#relay?.(messages);
    this.deliver(messages);
  }

  /** Delivers messages, grouped by job, to the listeners of this process only. */
  deliver(messages: readonly JobMessage[]): void {
    const byJob = new Map<number, JobMessage[]>();
    for (const m of messages) {
      if (!this.#listeners.has(m.jobId)) continue;
      const list = byJob.get(m.jobId) ?? [];
      list.push(m);
      byJob.set(m.jobId, list);
    }
    for (const [jobId, list] of byJob) {
      for (const l of this.#listeners.get(jobId) ?? []) l(list);
    }
  }
}
