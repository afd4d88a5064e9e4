/**
 * @module
 * The per-host output cap of event ingest: a task stores at most `limit` bytes of stdout+stderr
 * (counted in `template_invocations.output_bytes`, set to the cap once truncated); the event that crosses the cap is cut at it,
 * later output is dropped, and one `debug` line {@link truncationMarker} is stored (at seq
 * {@link MARKER_SEQ}, so it is stored once whatever the retries). Exit events, debug lines and the
 * task's state are never dropped.
 */
import type { TaskEvent } from '@remex/common';
import type { Kysely, Transaction } from 'kysely';

import type { Database } from '../../db/schema.ts';

/** Sequence number of the truncation line (proxies number events from 1). */
export const MARKER_SEQ = -1;

/** The truncation line, e.g. `[output truncated: over 10 MB]`. */
export function truncationMarker(limit: number): string {
  const mb = limit / (1024 * 1024);
  const size = limit >= 1024 * 1024 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${limit} bytes`;
  return `[output truncated: over ${size}]\n`;
}

/** Whether an event counts against the cap. */
export function isCappedOutput(e: { type: string }): boolean {
  return e.type === 'stdout' || e.type === 'stderr';
}

/** The longest prefix of `text` that fits in `max` UTF-8 bytes (never splitting a character). */
export function cutUtf8(text: string, max: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let end = Math.max(0, max);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** What {@link applyOutputCap} did to the fresh rows of a batch. */
export interface CapOutcome {
  /** `task:seq` of fresh rows deleted (over the cap). */
  dropped: Set<string>;
  /** `task:seq` → the cut data of the row that crossed the cap. */
  cut: Map<string, string>;
  /** Truncation lines stored by this batch. */
  markers: Array<{ id: number; task_id: number; event: TaskEvent }>;
}

/**
 * Counts the fresh stdout/stderr rows of a batch against each task's cap inside the ingest
 * transaction: cuts the row that crosses it, deletes the rows after it, stores the truncation
 * line and adds the stored bytes to `output_bytes`.
 * @param trx - the ingest transaction
 * @param fresh - the events of the batch that were stored (not duplicates), in batch order
 * @param storedBytes - each task's `output_bytes` before the batch
 * @param jobOf - each task's job id
 * @param limit - bytes per task
 * @param skipped - tasks whose output in this batch was left out before the insert (already at the cap)
 */
export async function applyOutputCap(
  trx: Transaction<Database> | Kysely<Database>,
  fresh: readonly TaskEvent[],
  storedBytes: ReadonlyMap<number, number>,
  jobOf: (taskId: number) => number,
  limit: number,
  skipped: ReadonlySet<number> = new Set(),
): Promise<CapOutcome> {
  const outcome: CapOutcome = { dropped: new Set(), cut: new Map(), markers: [] };
  const used = new Map<number, number>();
  const added = new Map<number, number>();
  const truncated = new Set<number>(skipped);
  const byTask = new Map<number, number[]>();
  for (const e of fresh) {
    if (!isCappedOutput(e)) continue;
    const before = used.get(e.task_id) ?? storedBytes.get(e.task_id) ?? 0;
    const size = Buffer.byteLength(e.data, 'utf8');
    const key = `${e.task_id}:${e.seq}`;
    if (!truncated.has(e.task_id) && before + size <= limit) {
      used.set(e.task_id, before + size);
      added.set(e.task_id, (added.get(e.task_id) ?? 0) + size);
      continue;
    }
    const room = truncated.has(e.task_id) ? 0 : limit - before;
    truncated.add(e.task_id);
    const part = room > 0 ? cutUtf8(e.data, room) : '';
    if (part !== '') {
      outcome.cut.set(key, part);
      const partSize = Buffer.byteLength(part, 'utf8');
      used.set(e.task_id, before + partSize);
      added.set(e.task_id, (added.get(e.task_id) ?? 0) + partSize);
    } else {
      outcome.dropped.add(key);
      const seqs = byTask.get(e.task_id) ?? [];
      seqs.push(e.seq);
      byTask.set(e.task_id, seqs);
      used.set(e.task_id, before);
    }
  }
  for (const [key, data] of outcome.cut) {
    const [task, seq] = key.split(':').map(Number);
    await trx.updateTable('template_invocation_events').set({ data }).where('task_id', '=', task ?? 0).where('seq', '=', seq ?? 0).execute();
  }
  for (const [task, seqs] of byTask) {
    for (let i = 0; i < seqs.length; i += 1000) {
      await trx.deleteFrom('template_invocation_events').where('task_id', '=', task).where('seq', 'in', seqs.slice(i, i + 1000)).execute();
    }
  }
  for (const [task, n] of added) {
    if (n > 0 && !truncated.has(task)) await trx.updateTable('template_invocations').set((eb) => ({ output_bytes: eb('output_bytes', '+', n) })).where('id', '=', task).execute();
  }
  // A truncated task counts as full, even if the cut left a few bytes of room: nothing more is stored.
  const full = [...truncated].filter((task) => (storedBytes.get(task) ?? 0) < limit);
  for (let i = 0; i < full.length; i += 1000) {
    await trx.updateTable('template_invocations').set({ output_bytes: limit }).where('id', 'in', full.slice(i, i + 1000)).execute();
  }
  const timestamp = Date.now() / 1000;
  for (const task of truncated) {
    const event: TaskEvent = { task_id: task, seq: MARKER_SEQ, type: 'debug', data: truncationMarker(limit), timestamp };
    const row = await trx
      .insertInto('template_invocation_events')
      .values({ job_invocation_id: jobOf(task), task_id: task, seq: MARKER_SEQ, event_type: event.type, data: event.data, timestamp })
      .onConflict((oc) => oc.columns(['task_id', 'seq']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) outcome.markers.push({ id: row.id, task_id: task, event });
  }
  return outcome;
}
