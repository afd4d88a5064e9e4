/**
 * @module
 * Job events across servers on one PostgreSQL database. A proxy reports to one server, but a
 * follower (SSE) may be connected to any: each server announces what it publishes with
 * `NOTIFY remex_job_events` and listens on that channel for the others' announcements.
 *
 * An announcement is small JSON, at most {@link MAX_PAYLOAD} bytes (PostgreSQL's limit is 8000):
 * per job, the id runs of the output rows it stored (the rows themselves are read from
 * `template_invocation_events` by a server that has a follower of that job), its host status
 * changes, and whether the job progressed or stopped. The sender's instance id lets a server
 * skip its own announcements. Announcements of one sender arrive in order and are handled one at
 * a time, so a follower sees a server's output in the order it was stored.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import pg from 'pg';

import type { Database } from '../db/schema.ts';
import type { JobEventBus, JobMessage } from './event-bus.ts';

/** The NOTIFY channel. */
export const EVENTS_CHANNEL = 'remex_job_events';
/** Largest announcement payload in bytes (PostgreSQL refuses more than 8000). */
export const MAX_PAYLOAD = 7500;
/** Wait before listening again after the listening connection broke (ms). */
const RECONNECT_MS = 1000;

/** A host status change: host id, host name, job status, exit status. */
type HostNote = [number, string, string, string | null];

/** What one job did, in one announcement. */
interface JobNote {
  /** Job id. */
  j: number;
  /** Id runs `[first, last]` of stored output rows. */
  o?: Array<[number, number]>;
  /** Host status changes. */
  h?: HostNote[];
  /** 1: progressed; 2: stopped. */
  p?: 1 | 2;
}

/** One announcement. */
interface Announcement {
  /** Sender's instance id. */
  s: string;
  n: JobNote[];
}

/** Options of {@link PgEventRelay}. */
export interface PgEventRelayOptions {
  /** The database URL (a connection of its own listens). */
  connectionString: string;
  db: Kysely<Database>;
  bus: JobEventBus;
  /** This server's instance id (its own announcements are skipped). */
  instanceId: string;
  /** Reports a broken connection or a failed read (never a payload). */
  warn: (message: string, error: Error) => void;
}

/** Runs of consecutive ids, ascending. */
function idRuns(ids: number[]): Array<[number, number]> {
  const sorted = [...ids].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const id of sorted) {
    const last = runs.at(-1);
    if (last && id === last[1] + 1) last[1] = id;
    else if (!last || id > last[1]) runs.push([id, id]);
  }
  return runs;
}

/**
 * The job notes of `messages`, one per job, in the order the jobs first appear.
 * @internal
 */
export function notesOf(messages: readonly JobMessage[]): JobNote[] {
  const byJob = new Map<number, { outputs: number[]; hosts: HostNote[]; progress: 0 | 1 | 2 }>();
  for (const m of messages) {
    let n = byJob.get(m.jobId);
    if (!n) {
      n = { outputs: [], hosts: [], progress: 0 };
      byJob.set(m.jobId, n);
    }
    if (m.kind === 'output') n.outputs.push(m.eventId);
    else if (m.kind === 'host') n.hosts.push([m.hostId, m.hostName, m.jobStatus, m.exitStatus]);
    else n.progress = m.stopped === true ? 2 : Math.max(n.progress, 1) as 1 | 2;
  }
  return [...byJob].map(([j, n]) => ({
    j,
    ...(n.outputs.length > 0 ? { o: idRuns(n.outputs) } : {}),
    ...(n.hosts.length > 0 ? { h: n.hosts } : {}),
    ...(n.progress > 0 ? { p: n.progress as 1 | 2 } : {}),
  }));
}

/**
 * Splits notes into payloads of at most {@link MAX_PAYLOAD} bytes (a long note is split into
 * several notes of the same job; progress goes with its last part).
 * @internal
 */
export function payloadsOf(sender: string, notes: readonly JobNote[]): string[] {
  const payloads: string[] = [];
  let current: JobNote[] = [];
  const size = (n: JobNote[]) => Buffer.byteLength(JSON.stringify({ s: sender, n }));
  const flush = () => {
    if (current.length > 0) payloads.push(JSON.stringify({ s: sender, n: current }));
    current = [];
  };
  const add = (note: JobNote) => {
    if (size([...current, note]) <= MAX_PAYLOAD) {
      current.push(note);
      return;
    }
    flush();
    if (size([note]) <= MAX_PAYLOAD) {
      current.push(note);
      return;
    }
    // One note too big: halve its runs and hosts until each part fits.
    const runs = note.o ?? [];
    const hosts = note.h ?? [];
    if (runs.length + hosts.length <= 1) throw new Error('a job event note cannot be made to fit a NOTIFY payload');
    const half = (xs: unknown[]) => Math.ceil(xs.length / 2);
    const first: JobNote = { j: note.j, ...(runs.length > 0 ? { o: runs.slice(0, half(runs)) } : {}), ...(hosts.length > 0 ? { h: hosts.slice(0, half(hosts)) } : {}) };
    const rest: JobNote = { j: note.j, ...(runs.length > 1 ? { o: runs.slice(half(runs)) } : {}), ...(hosts.length > 1 ? { h: hosts.slice(half(hosts)) } : {}), ...(note.p ? { p: note.p } : {}) };
    add(first);
    add(rest);
  };
  for (const note of notes) add(note);
  flush();
  return payloads;
}

/** Forwards job events between the servers sharing one PostgreSQL database (see the module comment). */
export class PgEventRelay {
  readonly #o: PgEventRelayOptions;
  #client: pg.Client | null = null;
  #detach: (() => void) | null = null;
  #stopped = false;
  /** Sends and incoming handling, each in order. */
  #sending: Promise<void> = Promise.resolve();
  #handling: Promise<void> = Promise.resolve();
  #reconnect: NodeJS.Timeout | null = null;

  /** @param options - see {@link PgEventRelayOptions} */
  constructor(options: PgEventRelayOptions) {
    this.#o = options;
  }

  /** Listens on the channel and starts forwarding what the bus publishes. */
  async start(): Promise<void> {
    await this.#listen();
    this.#detach = this.#o.bus.attachRelay((messages) => this.#announce(messages));
  }

  /** Stops forwarding and listening; waits for the sends under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#detach?.();
    if (this.#reconnect) clearTimeout(this.#reconnect);
    await this.#sending;
    await this.#handling;
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#o.connectionString });
    client.on('notification', (n) => {
      if (n.channel !== EVENTS_CHANNEL || n.payload === undefined) return;
      const payload = n.payload;
      this.#handling = this.#handling.then(() => this.#handle(payload)).catch((e: unknown) => this.#o.warn('could not relay job events of another server', e instanceof Error ? e : new Error(String(e))));
    });
    client.on('error', (e) => {
      this.#o.warn('the job event relay lost its database connection; it listens again', e);
      if (this.#client === client) this.#client = null;
      client.end().catch(() => undefined);
      this.#scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.#client = client;
  }

  #scheduleReconnect(): void {
    if (this.#stopped || this.#reconnect) return;
    this.#reconnect = setTimeout(() => {
      this.#reconnect = null;
      if (this.#stopped) return;
      this.#listen().catch((e: unknown) => {
        this.#o.warn('the job event relay could not listen again', e instanceof Error ? e : new Error(String(e)));
        this.#scheduleReconnect();
      });
    }, RECONNECT_MS);
  }

  #announce(messages: readonly JobMessage[]): void {
    const payloads = payloadsOf(this.#o.instanceId, notesOf(messages));
    this.#sending = this.#sending
      .then(async () => {
        for (const payload of payloads) await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`.execute(this.#o.db);
      })
      .catch((e: unknown) => this.#o.warn('could not announce job events to the other servers', e instanceof Error ? e : new Error(String(e))));
  }

  async #handle(payload: string): Promise<void> {
    const a = JSON.parse(payload) as Announcement;
    if (a.s === this.#o.instanceId) return;
    const { bus, db } = this.#o;
    for (const note of a.n) {
      if (!bus.listening(note.j)) continue;
      const messages: JobMessage[] = [];
      if (note.o !== undefined && note.o.length > 0) {
        const runs = note.o;
        const rows = await db
          .selectFrom('template_invocation_events as e')
          .innerJoin('template_invocations as t', 't.id', 'e.task_id')
          .innerJoin('hosts as h', 'h.id', 't.host_id')
          .select(['e.id', 'e.event_type', 'e.data', 'e.timestamp', 't.host_id', 'h.name'])
          .where('e.job_invocation_id', '=', note.j)
          .where((eb) => eb.or(runs.map(([first, last]) => eb.between('e.id', first, last))))
          .where('e.event_type', 'in', ['stdout', 'stderr', 'debug'])
          .orderBy('e.id')
          .execute();
        for (const r of rows) {
          messages.push({ kind: 'output', jobId: note.j, eventId: r.id, hostId: r.host_id, hostName: r.name, outputType: r.event_type, output: r.data, timestamp: Number(r.timestamp) });
        }
      }
      for (const [hostId, hostName, jobStatus, exitStatus] of note.h ?? []) messages.push({ kind: 'host', jobId: note.j, hostId, hostName, jobStatus, exitStatus });
      if (note.p !== undefined) messages.push({ kind: 'progress', jobId: note.j, ...(note.p === 2 ? { stopped: true } : {}) });
      bus.deliver(messages);
    }
  }
}
