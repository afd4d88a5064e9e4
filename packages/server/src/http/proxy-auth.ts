/**
 * @module
 * Authentication of smart proxies on `auth: 'proxy'` routes: the shared Bearer token, compared
 * in constant time (SHA-256 digests of equal length, no early return on a length mismatch).
 * Runs in `preValidation`, so the parsed body is available to a signature check.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { AuthenticationError } from '@remex/common';
import type { FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Throws {@link AuthenticationError} unless `req` carries the proxy token. */
export async function authenticateProxy(req: FastifyRequest, ctx: ServerContext): Promise<void> {
  const header = req.headers.authorization ?? '';
  const token = /^Bearer /i.test(header) ? header.slice(7) : '';
  if (!timingSafeEqual(digest(token), digest(ctx.proxyToken)) || token === '') throw new AuthenticationError('Invalid proxy token');
  await Promise.resolve();
}
