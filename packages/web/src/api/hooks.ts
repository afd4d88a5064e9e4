/**
 * @module
 * TanStack Query hooks keyed by URL, the search autocomplete hook and the job stream hook.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, useReducer, useRef, useState } from 'react';

import { withQuery } from './client.ts';
import type { ApiClient } from './client.ts';
import type { Query } from './client.ts';
import { useApi } from './session.tsx';
import { followStream, type SseEvent } from './sse.ts';
import type { HostEvent, JobProgress, ListPage, OutputEvent, Suggestion } from './types.ts';

/** GET `path` with `query`, cached by URL; `keepPrevious` shows the last answer while the next loads (tables). */
export function useGet<T>(path: string | null, query: Query = {}, keepPrevious = false): UseQueryResult<T> {
  const api = useApi();
  const url = path === null ? null : withQuery(path, query);
  return useQuery({
    queryKey: [url],
    queryFn: () => api.get<T>(url ?? ''),
    enabled: url !== null,
    placeholderData: keepPrevious ? keepPreviousData : undefined,
  });
}

/** A page of an index route (the previous page stays shown while the next loads). */
export function useList<T>(path: string | null, query: Query = {}): UseQueryResult<ListPage<T>> {
  return useGet<ListPage<T>>(path, query, true);
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = 150): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/** `value`, passed on at most once every `ms` (the latest value wins). */
export function useThrottled<T>(value: T, ms: number): T {
  const [out, setOut] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const t = setTimeout(
      () => {
        last.current = Date.now();
        setOut(value);
      },
      Math.max(0, last.current + ms - Date.now()),
    );
    return () => clearTimeout(t);
  }, [value, ms]);
  return out;
}

/** Completions of `search` from `<path>/auto_complete_search`, debounced. */
export function useAutoComplete(path: string, search: string, enabled: boolean): Suggestion[] {
  const debounced = useDebounced(search);
  const q = useGet<Suggestion[]>(enabled ? `${path}/auto_complete_search` : null, { search: debounced });
  return enabled ? (q.data ?? []) : [];
}

/** What the job stream has told so far (progress and host states; output is per host, {@link useHostOutput}). */
export interface JobStreamState {
  progress: JobProgress | null;
  hosts: Map<number, HostEvent>;
  done: boolean;
  /** Hosts whose task ended (succeeded, failed, cancelled). */
  finished: number;
}

type StreamEvent = { kind: 'progress'; p: JobProgress; done: boolean } | { kind: 'host'; h: HostEvent };
type StreamAction = { kind: 'batch'; events: StreamEvent[] } | { kind: 'reset' };

const isFinished = (h: HostEvent | undefined): boolean => h !== undefined && (h.job_status === 'success' || h.job_status === 'error' || h.job_status === 'cancelled');

/**
 * Applies a batch of stream events at once: one copy of the hosts map per batch and a running
 * count of finished hosts, so 10,000 hosts finishing cost linear work, not a copy per host.
 */
function reduce(s: JobStreamState, a: StreamAction): JobStreamState {
  if (a.kind === 'reset') return initial();
  let { progress, done, finished } = s;
  let hosts = s.hosts;
  for (const e of a.events) {
    if (e.kind === 'progress') {
      progress = e.p;
      done = done || e.done;
    } else {
      if (hosts === s.hosts) hosts = new Map(s.hosts);
      finished += Number(isFinished(e.h)) - Number(isFinished(hosts.get(e.h.host_id)));
      hosts.set(e.h.host_id, e.h);
    }
  }
  return { progress, done, hosts, finished };
}

/** How often queued stream events are applied (one render per period at most). */
const STREAM_FLUSH_MS = 100;

function initial(): JobStreamState {
  return { progress: null, hosts: new Map(), done: false, finished: 0 };
}

/**
 * Follows the event stream at `path`, turning its events into items with `parse` (undefined:
 * skipped, as is a malformed event) and handing them to `apply` in batches, one per
 * {@link STREAM_FLUSH_MS} at most, the last one when the stream ends.
 * @returns stops following
 */
function followBatched<T>(api: ApiClient, path: string, parse: (e: SseEvent) => T | undefined, apply: (items: T[]) => void): () => void {
  const abort = new AbortController();
  let queue: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const items = queue;
    queue = [];
    if (items.length > 0 && !abort.signal.aborted) apply(items);
  };
  void followStream(api, path, {
    signal: abort.signal,
    onEvent: (e) => {
      let item: T | undefined;
      try {
        item = parse(e);
      } catch {
        // a malformed event is skipped
      }
      if (item === undefined) return;
      queue.push(item);
      timer ??= setTimeout(flush, STREAM_FLUSH_MS);
    },
  })
    .catch(() => undefined)
    .finally(() => {
      if (timer !== undefined) clearTimeout(timer);
      flush();
    });
  return () => {
    abort.abort();
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * Follows ONE event stream of job `id` (progress and host states, without output: reopening a
 * finished 10,000-host job does not replay every stored line) until it is done.
 */
export function useJobStream(id: number): JobStreamState {
  const api = useApi();
  const [state, dispatch] = useReducer(reduce, undefined, initial);
  useEffect(() => {
    dispatch({ kind: 'reset' });
    return followBatched<StreamEvent>(
      api,
      `/api/job_invocations/${id}/stream?outputs=false`,
      (e) => {
        if (e.event === 'progress' || e.event === 'done') return { kind: 'progress', p: JSON.parse(e.data) as JobProgress, done: e.event === 'done' };
        if (e.event === 'host') return { kind: 'host', h: JSON.parse(e.data) as HostEvent };
        return undefined;
      },
      (events) => dispatch({ kind: 'batch', events }),
    );
  }, [api, id]);
  return state;
}

/**
 * Follows the output stream of host `hostId` in job `jobId` (stored lines, then live ones, until
 * its task ends); nothing while `hostId` is null.
 * @returns the host's output lines so far
 */
export function useHostOutput(jobId: number, hostId: number | null): OutputEvent[] {
  const api = useApi();
  const [lines, setLines] = useState<OutputEvent[]>([]);
  useEffect(() => {
    setLines([]);
    if (hostId === null) return undefined;
    return followBatched<OutputEvent>(
      api,
      `/api/job_invocations/${jobId}/stream?host_id=${hostId}`,
      (e) => (e.event === 'output' ? (JSON.parse(e.data) as OutputEvent) : undefined),
      (batch) => setLines((all) => all.concat(batch)),
    );
  }, [api, jobId, hostId]);
  return lines;
}
