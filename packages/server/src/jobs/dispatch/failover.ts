/**
 * @module
 * What happens to a batch a proxy refused (or could not be reached for): tasks with another live
 * proxy go back to `awaiting` (their claim ends; the next tick claims them again and picks
 * another proxy), those with a cancel asked meanwhile stop cancelled, and tasks with no other
 * proxy fail with the reason (unreachable, or the proxy's refusal, e.g. a credential mismatch).
 */
import type { LaunchTask } from '@remex/common';
import { coerceError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, SmartProxyRow } from '../../db/schema.ts';
import { nowIso } from '../../db/time.ts';
import type { JobEventBus } from '../../events/event-bus.ts';
import { TASK_CANCELLED } from '../finish/job-cancel.ts';
import { failTasks } from './fail-tasks.ts';

/** Handles the refusal `error` of `part` by `proxy`; true when tasks went back to the queue. */
export async function failOver(
  db: Kysely<Database>,
  bus: JobEventBus,
  jobId: number,
  proxy: SmartProxyRow,
  part: readonly LaunchTask[],
  candidates: ReadonlyMap<number, SmartProxyRow[]>,
  error: unknown,
): Promise<boolean> {
  const others = part.filter((t) => (candidates.get(t.task_id) ?? []).some((p) => p.id !== proxy.id));
  const stranded = part.filter((t) => !others.includes(t));
  if (others.length > 0) {
    const ids = others.map((t) => t.task_id);
    await db
      .updateTable('template_invocations')
      .set({ state: 'awaiting', smart_proxy_id: null, claimed_by: null, lease_expires_at: null })
      .where('id', 'in', ids)
      .where('state', '=', 'planned')
      .where('cancel_requested_at', 'is', null)
      .execute();
    await db
      .updateTable('template_invocations')
      .set({ state: 'stopped', result: 'cancelled', message: TASK_CANCELLED, ended_at: nowIso(), claimed_by: null, lease_expires_at: null })
      .where('id', 'in', ids)
      .where('state', '=', 'planned')
      .where('cancel_requested_at', 'is not', null)
      .execute();
  }
  const pool = (t: LaunchTask) => candidates.get(t.task_id) ?? [proxy];
  // Say why (unreachable, or refused: e.g. a token mismatch) so the failure can be acted on.
  const reason = coerceError(error).message;
  const refusal = /refused the tasks: (.*)$/s.exec(reason)?.[1];
  const down = (t: LaunchTask) =>
    pool(t).length <= 1 ? `The only applicable proxy ${proxy.name} is down (${reason})` : `All ${pool(t).length} applicable proxies are down. Tried ${pool(t).map((p) => p.name).join(', ')} (${reason})`;
  await failTasks(
    db,
    bus,
    jobId,
    stranded.map((t) => ({ id: t.task_id, message: refusal === undefined ? down(t) : `Proxy ${proxy.name} refused the task: ${refusal.slice(0, 300)}` })),
  );
  return others.length > 0;
}
