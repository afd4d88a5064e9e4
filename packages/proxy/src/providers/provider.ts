/**
 * @module
 * The provider seam: a provider turns one {@link LaunchTask} into remote work and output
 * events. `script/` is the only provider today; another one (e.g. an Ansible runner) is a new
 * folder implementing {@link Provider}, registered in `provider-registry.ts`.
 */
import type { LaunchTask } from '@remex/common';

import type { ProxyLogger } from '../logger.ts';
import type { Transport } from '../transport/transport.ts';

/** Why a running task is being stopped (the `reason` of {@link ProviderContext.signal}). */
export type StopReason = 'timeout' | 'cancel' | 'shutdown';

/** Output event types a provider emits; the runner emits the final `exit` itself. */
export type ProviderEventType = 'stdout' | 'stderr' | 'debug' | 'started';

/** What a provider gets besides the task. */
export interface ProviderContext {
  /** How hosts are reached. */
  transport: Transport;
  /** Appends an output event to the task (numbered and persisted by the outbox). */
  emit(type: ProviderEventType, data: string): void;
  /**
   * Aborted when the task must stop; `signal.reason` is a {@link StopReason}. On `timeout` and
   * `cancel` the provider kills the remote process and still reports how it ended; on
   * `shutdown` it drops the session and returns at once.
   */
  signal: AbortSignal;
  logger: ProxyLogger;
  /**
   * The state the provider saved with {@link checkpoint} in a previous process, when the task is
   * being resumed after a restart; undefined for a fresh start.
   */
  resumeState: string | undefined;
  /**
   * Appends `events` and saves `state` (the provider's own text, e.g. offsets read so far) in one
   * transaction, so that after a crash the state never counts events that were not persisted, nor
   * the other way round. A task with a state is resumed after a restart instead of failed.
   */
  checkpoint(state: string, events: readonly { type: ProviderEventType; data: string }[]): void;
}

/** How a task ended. */
export type TaskOutcome =
  /** The remote process ended with this exit code. */
  | { kind: 'exit'; code: number }
  /** No exit code: connection, authentication or host key failure, lost session, … */
  | { kind: 'exception'; message: string }
  /**
   * The task goes on without the proxy (async SSH, stopped with the proxy): it stays `running`
   * with its saved state and is resumed at the next start.
   */
  | { kind: 'detached' };

/** Runs tasks of one provider type. */
export interface Provider {
  /** Provider type as in the task's `provider` field, e.g. `script`. */
  readonly name: string;
  /** Other `provider` values served by this provider (e.g. Foreman's older `SSH`). */
  readonly aliases?: readonly string[];
  /** Runs `task`; never rejects for task failures (those are outcomes). */
  run(task: LaunchTask, context: ProviderContext): Promise<TaskOutcome>;
}
