/**
 * @module
 * TanStack Query hooks keyed by URL, the search autocomplete hook and the job stream hook.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, useReducer, useRef, useState } from 'react';

import { withQuery } from './client.ts';
import type { Query } from './client.ts';
import { useApi } from './session.tsx';
import { followStream } from './sse.ts';
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
  /** Bumps on every change (for memo keys). */
  version: number;
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
  return { ...s, progress, done, hosts, finished, version: s.version + 1 };
}

/** How often queued stream events are applied (one render per period at most). */
const STREAM_FLUSH_MS = 100;

function initial(): JobStreamState {
  return { progress: null, hosts: new Map(), done: false, finished: 0, version: 0 };
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
    const abort = new AbortController();
    let queue: StreamEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const events = queue;
      queue = [];
      if (events.length > 0 && !abort.signal.aborted) dispatch({ kind: 'batch', events });
    };
    const push = (e: StreamEvent) => {
      queue.push(e);
      timer ??= setTimeout(flush, STREAM_FLUSH_MS);
    };
    void followStream(api, `/api/job_invocations/${id}/stream?outputs=false`, {
      signal: abort.signal,
      onEvent: (e) => {
        try {
          const data = JSON.parse(e.data) as unknown;
          if (e.event === 'progress' || e.event === 'done') push({ kind: 'progress', p: data as JobProgress, done: e.event === 'done' });
          else if (e.event === 'host') push({ kind: 'host', h: data as HostEvent });
        } catch {
          // a malformed event is skipped
        }
      },
    }).catch(() => undefined);
    return () => {
      abort.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, id]);
  return state;
}

/** One host's output in a job, as it arrives. */
export interface HostOutputState {
  lines: OutputEvent[];
  /** Bumps on every change (for memo keys). */
  version: number;
}

/**
 * Follows the output stream of host `hostId` in job `jobId` (stored lines, then live ones, until
 * its task ends); nothing while `hostId` is null.
 */
export function useHostOutput(jobId: number, hostId: number | null): HostOutputState {
  const api = useApi();
  const [state, setState] = useState<HostOutputState>({ lines: [], version: 0 });
  useEffect(() => {
    setState({ lines: [], version: 0 });
    if (hostId === null) return undefined;
    const abort = new AbortController();
    let queue: OutputEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const lines = queue;
      queue = [];
      if (lines.length > 0 && !abort.signal.aborted) setState((s) => ({ lines: s.lines.concat(lines), version: s.version + 1 }));
    };
    void followStream(api, `/api/job_invocations/${jobId}/stream?host_id=${hostId}`, {
      signal: abort.signal,
      onEvent: (e) => {
        if (e.event !== 'output') return;
        try {
          queue.push(JSON.parse(e.data) as OutputEvent);
          timer ??= setTimeout(flush, STREAM_FLUSH_MS);
        } catch {
          // a malformed event is skipped
        }
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
  }, [api, jobId, hostId]);
  return state;
}
