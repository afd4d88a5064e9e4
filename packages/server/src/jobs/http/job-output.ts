/**
 * @module
 * Per-host output in Foreman's shape: `{complete, refresh, output: [{output_type, output, timestamp}]}`
 * ending with a synthetic `Exit status: N` line. Every answer is bounded: rows are read in pages
 * and at most {@link MAX_OUTPUT_RESPONSE_CHARS} characters of output go into one response; what
 * is left out is flagged (`truncated`) with where to continue (`next_after`, a row id, or the
 * next page of hosts). Raw output is streamed.
 */
import { Readable } from 'node:stream';

import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema.ts';

/** Most characters of output in one output response (8 Mi). */
export const MAX_OUTPUT_RESPONSE_CHARS = 8 * 1024 * 1024;
/** Rows read per query. */
const ROW_PAGE = 500;

/** One line set. */
export interface LineSet {
  output_type: string;
  output: string;
  timestamp: number;
}

type EventRow = { id: number; event_type: string; data: string; timestamp: number | string };

/**
 * One stored event row as a line set: output rows as they are, an `exit` row as the synthetic
 * `Exit status: N` stdout line. (`started` rows are not output; callers leave them out.)
 */
export function lineSetOf(row: { event_type: string; data: string; timestamp: number | string }): LineSet {
  return row.event_type === 'exit'
    ? { output_type: 'stdout', output: `Exit status: ${row.data}`, timestamp: Number(row.timestamp) }
    : { output_type: row.event_type, output: row.data, timestamp: Number(row.timestamp) };
}

/** Which rows of a task to read. */
interface RowFilter {
  /** Only rows with a timestamp after this (float epoch seconds). */
  since: number | null;
  /** Only rows with an id after this. */
  after?: number | null;
  /** stdout+stderr only (raw output) instead of every line set. */
  raw: boolean;
}

/** Reads the rows of one task after `after`, at most `limit`, in id order. */
function taskRows(db: Kysely<Database>, taskId: number, filter: RowFilter, after: number, limit: number): Promise<EventRow[]> {
  let q = db
    .selectFrom('template_invocation_events')
    .select(['id', 'event_type', 'data', 'timestamp'])
    .where('task_id', '=', taskId)
    .where('id', '>', after)
    .where('event_type', filter.raw ? 'in' : 'not in', filter.raw ? ['stdout', 'stderr'] : ['started']);
  if (filter.since !== null) q = q.where('timestamp', '>', filter.since);
  return q.orderBy('id').limit(limit).execute();
}

/** Rows of one task until `budget` characters are used; at least one row when `atLeastOne`. */
async function readWithin(
  db: Kysely<Database>,
  taskId: number,
  filter: RowFilter,
  budget: number,
  atLeastOne: boolean,
): Promise<{ rows: EventRow[]; used: number; truncated: boolean }> {
  const rows: EventRow[] = [];
  let used = 0;
  let after = filter.after ?? 0;
  for (;;) {
    const page = await taskRows(db, taskId, filter, after, ROW_PAGE);
    for (const r of page) {
      if (used + r.data.length > budget && !(atLeastOne && rows.length === 0)) return { rows, used, truncated: true };
      rows.push(r);
      used += r.data.length;
      after = r.id;
    }
    if (page.length < ROW_PAGE) return { rows, used, truncated: false };
  }
}

/** One host's output answer; `truncated`/`next_after` only when not all of it fitted. */
export interface TaskOutput {
  complete: boolean;
  refresh: boolean;
  output: LineSet[];
  truncated?: true;
  /** Row id to pass as `after` for the rest. */
  next_after?: number;
}

/**
 * Output of one task, optionally only after `since` (float epoch seconds) and/or after row id
 * `after`; at most `budget` characters (at least one line set).
 */
export async function taskOutput(
  db: Kysely<Database>,
  task: { id: number; state: string },
  since: number | null,
  options: { after?: number | null; budget?: number } = {},
): Promise<TaskOutput> {
  const read = await readWithin(db, task.id, { since, after: options.after ?? null, raw: false }, options.budget ?? MAX_OUTPUT_RESPONSE_CHARS, true);
  const complete = task.state === 'stopped';
  const out: TaskOutput = { complete, refresh: !complete || read.truncated, output: read.rows.map(lineSetOf) };
  if (read.truncated) {
    out.truncated = true;
    out.next_after = read.rows.at(-1)?.id ?? options.after ?? 0;
  }
  return out;
}

/** Raw stdout+stderr text of one task, as a stream read page by page (never whole in memory). */
export function taskRawOutput(db: Kysely<Database>, taskId: number): Readable {
  async function* chunks(): AsyncGenerator<string> {
    let after = 0;
    for (;;) {
      const page = await taskRows(db, taskId, { since: null, raw: true }, after, ROW_PAGE);
      for (const r of page) {
        after = r.id;
        if (r.data !== '') yield r.data;
      }
      if (page.length < ROW_PAGE) return;
    }
  }
  return Readable.from(chunks());
}

/** One host's entry of `/outputs`. */
export interface HostOutputs {
  host_id: number;
  complete: boolean;
  refresh: boolean;
  output: LineSet[] | string;
  /** Not all of this host's output fitted in the response (see {@link tasksOutput}). */
  truncated?: true;
}

/**
 * Outputs of many tasks at once (`/api/job_invocations/:id/outputs`): line sets after `since`
 * (or, `raw`, the stdout+stderr text). At most `budget` characters in all: sizes are summed
 * first (one query per 1,000 tasks), hosts that fit are read whole (one query per 1,000 tasks),
 * the first host that does not fit gets what fits, and it and the hosts after it are flagged
 * `truncated` (read them with the per-host endpoint, or with a smaller `per_page`).
 */
export async function tasksOutput(
  db: Kysely<Database>,
  tasks: ReadonlyArray<{ id: number; host_id: number; state: string }>,
  options: { since: number | null; raw: boolean; budget?: number },
): Promise<{ outputs: HostOutputs[]; truncated: boolean }> {
  const budget = options.budget ?? MAX_OUTPUT_RESPONSE_CHARS;
  const filter: RowFilter = { since: options.since, raw: options.raw };
  const types = options.raw ? ['stdout', 'stderr'] : ['started'];
  const sizes = new Map<number, number>();
  for (let i = 0; i < tasks.length; i += 1000) {
    let q = db
      .selectFrom('template_invocation_events')
      .select((eb) => ['task_id', eb.fn.sum<number | string>(eb.fn('length', ['data'])).as('chars')])
      .where('task_id', 'in', tasks.slice(i, i + 1000).map((t) => t.id))
      .where('event_type', options.raw ? 'in' : 'not in', types);
    if (options.since !== null) q = q.where('timestamp', '>', options.since);
    for (const r of await q.groupBy('task_id').execute()) sizes.set(r.task_id, Number(r.chars));
  }
  // Which hosts are read whole, which one in part, which not at all.
  let left = budget;
  const whole: number[] = [];
  let partial: { id: number; budget: number } | null = null;
  const cutFrom = new Set<number>();
  for (const t of tasks) {
    const size = sizes.get(t.id) ?? 0;
    if (partial === null && size <= left) {
      whole.push(t.id);
      left -= size;
    } else if (partial === null) {
      partial = { id: t.id, budget: left };
      cutFrom.add(t.id);
    } else {
      cutFrom.add(t.id);
    }
  }
  const byTask = new Map<number, EventRow[]>();
  for (let i = 0; i < whole.length; i += 1000) {
    let q = db
      .selectFrom('template_invocation_events')
      .select(['id', 'task_id', 'event_type', 'data', 'timestamp'])
      .where('task_id', 'in', whole.slice(i, i + 1000))
      .where('event_type', options.raw ? 'in' : 'not in', types);
    if (options.since !== null) q = q.where('timestamp', '>', options.since);
    for (const row of await q.orderBy('id').execute()) {
      const list = byTask.get(row.task_id) ?? [];
      list.push(row);
      byTask.set(row.task_id, list);
    }
  }
  if (partial !== null) byTask.set(partial.id, (await readWithin(db, partial.id, filter, partial.budget, whole.length === 0)).rows);
  const outputs = tasks.map((t): HostOutputs => {
    const rows = byTask.get(t.id) ?? [];
    const cut = cutFrom.has(t.id);
    const complete = t.state === 'stopped';
    const entry: HostOutputs = { host_id: t.host_id, complete, refresh: !complete || cut, output: options.raw ? rows.map((r) => r.data).join('') : rows.map(lineSetOf) };
    if (cut) entry.truncated = true;
    return entry;
  });
  return { outputs, truncated: cutFrom.size > 0 };
}
