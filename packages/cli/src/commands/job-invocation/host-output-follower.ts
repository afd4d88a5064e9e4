/**
 * @module
 * Reads one host's output of a job, each line set exactly once and in order: live from the
 * job's Server-Sent Events stream filtered to the host (`GET /api/job_invocations/:id/stream?host_id=`,
 * resuming by row id with `Last-Event-ID`), or by polling the host output endpoint
 * (`GET /api/job_invocations/:id/hosts/:host_id`) when the stream is unavailable.
 *
 * Polling has only timestamps, and several line sets may share one. So a poll asks for
 * `since` = the newest timestamp seen *before* the newest one, and skips as many leading sets
 * of the answer as it has already seen after that time: a set sharing the newest timestamp
 * that arrives in a later poll is neither lost nor printed twice.
 */
import type { ApiClient } from '../../http/api-client.ts';
import { followSse, parseEventData } from '../../http/sse-follow.ts';

/** One chunk of output. */
export interface LineSet {
  output_type: string;
  output: string;
  timestamp: number;
}

/** Answer of the host output endpoint. */
export interface HostOutput {
  complete?: boolean;
  refresh?: boolean;
  output?: LineSet[];
  delayed?: boolean;
  start_at?: string;
}

/** How reading ended. */
export interface HostOutputResult {
  /** `stream` or `poll`: where the output came from at the end. */
  via: 'stream' | 'poll';
  /** Set when the job has not started yet (Foreman's `delayed` answer): its start time, if given. */
  delayed?: { startAt: string | undefined };
}

/** Options of {@link readHostOutput}. */
export interface HostOutputOptions {
  /** Keep reading until the host is done (else one request). */
  follow: boolean;
  /** Sleep between polls. */
  sleep: (ms: number) => Promise<void>;
  /** Poll interval in ms (default 1000). */
  pollIntervalMs?: number;
  /** Stream reconnect attempts without progress before polling (default 3). */
  maxReconnects?: number;
}

/** Data of an `output` event. */
interface OutputEvent extends LineSet {
  host_id?: number;
}

/**
 * The `since` for the next poll: the newest timestamp among `seen` below the newest one
 * (`undefined`, i.e. everything, when there is none).
 */
export function nextSince(seen: readonly LineSet[]): number | undefined {
  let newest = -Infinity;
  for (const s of seen) newest = Math.max(newest, s.timestamp);
  let since: number | undefined;
  for (const s of seen) if (s.timestamp < newest && (since === undefined || s.timestamp > since)) since = s.timestamp;
  return since;
}

/** Follows the stream; `false` when it cannot be used. Sets it delivers are appended to `seen`. */
async function streamHost(client: ApiClient, jobId: number, hostId: number, seen: LineSet[], onSet: (s: LineSet) => void, maxReconnects: number): Promise<boolean> {
  let lastId = 0;
  return followSse(
    client,
    `/api/job_invocations/${jobId}/stream?host_id=${hostId}`,
    (ev) => {
      if (ev.event === 'done') return true;
      if (ev.event !== 'output') return false;
      const data = parseEventData<OutputEvent>(ev.data);
      if (!data || data.host_id !== hostId) return false;
      const id = ev.id !== undefined && /^\d+$/.test(ev.id) ? Number(ev.id) : undefined;
      if (id !== undefined) {
        // Rows come in id order; one already delivered (a replay overlap) is not printed again.
        if (id <= lastId) return false;
        lastId = id;
      }
      const set = { output_type: data.output_type, output: data.output, timestamp: data.timestamp };
      seen.push(set);
      onSet(set);
      return false;
    },
    maxReconnects,
  );
}

/** Polls until the answer stops asking for a refresh (or once); new sets are appended to `seen`. */
async function pollHost(
  client: ApiClient,
  url: string,
  seen: LineSet[],
  onSet: (s: LineSet) => void,
  options: HostOutputOptions,
): Promise<HostOutputResult> {
  for (;;) {
    const since = nextSince(seen);
    const answer = await client.get<HostOutput>(url, since === undefined ? undefined : { since });
    if (answer.delayed) return { via: 'poll', delayed: { startAt: answer.start_at } };
    // The answer lists, in the server's order, every set after `since`: those already seen first.
    const known = since === undefined ? seen.length : seen.filter((s) => s.timestamp > since).length;
    for (const set of (answer.output ?? []).slice(known)) {
      seen.push(set);
      onSet(set);
    }
    if (!options.follow || answer.refresh !== true) return { via: 'poll' };
    await options.sleep(options.pollIntervalMs ?? 1000);
  }
}

/**
 * Reads host `hostId`'s output of job `jobId`, calling `onSet` once per line set in order.
 * Following uses the stream first and falls back to polling, continuing where it stopped.
 * @param client - API client
 * @param jobId - job invocation id
 * @param hostId - host id
 * @param onSet - receives each line set
 * @param options - follow or not, sleep and retry settings
 */
export async function readHostOutput(
  client: ApiClient,
  jobId: number,
  hostId: number,
  onSet: (s: LineSet) => void,
  options: HostOutputOptions,
): Promise<HostOutputResult> {
  const seen: LineSet[] = [];
  if (options.follow && (await streamHost(client, jobId, hostId, seen, onSet, options.maxReconnects ?? 3))) return { via: 'stream' };
  return pollHost(client, `/api/job_invocations/${jobId}/hosts/${hostId}`, seen, onSet, options);
}
