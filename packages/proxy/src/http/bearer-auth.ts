/**
 * @module
 * Bearer-token check of the proxy API: `Authorization: Bearer <token>` must carry the shared
 * secret. Compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { AuthenticationError } from '@remex/common';
import type { FastifyRequest } from 'fastify';

/**
 * Builds a Fastify `onRequest` hook that rejects requests without the right token.
 * @param token - the shared secret
 */
export function bearerAuth(token: string): (request: FastifyRequest) => Promise<void> {
  const expected = digest(token);
  return (request) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) return Promise.reject(new AuthenticationError('Missing bearer token', { code: 'missing_token' }));
    if (!timingSafeEqual(digest(match[1]), expected)) {
      return Promise.reject(new AuthenticationError('Invalid bearer token', { code: 'invalid_token' }));
    }
    return Promise.resolve();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
