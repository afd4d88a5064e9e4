/**
 * @module
 * Stores event batches from proxies: deduplicates on (task, seq), moves tasks to running or
 * stopped, finishes jobs, then publishes what was new to live watchers.
 */
import type { TaskEvent } from '@remex/common';
import type { Kysely } from 'kysely';

import { DEFAULT_MAX_HOST_OUTPUT_BYTES } from '../../config/server-config.ts';
import type { Database } from '../../db/schema.ts';
import { chunks, nowIso } from '../../db/time.ts';
import type { JobEventBus, JobMessage } from '../../events/event-bus.ts';
import { TASK_CANCELLED } from './job-cancel.ts';
import { finishJobs, resultOfExit, stopTasks } from './job-finisher.ts';
import { recordTransitions } from '../task-timeline.ts';
import { MARKER_SEQ, applyOutputCap, isCappedOutput } from './output-cap.ts';

/** Outcome of one batch. */
export interface IngestResult {
  stored: number;
  duplicates: number;
  /** Tasks that stopped with this batch (frees concurrency slots). */
  stopped: number;
  /** Events dropped because their task was not given to the sending proxy. */
  foreign: number;
}

/**
 * Stores a batch in one transaction, then publishes to the bus.
 * @param fromProxyId - the proxy that sent the batch: events of tasks not launched on it are
 *   dropped (and counted in `foreign`), the rest of the batch is stored
 * @param maxOutputBytes - per-host cap of stored stdout+stderr (see `output-cap.ts`)
 */
export async function ingestEvents(
  db: Kysely<Database>,
  bus: JobEventBus,
  events: readonly TaskEvent[],
  fromProxyId: number,
  maxOutputBytes: number = DEFAULT_MAX_HOST_OUTPUT_BYTES,
): Promise<IngestResult> {
  if (events.length === 0) return { stored: 0, duplicates: 0, stopped: 0, foreign: 0 };
  const taskIds = [...new Set(events.map((e) => e.task_id))];
  const outcome = await db.transaction().execute(async (trx) => {
    const tasks = new Map<number, { job: number; host: number; hostName: string; cancelRequested: boolean; outputBytes: number }>();
    // Tasks of another proxy (or of none): a proxy reports only for the tasks it was given.
    const foreignTasks = new Set<number>();
    for (const part of chunks(taskIds, 5000)) {
      const rows = await trx
        .selectFrom('template_invocations as t')
        .innerJoin('hosts as h', 'h.id', 't.host_id')
        .select(['t.id', 't.job_invocation_id', 't.host_id', 'h.name', 't.cancel_requested_at', 't.smart_proxy_id', 't.output_bytes'])
        .where('t.id', 'in', part)
        .execute();
      for (const r of rows) {
        if (r.smart_proxy_id !== fromProxyId) {
          foreignTasks.add(r.id);
          continue;
        }
        tasks.set(r.id, { job: r.job_invocation_id, host: r.host_id, hostName: r.name, cancelRequested: r.cancel_requested_at !== null, outputBytes: Number(r.output_bytes) });
      }
    }
    // Events of tasks the server does not know (deleted jobs) are acknowledged and dropped, and
    // so is the output of tasks already at the output cap.
    const full = new Set([...tasks].filter(([, t]) => t.outputBytes >= maxOutputBytes).map(([id]) => id));
    const skipped = new Set<number>();
    const known = events.filter((e) => {
      if (!tasks.has(e.task_id)) return false;
      if (full.has(e.task_id) && isCappedOutput(e)) {
        skipped.add(e.task_id);
        return false;
      }
      return true;
    });
    const inserted: Array<{ id: number; task_id: number; seq: number }> = [];
    for (const part of chunks(known, 500)) {
      const rows = await trx
        .insertInto('template_invocation_events')
        .values(
          part.map((e) => ({
            job_invocation_id: tasks.get(e.task_id)?.job ?? 0,
            task_id: e.task_id,
            seq: e.seq,
            event_type: e.type,
            data: e.data,
            timestamp: e.timestamp,
          })),
        )
        .onConflict((oc) => oc.columns(['task_id', 'seq']).doNothing())
        .returning(['id', 'task_id', 'seq'])
        .execute();
      inserted.push(...rows);
    }
    const isNew = new Set(inserted.map((r) => `${r.task_id}:${r.seq}`));
    const stored = known.filter((e) => isNew.has(`${e.task_id}:${e.seq}`));
    const storedBytes = new Map([...tasks].map(([id, t]) => [id, t.outputBytes]));
    const cap = await applyOutputCap(trx, stored, storedBytes, (id) => tasks.get(id)?.job ?? 0, maxOutputBytes, skipped);
    const fresh = stored
      .filter((e) => !cap.dropped.has(`${e.task_id}:${e.seq}`))
      .map((e) => {
        const cut = cap.cut.get(`${e.task_id}:${e.seq}`);
        return cut === undefined ? e : { ...e, data: cut };
      });
    const started = [...new Set(fresh.filter((e) => e.type === 'started').map((e) => e.task_id))];
    for (const part of chunks(started, 5000)) {
      await trx
        .updateTable('template_invocations')
        .set({ state: 'running', started_at: nowIso() })
        .where('id', 'in', part)
        .where('state', 'in', ['awaiting', 'planned'])
        .execute();
    }
    const lastDebug = new Map<number, string>();
    for (const e of fresh) if (e.type === 'debug') lastDebug.set(e.task_id, e.data.trim());
    // A failing exit takes its message from the task's last debug line (e.g. "Timeout for execution
    // passed…"), which may have come in an earlier batch.
    const unexplained = [...new Set(fresh.filter((e) => e.type === 'exit' && e.data.trim() !== '0' && !lastDebug.has(e.task_id)).map((e) => e.task_id))];
    for (const part of chunks(unexplained, 1000)) {
      // Only each task's last debug line (highest seq), not all of them.
      const rows = await trx
        .selectFrom('template_invocation_events as e')
        .select(['e.task_id', 'e.data'])
        .where('e.task_id', 'in', part)
        .where('e.event_type', '=', 'debug')
        .where('e.seq', '>', MARKER_SEQ)
        .where((eb) =>
          eb(
            'e.seq',
            '=',
            eb
              .selectFrom('template_invocation_events as l')
              .select((x) => x.fn.max('l.seq').as('m'))
              .whereRef('l.task_id', '=', 'e.task_id')
              .where('l.event_type', '=', 'debug'),
          ),
        )
        .execute();
      for (const r of rows) lastDebug.set(r.task_id, r.data.trim());
    }
    // A host whose cancel was asked and that did not exit 0 ends cancelled (Foreman: "Task cancelled").
    const exits = fresh
      .filter((e) => e.type === 'exit')
      .map((e) => {
        const ok = e.data.trim() === '0';
        if (!ok && tasks.get(e.task_id)?.cancelRequested === true) return { id: e.task_id, exit: e.data, result: 'cancelled' as const, message: TASK_CANCELLED };
        return { id: e.task_id, exit: e.data, result: resultOfExit(e.data), message: ok ? null : (lastDebug.get(e.task_id) ?? `Job execution failed (exit status ${e.data})`) };
      });
    const stopped = new Set(await stopTasks(trx, exits));
    // The timeline: started, first output (none stored before this batch), exit.
    const jobOf = (id: number) => tasks.get(id)?.job ?? 0;
    const firstOutput = [...new Set(fresh.filter((e) => (e.type === 'stdout' || e.type === 'stderr') && tasks.get(e.task_id)?.outputBytes === 0).map((e) => e.task_id))];
    await recordTransitions(trx, [
      ...started.map((id) => ({ taskId: id, jobId: jobOf(id), kind: 'started' as const })),
      ...firstOutput.map((id) => ({ taskId: id, jobId: jobOf(id), kind: 'first_output' as const })),
      ...exits.filter((x) => stopped.has(x.id)).map((x) => ({ taskId: x.id, jobId: jobOf(x.id), kind: 'exit' as const, detail: `exit status ${x.exit.trim()}, ${x.result}${x.message ? `: ${x.message}` : ''}` })),
    ]);
    const finished = await finishJobs(trx, exits.filter((x) => stopped.has(x.id)).map((x) => tasks.get(x.id)?.job ?? 0));
    const eventIds = new Map(inserted.map((r) => [`${r.task_id}:${r.seq}`, r.id]));
    // Truncation lines go out after the batch's output (their ids are higher).
    for (const m of cap.markers) {
      eventIds.set(`${m.task_id}:${m.event.seq}`, m.id);
      fresh.push(m.event);
    }
    const foreign = events.filter((e) => foreignTasks.has(e.task_id)).length;
    return { tasks, fresh, started, exits: exits.filter((x) => stopped.has(x.id)), finished, eventIds, foreign };
  });

  const messages: JobMessage[] = [];
  const jobsTouched = new Set<number>();
  for (const e of outcome.fresh) {
    const t = outcome.tasks.get(e.task_id);
    if (!t) continue;
    if (e.type === 'stdout' || e.type === 'stderr' || e.type === 'debug') {
      if (!bus.watched(t.job)) continue;
      messages.push({
        kind: 'output',
        jobId: t.job,
        eventId: outcome.eventIds.get(`${e.task_id}:${e.seq}`) ?? 0,
        hostId: t.host,
        hostName: t.hostName,
        outputType: e.type,
        output: e.data,
        timestamp: e.timestamp,
      });
    }
  }
  for (const id of outcome.started) {
    const t = outcome.tasks.get(id);
    if (t) {
      messages.push({ kind: 'host', jobId: t.job, hostId: t.host, hostName: t.hostName, jobStatus: 'running', exitStatus: null });
      jobsTouched.add(t.job);
    }
  }
  for (const x of outcome.exits) {
    const t = outcome.tasks.get(x.id);
    if (t) {
      messages.push({ kind: 'host', jobId: t.job, hostId: t.host, hostName: t.hostName, jobStatus: x.result, exitStatus: x.exit });
      jobsTouched.add(t.job);
    }
  }
  for (const j of jobsTouched) if (!outcome.finished.includes(j)) messages.push({ kind: 'progress', jobId: j });
  for (const j of outcome.finished) messages.push({ kind: 'progress', jobId: j, stopped: true });
  bus.publish(messages);
  return {
    stored: outcome.fresh.length,
    duplicates: Math.max(0, events.length - outcome.fresh.length - outcome.foreign),
    stopped: outcome.exits.length,
    foreign: outcome.foreign,
  };
}
