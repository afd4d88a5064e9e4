/**
 * @module
 * Server-sent events over `fetch` (EventSource cannot send `Authorization`): a line parser and a
 * reader that resumes with `Last-Event-ID` after a dropped connection.
 */
import type { ApiClient } from './client.ts';

/** One event of a `text/event-stream`. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/** Incremental `text/event-stream` parser: feed it text chunks, it returns complete events. */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;

  /** Parses `chunk`; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const nl = this.buffer.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id') this.id = value;
    }
    return out;
  }
}

/** Options of {@link followStream}. */
export interface FollowOptions {
  /** Called for each event. */
  onEvent: (e: SseEvent) => void;
  /** Stops following. */
  signal: AbortSignal;
  /** Events that end the stream for good (default `done`). */
  endEvents?: string[];
  /** Reconnection attempts after a drop (default 20). */
  maxRetries?: number;
}

/**
 * Follows the event stream at `path` until an end event, an abort or too many failed reconnects;
 * reconnects resume after the last event id seen.
 */
export async function followStream(client: ApiClient, path: string, opts: FollowOptions): Promise<void> {
  const ends = new Set(opts.endEvents ?? ['done']);
  let lastId: string | null = null;
  let failures = 0;
  const max = opts.maxRetries ?? 20;
  while (!opts.signal.aborted && failures <= max) {
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastId !== null) headers['Last-Event-ID'] = lastId;
      const res = await client.request('GET', path, undefined, { headers, signal: opts.signal });
      const body = res.body;
      if (!body) throw new Error('no response body');
      const reader = body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        failures = 0;
        for (const e of parser.push(value)) {
          if (e.id !== null) lastId = e.id;
          opts.onEvent(e);
          if (ends.has(e.event)) {
            await reader.cancel().catch(() => undefined);
            return;
          }
        }
      }
    } catch (e) {
      if (opts.signal.aborted) return;
      if (e instanceof Error && 'status' in e && (e as { status: number }).status >= 400 && (e as { status: number }).status < 500) throw e;
    }
    failures++;
    await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** Math.min(failures, 5))));
  }
}
