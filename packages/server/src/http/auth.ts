/**
 * @module
 * Route-level authentication (ADR 0006): the hooks read the access declaration of the matched
 * route. `user` routes take HTTP Basic (throttled, see `credential-checker.ts`), `proxy` routes
 * take proxy credentials only (`proxy-auth.ts`), `public` routes take anyone. Unmatched
 * requests get the 404 answer without any credential check.
 */
import { AuthenticationError, InternalError, NotAllowedError } from '@remex/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';
import type { CurrentUser } from '../users/user-store.ts';
import { HttpStatusError } from './http-status-error.ts';
import { authenticateProxy } from './proxy-auth.ts';
import type { RouteAccess } from './route-access.ts';
import { accessOf } from './route-access.ts';

/** The user of a request (set by the auth hook). */
export function currentUser(req: FastifyRequest): CurrentUser | null {
  return (req as unknown as { user?: CurrentUser }).user ?? null;
}

function challenge(reply: FastifyReply, message: string): AuthenticationError {
  void reply.header('www-authenticate', 'Basic realm="Remex"');
  return new AuthenticationError(`Unable to authenticate user: ${message}`);
}

/** Authenticates the HTTP Basic user of `req` (sets {@link currentUser}) or throws 401/429. */
export async function authenticateUser(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<CurrentUser> {
  const header = req.headers.authorization ?? '';
  if (!/^Basic /i.test(header)) throw challenge(reply, 'credentials required (HTTP Basic)');
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep < 0) throw challenge(reply, 'wrong login or password');
  const result = await ctx.credentials.check(decoded.slice(0, sep), decoded.slice(sep + 1), req.socket.remoteAddress ?? 'unknown');
  if (result.kind === 'throttled') {
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    throw new HttpStatusError(429, 'AuthenticationError', `Too many failed logins: try again in ${seconds} seconds`, 'login_throttled', { 'retry-after': String(seconds) });
  }
  if (result.kind === 'denied') throw challenge(reply, 'wrong login or password');
  (req as unknown as { user: CurrentUser }).user = result.user;
  return result.user;
}

/** The authorization slot: a route naming a permission needs a user holding it (today: admins). */
export function authorize(user: CurrentUser, access: RouteAccess): void {
  if (access.permission !== undefined && !user.admin) throw new NotAllowedError(`Missing permission ${access.permission}`);
}

/** Installs the route-level auth hooks on `app` (inherited by every route scope). */
export function registerAuth(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.is404) return;
    const access = accessOf(req);
    if (access === undefined) throw new InternalError('Route declares no access');
    if (access.auth === 'user') {
      authorize(await authenticateUser(req, reply, ctx), access);
    } else if (access.auth === 'proxy') {
      // Cheap refusal before the body is read; the real check runs in preValidation.
      const header = req.headers.authorization ?? '';
      if (header === '' || /^Basic /i.test(header)) throw new AuthenticationError('Proxy credentials required');
    }
  });
  app.addHook('preValidation', async (req) => {
    if (accessOf(req)?.auth === 'proxy') await authenticateProxy(req, ctx);
  });
}
