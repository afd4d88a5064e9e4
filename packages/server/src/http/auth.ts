/**
 * @module
 * Authentication: HTTP Basic for users on `/api`, Bearer proxy token on proxy callbacks.
 */
import { timingSafeEqual } from 'node:crypto';

import { AuthenticationError, EVENTS_CALLBACK_PATH } from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';
import type { CurrentUser } from '../users/user-store.ts';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user of a request (set by the auth hook). */
export function currentUser(req: FastifyRequest): CurrentUser | null {
  return (req as unknown as { user?: CurrentUser }).user ?? null;
}

/** Installs the auth hook. */
export function registerAuth(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (!path.startsWith('/api')) return;
    const header = req.headers.authorization ?? '';
    if (path === EVENTS_CALLBACK_PATH) {
      const token = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!sameSecret(token, ctx.proxyToken)) throw new AuthenticationError('Invalid proxy token');
      return;
    }
    if (!header.startsWith('Basic ')) {
      void reply.header('www-authenticate', 'Basic realm="Remex"');
      throw new AuthenticationError('Unable to authenticate user: credentials required (HTTP Basic)');
    }
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const user = sep < 0 ? null : await ctx.credentials.check(decoded.slice(0, sep), decoded.slice(sep + 1));
    if (!user) {
      void reply.header('www-authenticate', 'Basic realm="Remex"');
      throw new AuthenticationError('Unable to authenticate user: wrong login or password');
    }
    (req as unknown as { user: CurrentUser }).user = user;
  });
}
