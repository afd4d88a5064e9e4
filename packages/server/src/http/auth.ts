/**
 * @module
 * Authentication: HTTP Basic for users on `/api`, the proxy's signature on proxy callbacks
 * (`proxy-auth.ts`, checked once the body is read).
 */
import { AuthenticationError, EVENTS_CALLBACK_PATH } from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';
import type { CurrentUser } from '../users/user-store.ts';
import { authenticateProxy, proxySignatureOf } from './proxy-auth.ts';

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
      // Refused before the body is read when it cannot be a proxy signature; checked in preValidation.
      if (!proxySignatureOf(req)) throw new AuthenticationError('Proxy callbacks must be signed with the proxy credential (Authorization: Remex-HMAC …)');
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
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.url === EVENTS_CALLBACK_PATH) await authenticateProxy(req, ctx);
  });
}
