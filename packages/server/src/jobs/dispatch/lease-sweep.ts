/**
 * @module
 * The expiry sweep of task claims (ADR 0009), run by every server's dispatcher tick. A claimed
 * task whose lease has passed belongs to a server that stopped (or hung) while dispatching it:
 *
 * - still `awaiting` (claimed, not yet assigned to a proxy): it was never sent, so its claim is
 *   cleared and it is back in the queue;
 * - `planned` and still claimed (assigned to a proxy, the proxy's acceptance not recorded): the
 *   launch may have reached the proxy, and running it again could run it twice, so it stops as
 *   failed with {@link LEASE_EXPIRED_SENT}. (A task the proxy started reports `running`, which
 *   takes it out of the sweep's reach; see event-ingest.ts.)
 */
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema.ts';
import { chunks, nowIso } from '../../db/time.ts';
import { dialectOf } from '../compose/job-targeting.ts';

/** Message of a task failed by the sweep: it may have been sent to a proxy. */
export const LEASE_EXPIRED_SENT =
  'The server dispatching this task stopped while sending it to a proxy (its claim expired); the task may or may not have run and is not retried';

/** Claims taken back in one sweep. */
const SWEEP_LIMIT = 5000;

/** What a sweep did. */
export interface SweepOutcome {
  requeued: number;
  failed: Array<{ id: number; jobId: number }>;
  jobIds: Set<number>;
}

/** Takes back expired claims (see the module comment). */
export async function sweepExpiredClaims(db: Kysely<Database>): Promise<SweepOutcome> {
  const pg = dialectOf(db) === 'postgres';
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const expired = await trx
      .selectFrom('template_invocations')
      .select(['id', 'job_invocation_id', 'state'])
      .where('state', 'in', ['awaiting', 'planned'])
      .where('claimed_by', 'is not', null)
      .where('lease_expires_at', '<', now)
      .limit(SWEEP_LIMIT)
      .$if(pg, (q) => q.forUpdate().skipLocked())
      .execute();
    const out: SweepOutcome = { requeued: 0, failed: [], jobIds: new Set(expired.map((t) => t.job_invocation_id)) };
    if (expired.length === 0) return out;
    const requeue = expired.filter((t) => t.state === 'awaiting').map((t) => t.id);
    const sent = expired.filter((t) => t.state === 'planned').map((t) => t.id);
    for (const part of chunks(requeue, 2000)) {
      const r = await trx
        .updateTable('template_invocations')
        .set({ claimed_by: null, lease_expires_at: null })
        .where('id', 'in', part)
        .where('state', '=', 'awaiting')
        .executeTakeFirst();
      out.requeued += Number(r.numUpdatedRows);
    }
    for (const part of chunks(sent, 500)) {
      const rows = await trx
        .updateTable('template_invocations')
        .set({ state: 'stopped', result: 'error', message: LEASE_EXPIRED_SENT, ended_at: now, claimed_by: null, lease_expires_at: null })
        .where('id', 'in', part)
        .where('state', '=', 'planned')
        .where('claimed_by', 'is not', null)
        .returning(['id', 'job_invocation_id', 'host_id'])
        .execute();
      if (rows.length === 0) continue;
      await trx
        .insertInto('template_invocation_events')
        .values(rows.map((r) => ({ job_invocation_id: r.job_invocation_id, task_id: r.id, seq: 0, event_type: 'debug', data: LEASE_EXPIRED_SENT, timestamp: Date.now() / 1000 })))
        .onConflict((oc) => oc.columns(['task_id', 'seq']).doNothing())
        .execute();
      await trx.updateTable('hosts').set({ execution_status: 1 }).where('id', 'in', rows.map((r) => r.host_id)).execute();
      out.failed.push(...rows.map((r) => ({ id: r.id, jobId: r.job_invocation_id })));
    }
    return out;
  });
}
