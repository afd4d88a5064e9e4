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
  const output = rows.map((r) =>
    r.event_type === 'exit'
      ? { output_type: 'stdout', output: `Exit status: ${r.data}`, timestamp: Number(r.timestamp) }
      : { output_type: r.event_type, output: r.data, timestamp: Number(r.timestamp) },
  );
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
