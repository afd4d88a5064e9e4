/**
 * @module
 * Finish (ARCHITECTURE step 5): a task's result from its exit code, a job's status from its
 * tasks, and the host's execution status.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema.ts';
import { queueWebhookEvents } from '../../webhooks/webhook-store.ts';
import { chunks, nowIso } from '../../db/time.ts';

/** Result of a task from its exit data (`"0"` → success; anything else, incl. EXCEPTION → error). */
export function resultOfExit(exit: string): 'success' | 'error' {
  return exit.trim() === '0' ? 'success' : 'error';
}

/**
 * Stops tasks with a result and updates their hosts' execution status. Tasks already stopped
 * are left alone (exit events may be redelivered).
 * @returns ids of the tasks that changed
 */
export async function stopTasks(
  db: Kysely<Database>,
  tasks: ReadonlyArray<{ id: number; exit: string | null; result: 'success' | 'error' | 'cancelled'; message?: string | null }>,
): Promise<number[]> {
  if (tasks.length === 0) return [];
  const now = nowIso();
  const changed: number[] = [];
  const groups = new Map<string, typeof tasks[number][]>();
  for (const t of tasks) {
    const key = `${t.result}\0${t.exit ?? ''}\0${t.message ?? ''}`;
    const g = groups.get(key) ?? [];
    g.push(t);
    groups.set(key, g);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const rows = await db
      .updateTable('template_invocations')
      .set({ state: 'stopped', result: first.result, exit_status: first.exit, ended_at: now, ...(first.message ? { message: first.message } : {}) })
      .where('id', 'in', group.map((t) => t.id))
      .where('state', '!=', 'stopped')
      .returning(['id', 'host_id'])
      .execute();
    changed.push(...rows.map((r) => r.id));
    const hostIds = rows.map((r) => r.host_id);
    if (hostIds.length > 0 && first.result !== 'cancelled') {
      await db
        .updateTable('hosts')
        .set({ execution_status: first.result === 'success' ? 0 : 1 })
        .where('id', 'in', hostIds)
        .execute();
    }
  }
  if (changed.length > 0) {
    await queueWebhookEvents(db, 'host_task_finished', async () => {
      const rows = [];
      for (const part of chunks(changed, 5000)) {
        rows.push(
          ...(await db
            .selectFrom('template_invocations as t')
            .innerJoin('hosts as h', 'h.id', 't.host_id')
            .select(['t.id', 't.job_invocation_id', 't.host_id', 'h.name', 't.result', 't.exit_status', 't.message', 't.ended_at'])
            .where('t.id', 'in', part)
            .execute()),
        );
      }
      return rows.map((r) => ({ task: { id: r.id, job_invocation_id: r.job_invocation_id, host_id: r.host_id, host_name: r.name, result: r.result, exit_status: r.exit_status, message: r.message, ended_at: r.ended_at } }));
    });
  }
  return changed;
}

/**
 * Stops each job in `jobIds` whose tasks have all stopped; its result is `error` if any task
 * failed, else `cancelled` if any was cancelled, else `success`.
 * @returns ids of jobs that stopped now
 */
export async function finishJobs(db: Kysely<Database>, jobIds: Iterable<number>): Promise<number[]> {
  const done: number[] = [];
  for (const jobId of new Set(jobIds)) {
    const open = await db
      .selectFrom('template_invocations')
      .select('id')
      .where('job_invocation_id', '=', jobId)
      .where('state', '!=', 'stopped')
      .limit(1)
      .executeTakeFirst();
    if (open) continue;
    const results = await db.selectFrom('template_invocations').select('result').distinct().where('job_invocation_id', '=', jobId).execute();
    const set = new Set(results.map((r) => r.result));
    const result = set.has('error') ? 'error' : set.has('cancelled') ? 'cancelled' : 'success';
    const r = await db
      .updateTable('job_invocations')
      .set({ state: 'stopped', result, ended_at: nowIso() })
      .where('id', '=', jobId)
      .where('state', '!=', 'stopped')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) {
      done.push(jobId);
      const event = result === 'success' ? 'job_succeeded' : result === 'cancelled' ? 'job_cancelled' : 'job_failed';
      await queueWebhookEvents(db, event, async () => {
        const job = await db.selectFrom('job_invocations').select(['id', 'description', 'job_category', 'template_id', 'start_at', 'started_at', 'ended_at', 'total_hosts', 'recurring_logic_id', 'user_id']).where('id', '=', jobId).executeTakeFirst();
        const counts = await db.selectFrom('template_invocations').select(['result', (eb) => eb.fn.countAll<number>().as('n')]).where('job_invocation_id', '=', jobId).groupBy('result').execute();
        return job ? [{ job: { ...job, result, hosts: Object.fromEntries(counts.map((c) => [c.result, Number(c.n)])) } }] : [];
      });
    }
  }
  return done;
}
