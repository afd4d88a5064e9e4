/**
 * @module
 * A minimal `text/event-stream` parser (WHATWG Server-Sent Events framing) over a fetch body.
 */

/** One dispatched server-sent event. */
export interface SseEvent {
  /** `event:` field; `message` when absent. */
  event: string;
  /** `data:` lines joined with `\n`. */
  data: string;
  /** `id:` field of this event, if any. */
  id: string | undefined;
}

/**
 * Incremental SSE parser: feed it text chunks, it returns the complete events found so far.
 */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | undefined;

  /** Feeds a chunk; returns the events completed by it. */
  push(chunk: string): SseEvent[] {
    this.#buffer += chunk;
    const out: SseEvent[] = [];
    let nl: number;
    while ((nl = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.#buffer.slice(0, nl);
      const sepLen = this.#buffer.startsWith('\r\n', nl) ? 2 : 1;
      // A lone trailing '\r' may be the first half of '\r\n': wait for more input.
      if (sepLen === 1 && this.#buffer[nl] === '\r' && nl === this.#buffer.length - 1) break;
      this.#buffer = this.#buffer.slice(nl + sepLen);
      const ev = this.#line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  #line(line: string): SseEvent | undefined {
    if (line === '') {
      if (this.#data.length === 0) {
        this.#event = '';
        return undefined;
      }
      const ev: SseEvent = { event: this.#event || 'message', data: this.#data.join('\n'), id: this.#id };
      this.#event = '';
      this.#data = [];
      return ev;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      default:
        break;
    }
    return undefined;
  }
}

/**
 * Iterates the events of a streaming response body.
 * @param body - `response.body` of a `text/event-stream` answer
 */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const ev of parser.push(decoder.decode(value, { stream: true }))) yield ev;
    }
    // An event not terminated by a blank line before EOF is discarded (as EventSource does).
    for (const ev of parser.push(decoder.decode())) yield ev;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
