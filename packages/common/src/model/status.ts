/**
 * @module
 * Foreman-compatible statuses of jobs, tasks and hosts.
 */

/** Job invocation status labels (Foreman's `status_label`). */
export type JobStatusLabel = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Numeric job status codes, as Foreman's `status` field. */
export const JOB_STATUS_CODE: Record<JobStatusLabel, number> = {
  succeeded: 0,
  failed: 1,
  queued: 2,
  running: 3,
  cancelled: 4,
};

/**
 * Lifecycle of a task (template invocation) as stored:
 * `awaiting` (not yet sent) → `planned` (sent to a proxy) → `running` → `stopped`.
 * A server dispatching a task holds a lease on it (`claimed_by`) while it is `awaiting` or
 * `planned` until the proxy accepts it (ADR 0009).
 */
export type TaskState = 'awaiting' | 'planned' | 'running' | 'stopped';

/** Result of a stopped task; `pending` while it has not stopped. */
export type TaskResult = 'pending' | 'success' | 'error' | 'cancelled';

/** Per-host status shown as `job_status` (Foreman's `template_invocation_status`). */
export type HostJobStatus = 'N/A' | 'planned' | 'running' | 'success' | 'error' | 'cancelled' | 'pending';

/**
 * Derives the per-host `job_status` shown by the API from a task's state and result.
 * @param state - stored task state
 * @param result - stored task result
 */
export function hostJobStatus(state: TaskState, result: TaskResult): HostJobStatus {
  switch (state) {
    case 'awaiting':
      return result === 'cancelled' ? 'cancelled' : 'N/A';
    case 'planned':
      return 'planned';
    case 'running':
      return 'running';
    case 'stopped':
      return result;
  }
}

/** Host `execution_status`: 0 = ok, 1 = error (from the last finished task). */
export const EXECUTION_STATUS = { ok: 0, error: 1 } as const;
