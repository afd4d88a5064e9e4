/**
 * @module
 * A `text/event-stream` answer on a hijacked Fastify reply: event framing, `Last-Event-ID`,
 * keep-alive comments and one-time cleanup when the client leaves or the server ends it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;

/** An open Server-Sent Events response. */
export interface EventStream {
  /** The client's `Last-Event-ID` (a row id), or 0 when it sent none or not a number. */
  readonly lastEventId: number;
  /** True once the stream has ended. */
  readonly closed: boolean;
  /** Writes one event (`id:` when given); a no-op once closed. */
  send(event: string, data: unknown, id?: number): void;
  /** Ends the response and runs the close callbacks, once. */
  end(): void;
  /** Runs `fn` once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void;
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
  const closers: Array<() => void> = [];
  const heartbeat = setInterval(() => {
    if (closed) return;
    res.write(': keep-alive\n\n');
    onHeartbeat?.();
  }, HEARTBEAT_MS);
  const stream: EventStream = {
    lastEventId,
    get closed() {
      return closed;
    },
    send(event, data, id) {
      if (closed) return;
      res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      for (const fn of closers.splice(0)) fn();
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
