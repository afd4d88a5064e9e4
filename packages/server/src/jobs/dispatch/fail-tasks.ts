/**
 * @module
 * Failing tasks before they reach a proxy: a debug line (seq 0) with the reason and an error
 * result; their claim ends with them.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema.ts';
import { chunks } from '../../db/time.ts';
import type { JobEventBus } from '../../events/event-bus.ts';
import { recordTransitions } from '../task-timeline.ts';
import { stopTasks } from '../finish/job-finisher.ts';

/** A task to fail and the message shown for it. */
export interface TaskFailure {
  id: number;
  message: string;
}

/** Fails `failures` of job `jobId` and announces the progress. */
export async function failTasks(db: Kysely<Database>, bus: JobEventBus, jobId: number, failures: readonly TaskFailure[]): Promise<void> {
  if (failures.length === 0) return;
  const now = Date.now() / 1000;
  await db.transaction().execute(async (trx) => {
    for (const part of chunks(failures, 500)) {
      await trx
        .insertInto('template_invocation_events')
        .values(part.map((f) => ({ job_invocation_id: jobId, task_id: f.id, seq: 0, event_type: 'debug', data: f.message, timestamp: now })))
        .onConflict((oc) => oc.columns(['task_id', 'seq']).doNothing())
        .execute();
    }
    for (const f of failures) await stopTasks(trx, [{ id: f.id, exit: null, result: 'error', message: f.message }]);
    await recordTransitions(trx, failures.map((f) => ({ taskId: f.id, jobId, kind: 'error' as const, detail: f.message })));
    for (const part of chunks(failures, 2000)) {
      await trx.updateTable('template_invocations').set({ claimed_by: null, lease_expires_at: null }).where('id', 'in', part.map((f) => f.id)).where('state', '=', 'stopped').execute();
    }
  });
  bus.publish([{ kind: 'progress', jobId }]);
}
