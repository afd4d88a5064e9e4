/**
 * @module
 * Runs accepted tasks: at most `maxConcurrent` in flight, the rest wait in FIFO order. Owns
 * the task lifecycle (queued → running → done), the execution timeout, cancel, the final
 * `exit` event, and recovery after a restart (a task whose provider saved a state, async SSH,
 * is resumed; other running tasks end as lost).
 */
import { coerceError, EXIT_EXCEPTION, type LaunchTask } from '@remex/common';

import type { ProxyLogger } from '../logger.ts';
import type { EventOutbox } from '../outbox/event-outbox.ts';
import type { ProviderContext, ProviderEventType, StopReason, TaskOutcome } from '../providers/provider.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import type { Transport } from '../transport/transport.ts';
import type { TaskStore } from './task-store.ts';

/** Debug line of a task that was running when the proxy died. */
export const RESTART_MESSAGE = 'The proxy restarted while this task was running; its SSH session was lost';
/** Debug line of a queued task whose secrets were lost with a restart. */
export const LOST_SECRETS_MESSAGE =
  'The proxy restarted before this task started; its secrets (SSH or sudo passwords) were kept in memory only and are lost, so it cannot run. Launch it again.';
/** Debug line when the execution timeout expires (Foreman's wording). */
export const TIMEOUT_MESSAGE = 'Timeout for execution passed, trying to stop the job';
/**
 * A note of the proxy as it goes into the host's output: one whole line, so that the output
 * around it (and a terminal showing it) is not glued to it.
 */
function asLine(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Debug line when a running task is cancelled. */
export const CANCEL_MESSAGE = 'The task was cancelled, trying to stop the job';

/** How long finished tasks are remembered (for idempotent launches): 30 days. */
const FINISHED_TASK_RETENTION_SECONDS = 30 * 24 * 3600;

/** Options of {@link TaskRunner}. */
export interface TaskRunnerOptions {
  store: TaskStore;
  outbox: EventOutbox;
  providers: ProviderRegistry;
  transport: Transport;
  maxConcurrent: number;
  logger: ProxyLogger;
}

interface RunningTask {
  controller: AbortController;
  timer: NodeJS.Timeout | undefined;
  done: Promise<void>;
}

/** Queue and lifecycle of tasks. */
export class TaskRunner {
  readonly #o: TaskRunnerOptions;
  /** Queued tasks, in arrival order (a Map keeps insertion order). */
  readonly #queued = new Map<number, LaunchTask>();
  readonly #running = new Map<number, RunningTask>();
  #stopping = false;
  #pumpScheduled = false;

  constructor(options: TaskRunnerOptions) {
    this.#o = options;
  }

  /**
   * Accepts tasks (idempotent by `task_id`: known ids are acknowledged and not run again).
   * @returns the ids of all tasks in the request
   */
  launch(tasks: readonly LaunchTask[]): number[] {
    const fresh = this.#o.store.accept(tasks);
    for (const task of fresh) this.#queued.set(task.task_id, task);
    this.#pump();
    return tasks.map((t) => t.task_id);
  }

  /**
   * Cancels a queued task (it ends at once) or a running one (its remote process gets SIGTERM).
   * @returns false when the task is unknown or already finished
   */
  cancel(taskId: number): boolean {
    if (this.#queued.delete(taskId)) {
      this.#finishEvents(taskId, { kind: 'exception', message: 'The task was cancelled before it started' });
      return true;
    }
    const running = this.#running.get(taskId);
    if (!running) return false;
    this.#stop(taskId, running, 'cancel');
    return true;
  }

  /** Tasks in flight and waiting. */
  counts(): { running: number; queued: number } {
    return { running: this.#running.size, queued: this.#queued.size };
  }

  /**
   * Settles what a previous process left behind: `running` tasks with a provider state (async
   * SSH) are resumed, other `running` ones end with {@link RESTART_MESSAGE} and `EXCEPTION`;
   * `queued` tasks run again unless they needed secrets.
   */
  recover(): { failed: number; requeued: number; resumed: number } {
    this.#o.store.pruneFinished(FINISHED_TASK_RETENTION_SECONDS);
    let failed = 0;
    let requeued = 0;
    let resumed = 0;
    for (const t of this.#o.store.unfinished()) {
      if (t.state === 'running' && t.providerState !== undefined && t.task) {
        this.#start(t.task, { state: t.providerState, startedAt: t.startedAt });
        resumed++;
      } else if (t.state === 'running') {
        this.#finishEvents(t.taskId, { kind: 'exception', message: RESTART_MESSAGE });
        failed++;
      } else if (t.needsSecrets || !t.task) {
        this.#finishEvents(t.taskId, { kind: 'exception', message: LOST_SECRETS_MESSAGE });
        failed++;
      } else {
        this.#queued.set(t.taskId, t.task);
        requeued++;
      }
    }
    this.#pump();
    return { failed, requeued, resumed };
  }

  /**
   * Stops: queued tasks stay queued in the database (they run after the next start); running
   * tasks lose their SSH session and end with `EXCEPTION`, except detached (async SSH) ones,
   * which go on on their hosts and are resumed after the next start.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#queued.clear();
    const running = [...this.#running];
    for (const [id, task] of running) this.#stop(id, task, 'shutdown');
    await Promise.all(running.map(([, task]) => task.done));
  }

  /**
   * Pumps at the end of this event-loop turn: the tasks that ended in one turn free their slots
   * together, so their successors are marked running in one transaction instead of one each.
   */
  #pumpSoon(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#stopping) return;
    const free = this.#o.maxConcurrent - this.#running.size;
    if (free <= 0 || this.#queued.size === 0) return;
    const batch: LaunchTask[] = [];
    for (const task of this.#queued.values()) {
      batch.push(task);
      if (batch.length >= free) break;
    }
    this.#o.store.markRunning(batch.map((t) => t.task_id));
    for (const task of batch) {
      this.#queued.delete(task.task_id);
      this.#start(task);
    }
  }

  /**
   * Runs `task` through its provider; `resume` when it continues a run of a previous process
   * (the execution timeout then counts from the original start).
   */
  #start(task: LaunchTask, resume?: { state: string; startedAt: number | undefined }): void {
    const id = task.task_id;
    const controller = new AbortController();
    const entry: RunningTask = { controller, timer: undefined, done: Promise.resolve() };
    this.#running.set(id, entry);
    if (task.execution_timeout_interval !== undefined) {
      const elapsedMs = resume?.startedAt !== undefined ? Math.max(0, Date.now() - resume.startedAt * 1000) : 0;
      entry.timer = setTimeout(() => this.#stop(id, entry, 'timeout'), Math.max(0, task.execution_timeout_interval * 1000 - elapsedMs));
    }
    const append = (type: ProviderEventType, data: string): void => this.#o.outbox.append(id, type, type === 'debug' ? asLine(data) : data);
    const context: ProviderContext = {
      transport: this.#o.transport,
      emit: append,
      signal: controller.signal,
      logger: this.#o.logger,
      resumeState: resume?.state,
      checkpoint: (state, events) =>
        this.#o.store.checkpoint(id, state, () => {
          for (const e of events) append(e.type, e.data);
          this.#o.outbox.flush();
        }),
    };
    const provider = this.#o.providers.get(task.provider);
    const run: Promise<TaskOutcome> = provider
      ? provider.run(task, context)
      : Promise.resolve({ kind: 'exception', message: `This proxy has no provider '${task.provider}'` });
    entry.done = run
      .catch((e: unknown): TaskOutcome => {
        this.#o.logger.error({ err: coerceError(e), task_id: id }, 'provider failed');
        return { kind: 'exception', message: `Internal proxy error: ${coerceError(e).message}` };
      })
      .then((outcome) => {
        clearTimeout(entry.timer);
        this.#running.delete(id);
        if (outcome.kind === 'detached') {
          this.#o.logger.debug({ task_id: id }, 'task left running on its host; resumed at the next start');
          return;
        }
        this.#finishEvents(id, outcome);
        this.#o.logger.debug({ task_id: id, outcome: outcome.kind === 'exit' ? outcome.code : EXIT_EXCEPTION }, 'task finished');
        this.#pumpSoon();
      });
  }

  #stop(taskId: number, task: RunningTask, reason: StopReason): void {
    if (task.controller.signal.aborted) return;
    clearTimeout(task.timer);
    if (reason === 'timeout') this.#o.outbox.append(taskId, 'debug', asLine(TIMEOUT_MESSAGE));
    if (reason === 'cancel') this.#o.outbox.append(taskId, 'debug', asLine(CANCEL_MESSAGE));
    task.controller.abort(reason);
  }

  /** Emits the final events: a debug line for exceptions, then `exit`. */
  #finishEvents(taskId: number, outcome: Exclude<TaskOutcome, { kind: 'detached' }>): void {
    if (outcome.kind === 'exit') {
      this.#o.outbox.append(taskId, 'exit', String(outcome.code));
    } else {
      this.#o.outbox.append(taskId, 'debug', asLine(outcome.message));
      this.#o.outbox.append(taskId, 'exit', EXIT_EXCEPTION);
    }
  }
}
