/**
 * @module
 * Per-host output in Foreman's shape: `{complete, refresh, output: [{output_type, output, timestamp}]}`
 * ending with a synthetic `Exit status: N` line.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';

/** One line set. */
export interface LineSet {
  output_type: string;
  output: string;
  timestamp: number;
}

/**
 * One stored event row as a line set: output rows as they are, an `exit` row as the synthetic
 * `Exit status: N` stdout line. (`started` rows are not output; callers leave them out.)
 */
export function lineSetOf(row: { event_type: string; data: string; timestamp: number | string }): LineSet {
  return row.event_type === 'exit'
    ? { output_type: 'stdout', output: `Exit status: ${row.data}`, timestamp: Number(row.timestamp) }
    : { output_type: row.event_type, output: row.data, timestamp: Number(row.timestamp) };
}

/** Output of one task, optionally only after `since` (float epoch seconds). */
export async function taskOutput(
  db: Kysely<Database>,
  task: { id: number; state: string },
  since: number | null,
): Promise<{ complete: boolean; refresh: boolean; output: LineSet[] }> {
  let q = db
    .selectFrom('template_invocation_events')
    .select(['event_type', 'data', 'timestamp'])
    .where('task_id', '=', task.id)
    .where('event_type', '!=', 'started');
  if (since !== null) q = q.where('timestamp', '>', since);
  const rows = await q.orderBy('id').execute();
  const output = rows.map(lineSetOf);
  const complete = task.state === 'stopped';
  return { complete, refresh: !complete, output };
}

/** Raw stdout+stderr text of one task. */
export async function taskRawOutput(db: Kysely<Database>, taskId: number): Promise<string> {
  const rows = await db
    .selectFrom('template_invocation_events')
    .select('data')
    .where('task_id', '=', taskId)
    .where('event_type', 'in', ['stdout', 'stderr'])
    .orderBy('id')
    .execute();
  return rows.map((r) => r.data).join('');
}

/** One host's entry of `/outputs`. */
export interface HostOutputs {
  host_id: number;
  complete: boolean;
  refresh: boolean;
  output: LineSet[] | string;
}

/**
 * Outputs of many tasks at once (`/api/job_invocations/:id/outputs`): line sets after `since`
 * (or, `raw`, the stdout+stderr text), with one query per 1,000 tasks instead of one per host.
 */
export async function tasksOutput(
  db: Kysely<Database>,
  tasks: ReadonlyArray<{ id: number; host_id: number; state: string }>,
  options: { since: number | null; raw: boolean },
): Promise<HostOutputs[]> {
  const byTask = new Map<number, Array<{ event_type: string; data: string; timestamp: number | string }>>();
  for (let i = 0; i < tasks.length; i += 1000) {
    let q = db
      .selectFrom('template_invocation_events')
      .select(['task_id', 'event_type', 'data', 'timestamp'])
      .where('task_id', 'in', tasks.slice(i, i + 1000).map((t) => t.id))
      .where('event_type', options.raw ? 'in' : 'not in', options.raw ? ['stdout', 'stderr'] : ['started']);
    if (options.since !== null) q = q.where('timestamp', '>', options.since);
    for (const row of await q.orderBy('id').execute()) {
      const list = byTask.get(row.task_id) ?? [];
      list.push(row);
      byTask.set(row.task_id, list);
    }
  }
  return tasks.map((t) => {
    const rows = byTask.get(t.id) ?? [];
    const complete = t.state === 'stopped';
    return { host_id: t.host_id, complete, refresh: !complete, output: options.raw ? rows.map((r) => r.data).join('') : rows.map(lineSetOf) };
  });
}
