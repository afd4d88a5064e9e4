/**
 * @module
 * Sending claimed tasks to their proxy. The tasks are first assigned (`planned`, `smart_proxy_id`,
 * the shown `rendered_script`) — only those still `awaiting` and claimed by this server, so a task
 * cancelled meanwhile or a claim the expiry sweep took back is never sent. From the assignment on, a lost claim means "may have been sent" (ADR 0009).
 * When the proxy accepts a batch the claim ends (the proxy owns the tasks); cancels asked
 * meanwhile are passed on; a refusal goes to failover.
 */
import type { LaunchTask } from '@remex/common';
import { coerceError } from '@remex/common';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database, SmartProxyRow } from '../../db/schema.ts';
import { chunks } from '../../db/time.ts';
import type { JobEventBus } from '../../events/event-bus.ts';
import { launchTasks } from '../../proxies/proxy-client.ts';
import { endpointOf } from '../../proxies/proxy-credentials.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';
import { forwardCancels } from './cancel-forwarding.ts';
import { releaseClaims } from './claim.ts';
import { failOver } from './failover.ts';
import { recordTransitions, transitionsOf } from '../task-timeline.ts';
import type { DownProxies } from './proxy-selection.ts';

/** What launching needs. */
export interface LaunchContext {
  db: Kysely<Database>;
  bus: JobEventBus;
  secrets: SecretBox;
  log: FastifyBaseLogger;
  instanceId: string;
  down: DownProxies;
  /** Called when refused tasks went back to the queue. */
  requeued: () => void;
}

/** Sends `list` (tasks of job `jobId` claimed by this server) to `proxy`. */
export async function launchOnProxy(
  c: LaunchContext,
  jobId: number,
  proxy: SmartProxyRow,
  list: readonly LaunchTask[],
  scripts: ReadonlyMap<number, string>,
  candidates: ReadonlyMap<number, SmartProxyRow[]>,
): Promise<void> {
  const assigned = await assign(c, proxy.id, list, scripts);
  const mine = list.filter((t) => assigned.has(t.task_id));
  await recordTransitions(c.db, transitionsOf(jobId, [...assigned], 'sent', `proxy ${proxy.name}`)).catch((e: unknown) => c.log.warn({ err: coerceError(e) }, 'could not record task transitions'));
  for (const part of chunks(mine, 1000)) {
    let launched = false;
    try {
      await launchTasks(endpointOf(proxy, c.secrets), part);
      launched = true;
      await releaseClaims(c.db, c.instanceId, part.map((t) => t.task_id));
      await recordTransitions(c.db, transitionsOf(jobId, part.map((t) => t.task_id), 'accepted', `proxy ${proxy.name}`));
      // The batch is on the proxy now: a failure below must not be taken for a refused launch
      // (that would requeue running tasks elsewhere and run them twice).
      await forwardCancels(c.db, c.secrets, proxy, part.map((t) => t.task_id));
    } catch (e: unknown) {
      if (launched) {
        c.log.warn({ proxy: proxy.name, err: coerceError(e) }, 'could not end the claims of, or pass on cancels to, tasks the proxy accepted');
        continue;
      }
      c.log.warn({ proxy: proxy.name, err: coerceError(e) }, 'proxy refused a batch');
      await recordTransitions(c.db, transitionsOf(jobId, part.map((t) => t.task_id), 'error', `proxy ${proxy.name} did not take the tasks: ${coerceError(e).message}`)).catch(() => undefined);
      c.down.markDown(proxy.id);
      if (await failOver(c.db, c.bus, jobId, proxy, part, candidates, e)) c.requeued();
    }
  }
}

/** Assigns the tasks still claimed by this server to `proxyId` and stores their shown scripts. */
async function assign(c: LaunchContext, proxyId: number, list: readonly LaunchTask[], scripts: ReadonlyMap<number, string>): Promise<Set<number>> {
  const assigned = new Set<number>();
  await c.db.transaction().execute(async (trx) => {
    for (const part of chunks(list, 2000)) {
      const rows = await trx
        .updateTable('template_invocations')
        .set({ state: 'planned', smart_proxy_id: proxyId })
        .where('id', 'in', part.map((t) => t.task_id))
        .where('state', '=', 'awaiting')
        .where('claimed_by', '=', c.instanceId)
        .returning('id')
        .execute();
      for (const r of rows) assigned.add(r.id);
    }
    // Many hosts usually share one rendered script: one UPDATE per distinct text.
    const byScript = new Map<string, number[]>();
    for (const id of assigned) {
      const text = scripts.get(id) ?? '';
      const ids = byScript.get(text) ?? [];
      ids.push(id);
      byScript.set(text, ids);
    }
    for (const [text, ids] of byScript) {
      for (const part of chunks(ids, 2000)) await trx.updateTable('template_invocations').set({ rendered_script: text }).where('id', 'in', part).execute();
    }
  });
  return assigned;
}
