/**
 * @module
 * Follows a Server-Sent Events endpoint of the API until the caller has seen its end:
 * reconnects with `Last-Event-ID` after a drop, and reports when the stream cannot be used so
 * that the caller can fall back to polling.
 */
import { AuthenticationError, NotAllowedError, NotFoundError } from '@remex/common';

import type { ApiClient } from './api-client.ts';
import { readSseEvents, type SseEvent } from './sse-reader.ts';

/** Errors that polling would hit too: give up instead of falling back. */
function isFatal(e: unknown): boolean {
  return e instanceof AuthenticationError || e instanceof NotAllowedError;
}

/** Wraps an error thrown by the caller's handler, so it is not mistaken for a dropped stream. */
class HandlerError extends Error {
  readonly original: unknown;
  constructor(original: unknown) {
    super('event handler failed');
    this.original = original;
  }
}

/**
 * Parses an event's JSON data.
 * @returns the value, or `undefined` when the data is not JSON
 */
export function parseEventData<T>(data: string): T | undefined {
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}

/**
 * Reads the stream at `path`, handing every event to `onEvent` until it returns `true`.
 * A dropped connection is reopened with the last `id:` seen as `Last-Event-ID`; after
 * `maxReconnects` attempts in a row that bring no event, the stream counts as unusable.
 * @param client - API client
 * @param path - stream path with its query
 * @param onEvent - handles one event; `true` means the end was reached
 * @param maxReconnects - reconnect attempts without progress before giving up
 * @returns `true` when `onEvent` saw the end; `false` when the stream cannot be used (no such
 *   endpoint, not an event stream, or it keeps failing): the caller then polls
 * @throws authentication/permission errors, and whatever `onEvent` throws
 */
export async function followSse(client: ApiClient, path: string, onEvent: (ev: SseEvent) => boolean, maxReconnects: number): Promise<boolean> {
  let lastEventId: string | undefined;
  let failures = 0;
  while (failures <= maxReconnects) {
    let sawEvent = false;
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const res = await client.fetchOk('GET', path, { headers });
      if (!res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) return false;
      for await (const ev of readSseEvents(res.body)) {
        sawEvent = true;
        if (ev.id !== undefined) lastEventId = ev.id;
        let finished: boolean;
        try {
          finished = onEvent(ev);
        } catch (e: unknown) {
          throw new HandlerError(e);
        }
        if (finished) return true;
      }
    } catch (e: unknown) {
      if (e instanceof HandlerError) throw e.original;
      if (isFatal(e)) throw e;
      // 404 before any event: no stream endpoint (or no such resource); polling tells which.
      if (e instanceof NotFoundError && lastEventId === undefined) return false;
      // Anything else (connection reset, server restart): reconnect with Last-Event-ID.
    }
    failures = sawEvent ? 1 : failures + 1;
  }
  return false;
}
