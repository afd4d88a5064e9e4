/**
 * @module
 * Follows a running job until it ends: the Server-Sent Events stream
 * `GET /api/job_invocations/:id/stream` (reconnecting with `Last-Event-ID`), falling back to
 * polling `GET /api/job_invocations/:id` every second when the stream is unavailable.
 */
import type { ApiClient } from '../../http/api-client.ts';
import { followSse, parseEventData } from '../../http/sse-follow.ts';
import { FINAL_JOB_STATUSES, type JobProgress } from './job-progress.ts';

/** A per-host result seen on the stream (`event: host`). */
export interface HostEvent {
  host_id?: number;
  host_name?: string;
  job_status?: string;
  exit_status?: number | string | null;
}

/** What the follower reports while following. */
export interface FollowListener {
  /** New counts. */
  progress(p: JobProgress): void;
  /** A host changed status. */
  host?(h: HostEvent): void;
}

/** How a follow ended. */
export interface FollowResult {
  /** Final counts and `status_label`. */
  final: JobProgress;
  /** Last host event per host id (exit codes come from here). */
  hosts: Map<number, HostEvent>;
  /** `stream` or `poll`: how the end was observed. */
  via: 'stream' | 'poll';
}

/** Options of {@link followJob}. */
export interface FollowOptions {
  /** Sleep between polls (default 1000 ms). */
  sleep: (ms: number) => Promise<void>;
  /** Poll interval in ms (default 1000). */
  pollIntervalMs?: number;
  /** Stream reconnect attempts without progress before polling (default 3). */
  maxReconnects?: number;
}

/**
 * Follows job `id` over SSE; resolves with the final state, or `undefined` when the stream could
 * not be used (the caller then polls).
 */
async function followStream(
  client: ApiClient,
  id: number,
  listener: FollowListener,
  hosts: Map<number, HostEvent>,
  maxReconnects: number,
): Promise<JobProgress | undefined> {
  let final: JobProgress | undefined;
  const ended = await followSse(
    client,
    `/api/job_invocations/${id}/stream`,
    (ev) => {
      if (ev.event === 'progress' || ev.event === 'done') {
        const p = parseEventData<JobProgress>(ev.data);
        if (!p) return false;
        listener.progress(p);
        if (ev.event === 'done') final = p;
        return ev.event === 'done';
      }
      if (ev.event === 'host') {
        const h = parseEventData<HostEvent>(ev.data);
        if (h && typeof h.host_id === 'number') {
          hosts.set(h.host_id, h);
          listener.host?.(h);
        }
      }
      return false;
    },
    maxReconnects,
  );
  return ended ? final : undefined;
}

/**
 * Polls `GET /api/job_invocations/:id` until the job reaches a final status.
 */
async function followPoll(client: ApiClient, id: number, listener: FollowListener, options: FollowOptions): Promise<JobProgress> {
  for (;;) {
    const job = await client.get<JobProgress>(`/api/job_invocations/${id}`);
    listener.progress(job);
    if (FINAL_JOB_STATUSES.includes(job.status_label ?? '')) return job;
    await options.sleep(options.pollIntervalMs ?? 1000);
  }
}

/**
 * Follows a job to its end.
 * @param client - API client
 * @param id - job invocation id
 * @param listener - receives progress and host events
 * @param options - sleep and retry settings
 */
export async function followJob(client: ApiClient, id: number, listener: FollowListener, options: FollowOptions): Promise<FollowResult> {
  const hosts = new Map<number, HostEvent>();
  const final = await followStream(client, id, listener, hosts, options.maxReconnects ?? 3);
  if (final) return { final, hosts, via: 'stream' };
  return { final: await followPoll(client, id, listener, options), hosts, via: 'poll' };
}
