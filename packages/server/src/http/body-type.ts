/**
 * @module
 * State-changing requests (POST, PUT, PATCH, DELETE) carry JSON or nothing. The CORS-"simple"
 * types a cross-site form can send (`text/plain`, `application/x-www-form-urlencoded`,
 * `multipart/form-data`) and every other type are refused with 415 before the body is read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { HttpStatusError } from './http-status-error.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The media type of `req` (lower case, parameters dropped); '' when absent. */
export function mediaTypeOf(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Installs the JSON-only rule (runs after authentication, before parsing). */
export function requireJsonBodies(app: FastifyInstance): void {
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (!STATE_CHANGING.has(req.method)) return payload;
    const type = mediaTypeOf(req);
    if (type === 'application/json' || (type === '' && !hasBody(req))) return payload;
    const named = type === '' ? 'a body without Content-Type' : `Content-Type '${type.slice(0, 100)}'`;
    throw new HttpStatusError(415, 'InputError', `Unsupported media type: ${named}; send the body as application/json`, 'unsupported_media_type');
  });
}
