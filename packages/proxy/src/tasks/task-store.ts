/**
 * @module
 * Accepted tasks in the proxy database (`tasks`), without their secrets. A task is `queued`
 * when accepted, `running` from the moment its provider starts (before any connection), and
 * `done` once its `exit` event is persisted (the outbox sets that, in the same transaction).
 * The script is dropped from the row when the task is done; the row stays so that launching
 * the same task id again is a no-op.
 */
import type { LaunchTask } from '@remex/common';

import type { ProxyDatabase } from '../db/proxy-database.ts';

/** State of an accepted task. */
export type TaskState = 'queued' | 'running' | 'done';

/** A task that was not done when the proxy stopped. */
export interface UnfinishedTask {
  taskId: number;
  state: 'queued' | 'running';
  /** True when the task carried secrets (kept in memory only, so lost across a restart). */
  needsSecrets: boolean;
  /** The task without secrets, or undefined if the stored payload is unreadable. */
  task: LaunchTask | undefined;
  /** What its provider stored to resume it (see {@link TaskStore.checkpoint}); undefined when nothing. */
  providerState: string | undefined;
  /** When it started running (epoch seconds), if it did. */
  startedAt: number | undefined;
}

/** True when any secret of the task is set. */
export function hasSecrets(task: LaunchTask): boolean {
  const s = task.secrets;
  return s !== undefined && Object.values(s).some((v) => v !== undefined && v !== '');
}

/** Prepared statements over `tasks`. */
export class TaskStore {
  readonly #accept;
  readonly #markRunning;
  readonly #unfinished;
  readonly #prune;
  readonly #db: ProxyDatabase;
  readonly #saveState;

  constructor(db: ProxyDatabase) {
    this.#db = db;
    this.#saveState = db.prepare<[string, number]>("UPDATE tasks SET provider_state = ? WHERE task_id = ? AND state = 'running'");
    const insert = db.prepare<[number, number, string, number]>(
      "INSERT OR IGNORE INTO tasks (task_id, state, needs_secrets, payload, accepted_at) VALUES (?, 'queued', ?, ?, ?)",
    );
    this.#accept = db.transaction((tasks: readonly LaunchTask[]): LaunchTask[] => {
      const now = Date.now() / 1000;
      const fresh: LaunchTask[] = [];
      for (const task of tasks) {
        const { secrets: _secrets, ...payload } = task;
        if (insert.run(task.task_id, hasSecrets(task) ? 1 : 0, JSON.stringify(payload), now).changes > 0) fresh.push(task);
      }
      return fresh;
    });
    const running = db.prepare<[number, number]>("UPDATE tasks SET state = 'running', started_at = ? WHERE task_id = ? AND state = 'queued'");
    this.#markRunning = db.transaction((ids: readonly number[]) => {
      const now = Date.now() / 1000;
      for (const id of ids) running.run(now, id);
    });
    this.#prune = db.prepare<[number]>("DELETE FROM tasks WHERE state = 'done' AND finished_at < ?");
    this.#unfinished = db.prepare<
      [],
      { task_id: number; state: 'queued' | 'running'; needs_secrets: number; payload: string | null; provider_state: string | null; started_at: number | null }
    >("SELECT task_id, state, needs_secrets, payload, provider_state, started_at FROM tasks WHERE state <> 'done' ORDER BY accepted_at, rowid");
  }

  /**
   * Stores new tasks as `queued` in one transaction and returns those that were not known yet
   * (in request order). Known ids, whatever their state, are left alone.
   */
  accept(tasks: readonly LaunchTask[]): LaunchTask[] {
    return this.#accept(tasks);
  }

  /** Marks tasks `running` (one transaction). */
  markRunning(ids: readonly number[]): void {
    if (ids.length > 0) this.#markRunning(ids);
  }

  /**
   * Saves a running task's provider state in one transaction with `write` (which persists the
   * events the state accounts for): after a crash both are there or neither.
   */
  checkpoint(taskId: number, state: string, write: () => void): void {
    this.#db.transaction(() => {
      write();
      this.#saveState.run(state, taskId);
    })();
  }

  /**
   * Forgets finished tasks older than `maxAgeSeconds` (their ids could then be launched again).
   * @returns how many rows were removed
   */
  pruneFinished(maxAgeSeconds: number): number {
    return this.#prune.run(Date.now() / 1000 - maxAgeSeconds).changes;
  }

  /** Tasks left `queued` or `running`, oldest first. */
  unfinished(): UnfinishedTask[] {
    return this.#unfinished.all().map((row) => ({
      taskId: row.task_id,
      state: row.state,
      needsSecrets: row.needs_secrets === 1,
      task: parsePayload(row.payload),
      providerState: row.provider_state ?? undefined,
      startedAt: row.started_at ?? undefined,
    }));
  }
}

function parsePayload(payload: string | null): LaunchTask | undefined {
  if (payload === null) return undefined;
  try {
    return JSON.parse(payload) as LaunchTask;
  } catch {
    return undefined;
  }
}
