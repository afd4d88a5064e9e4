/**
 * @module
 * The timeline of host tasks: each stage records its transitions (claimed by server X, sent to
 * proxy Y, accepted, started, first output, exit, cancel asked, requeued, errors with their
 * cause) with a timestamp, a few rows per task in `task_transitions` (migration 0028). Recording
 * is best effort for the stages' sake: a failed insert is logged by the caller, never fails a
 * task. `GET /api/job_invocations/:id/hosts/:host_id` shows it.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { chunks, nowIso } from '../db/time.ts';

/** Kinds of transitions, in the order they usually happen. */
export type TransitionKind = 'claimed' | 'sent' | 'accepted' | 'started' | 'first_output' | 'exit' | 'cancel_requested' | 'requeued' | 'error';

/** One transition to record. */
export interface Transition {
  taskId: number;
  jobId: number;
  kind: TransitionKind;
  detail?: string | null;
}

/** Most characters of a transition's detail (an error message can be long). */
const MAX_DETAIL = 1024;

/** Records `transitions`, all at this moment. */
export async function recordTransitions(db: Kysely<Database>, transitions: readonly Transition[]): Promise<void> {
  if (transitions.length === 0) return;
  const at = nowIso();
  for (const part of chunks(transitions, 1000)) {
    await db
      .insertInto('task_transitions')
      .values(part.map((t) => ({ task_id: t.taskId, job_invocation_id: t.jobId, kind: t.kind, detail: t.detail == null ? null : t.detail.slice(0, MAX_DETAIL), at })))
      .execute();
  }
}

/** The same transition for many tasks of one job. */
export function transitionsOf(jobId: number, taskIds: readonly number[], kind: TransitionKind, detail: string | null = null): Transition[] {
  return taskIds.map((taskId) => ({ taskId, jobId, kind, detail }));
}

/** A task's timeline, oldest first (at most 200 entries). */
export async function taskTimeline(db: Kysely<Database>, taskId: number): Promise<Array<{ at: string; kind: string; detail: string | null }>> {
  return db.selectFrom('task_transitions').select(['at', 'kind', 'detail']).where('task_id', '=', taskId).orderBy('id').limit(200).execute();
}
