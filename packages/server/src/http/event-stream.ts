/**
 * @module
 * A `text/event-stream` answer on a hijacked Fastify reply: event framing, `Last-Event-ID`,
 * keep-alive comments and one-time cleanup when the client leaves or the server ends it.
 *
 * Backpressure: events are written while `res.write()` accepts them; once it refuses (the
 * client reads slower than events come), further events wait in a queue of at most
 * {@link MAX_QUEUED_BYTES}. A client over that bound, or one that has read nothing for
 * {@link STALL_MS} while the stream waits for it, is dropped: the connection is destroyed and the
 * close callbacks (bus subscription…) run. It can resume with `Last-Event-ID` (the database holds
 * every output row).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;
/** Most bytes of events queued for one client that does not keep up. */
export const MAX_QUEUED_BYTES = 1024 * 1024;
/** A client that reads nothing for this long while the stream waits for it is dropped. */
export const STALL_MS = 30_000;

/** An open Server-Sent Events response. */
export interface EventStream {
  /** The client's `Last-Event-ID` (a row id), or 0 when it sent none or not a number. */
  readonly lastEventId: number;
  /** True once the stream has ended. */
  readonly closed: boolean;
  /** True once the stream was ended because its client did not keep up. */
  readonly dropped: boolean;
  /** True while the client is behind (`res.write()` refused; later events are queued). */
  readonly behind: boolean;
  /** Writes one event (`id:` when given), queued while the client is behind; a no-op once closed. */
  send(event: string, data: unknown, id?: number): void;
  /** Writes an event already framed by {@link frameEvent} (one framing shared by many streams). */
  sendFrame(frame: string): void;
  /**
   * Resolves once the client has taken what was written (at once when it keeps up), or the
   * stream has ended; a stream that waits longer than {@link STALL_MS} is dropped. Loops that
   * send many stored rows stop sending when {@link EventStream.behind}, let go of their rows,
   * await this and read on from the database, so they hold neither rows nor a queue.
   */
  drained(): Promise<void>;
  /** Ends the response and runs the close callbacks, once. */
  end(): void;
  /** Runs `fn` once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void;
}

/** The text of one SSE event (`id:` when given). */
export function frameEvent(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Hijacks `reply` and answers 200 `text/event-stream`; a keep-alive comment goes out every 15 s.
 * @param req - the request (its `last-event-id` header and its close event are used)
 * @param reply - the reply to hijack
 * @param onHeartbeat - also called at every keep-alive (lets a stream re-check its source)
 */
export function openEventStream(req: FastifyRequest, reply: FastifyReply, onHeartbeat?: () => void): EventStream {
  const lastHeader = req.headers['last-event-id'];
  const lastEventId = typeof lastHeader === 'string' && /^\d+$/.test(lastHeader) ? Number(lastHeader) : 0;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let closed = false;
  let dropped = false;
  /** Set while `res.write()` has refused: later chunks go to `queue` until 'drain'. */
  let blocked = false;
  const queue: string[] = [];
  let queuedBytes = 0;
  const waiters: Array<() => void> = [];
  const closers: Array<() => void> = [];
  const wakeWaiters = () => {
    for (const w of waiters.splice(0)) w();
  };
  const drop = () => {
    if (closed) return;
    dropped = true;
    queue.length = 0;
    queuedBytes = 0;
    stream.end();
  };
  const write = (chunk: string) => {
    if (closed) return;
    if (blocked) {
      queue.push(chunk);
      queuedBytes += Buffer.byteLength(chunk);
      if (queuedBytes > MAX_QUEUED_BYTES) drop();
      return;
    }
    if (!res.write(chunk)) blocked = true;
  };
  res.on('drain', () => {
    blocked = false;
    while (queue.length > 0 && !blocked) {
      const chunk = queue.shift() ?? '';
      queuedBytes -= Buffer.byteLength(chunk);
      if (!res.write(chunk)) blocked = true;
    }
    if (!blocked) wakeWaiters();
  });
  const heartbeat = setInterval(() => {
    if (closed) return;
    // A client that cannot even take keep-alives is behind already: skip them.
    if (!blocked) write(': keep-alive\n\n');
    onHeartbeat?.();
  }, HEARTBEAT_MS);
  const stream: EventStream = {
    lastEventId,
    get closed() {
      return closed;
    },
    get dropped() {
      return dropped;
    },
    get behind() {
      return blocked;
    },
    send(event, data, id) {
      write(frameEvent(event, data, id));
    },
    sendFrame(frame) {
      write(frame);
    },
    drained() {
      if (closed || !blocked) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(drop, STALL_MS);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    end() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      for (const fn of closers.splice(0)) fn();
      wakeWaiters();
      // A dropped client's unread data would stay in memory until it reads: let it go.
      if (dropped) {
        res.destroy();
        return;
      }
      // A slow client still gets the (bounded) queue before the end.
      for (const chunk of queue.splice(0)) res.write(chunk);
      res.end();
    },
    onClose(fn) {
      // Registered after the end (the client already left): run it now, or it never runs.
      if (closed) fn();
      else closers.push(fn);
    },
  };
  req.raw.on('close', () => stream.end());
  return stream;
}

/**
 * Sends stored rows after `after` page by page, the way every replay must: waits while the client
 * is behind holding no rows, stops sending a page as soon as the client falls behind (the rest is
 * re-read after the drain), and ends after a short page or when the stream closes.
 * @param readPage - the next at most `pageSize` rows with ids above its argument, in id order
 * @param send - writes one row to the stream
 * @returns the id of the last row sent (`after` when none was)
 */
export async function replayStoredRows<R extends { id: number }>(
  stream: EventStream,
  after: number,
  pageSize: number,
  readPage: (after: number) => Promise<R[]>,
  send: (row: R) => void,
): Promise<number> {
  let lastId = after;
  for (;;) {
    await stream.drained();
    if (stream.closed) return lastId;
    const rows = await readPage(lastId);
    let sent = 0;
    for (; sent < rows.length && !stream.behind && !stream.closed; sent++) {
      const r = rows[sent];
      if (!r) break;
      lastId = r.id;
      send(r);
    }
    if ((sent === rows.length && rows.length < pageSize) || stream.closed) return lastId;
  }
}
