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
