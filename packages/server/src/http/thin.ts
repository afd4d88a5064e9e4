/**
 * @module
 * Foreman's `thin=true` on lists: each result is cut down to its `id` and `name` (and `title`
 * where the resource has one), as clients ask when they only look an id up. Applied to the
 * serialized answer of a successful `GET` whose body is a list envelope, so every list takes it
 * alike; the work is bounded by the page size.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Whether `value` (a query parameter) asks for thin answers. */
export function isThin(value: unknown): boolean {
  return value === 'true' || value === '1' || value === true;
}

const KEPT = ['id', 'name', 'title'] as const;

/** The list envelope `payload` with thin results; other payloads unchanged. */
export function thinList(payload: string): string {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { results?: unknown }).results)) return payload;
  const envelope = body as { results: unknown[] };
  envelope.results = envelope.results.map((row) => {
    if (typeof row !== 'object' || row === null) return row;
    const full = row as Record<string, unknown>;
    return Object.fromEntries(KEPT.filter((k) => k in full).map((k) => [k, full[k]]));
  });
  return JSON.stringify(envelope);
}

/** Installs the `thin` hook on `app`. */
export function supportThinLists(app: FastifyInstance): void {
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    await Promise.resolve();
    if (req.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    if (!isThin((req.query as Record<string, unknown> | undefined)?.thin)) return payload;
    return thinList(payload);
  });
}
