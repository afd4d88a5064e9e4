/**
 * @module
 * The raw text of a JSON request body, kept by the JSON parser (`app.ts`) so that a signature
 * over the exact bytes sent can be checked (`proxy-auth.ts`).
 */
import type { FastifyRequest } from 'fastify';

const RAW = Symbol('remex.rawBody');

type WithRaw = FastifyRequest & { [RAW]?: string };

/** Records `text` as the raw body of `req`. */
export function setRawBody(req: FastifyRequest, text: string): void {
  (req as WithRaw)[RAW] = text;
}

/** The raw body of `req` as received (`''` when there was none or it was not JSON). */
export function rawBodyOf(req: FastifyRequest): string {
  return (req as WithRaw)[RAW] ?? '';
}
