/**
 * @module
 * Follows a running job until it ends: the Server-Sent Events stream
 * `GET /api/job_invocations/:id/stream` (reconnecting with `Last-Event-ID`), falling back to
 * polling `GET /api/job_invocations/:id` every second when the stream is unavailable.
 */
import { AuthenticationError, NotAllowedError, NotFoundError } from '@remex/common';

import type { ApiClient } from '../../http/api-client.ts';
import { readSseEvents } from '../../http/sse-reader.ts';
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

/** Errors that polling would hit too: give up instead of falling back. */
function isFatal(e: unknown): boolean {
  return e instanceof AuthenticationError || e instanceof NotAllowedError;
}

/** Parses an event's JSON data, or `undefined` when it is not JSON. */
function parseData<T>(data: string): T | undefined {
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
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
  let lastEventId: string | undefined;
  let failures = 0;
  while (failures <= maxReconnects) {
    let sawEvent = false;
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const res = await client.fetchOk('GET', `/api/job_invocations/${id}/stream`, { headers });
      if (!res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) return undefined;
      for await (const ev of readSseEvents(res.body)) {
        sawEvent = true;
        if (ev.id !== undefined) lastEventId = ev.id;
        if (ev.event === 'progress' || ev.event === 'done') {
          const p = parseData<JobProgress>(ev.data);
          if (!p) continue;
          listener.progress(p);
          if (ev.event === 'done') return p;
        } else if (ev.event === 'host') {
          const h = parseData<HostEvent>(ev.data);
          if (h && typeof h.host_id === 'number') {
            hosts.set(h.host_id, h);
            listener.host?.(h);
          }
        }
      }
    } catch (e: unknown) {
      if (isFatal(e)) throw e;
      // 404 before any event: no stream endpoint (or no such job); polling tells which.
      if (e instanceof NotFoundError && lastEventId === undefined) return undefined;
      // Anything else (connection reset, server restart): reconnect with Last-Event-ID.
    }
    failures = sawEvent ? 1 : failures + 1;
  }
  return undefined;
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
