/**
 * @module
 * Route-level authentication (ADR 0006): the hooks read the access declaration of the matched
 * route. `user` routes take HTTP Basic (throttled, see `credential-checker.ts`), `proxy` routes
 * take proxy credentials only (`proxy-auth.ts`), `public` routes take anyone. Unmatched
 * requests get the 404 answer without any credential check.
 */
import { AuthenticationError, InternalError } from '@remex/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { authorizeRequest } from '../authz/authorize.ts';
import type { RequestAuthz } from '../authz/request-context.ts';
import { runWithAuthz } from '../authz/request-context.ts';
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

const authzStates = new WeakMap<FastifyRequest, RequestAuthz>();

/**
 * Authorizes `user` for the route of `req` (ADR 0011, `authz/authorize.ts`): admins pass,
 * others need the route's permission through a role's filter (403) and, for a route naming a
 * record, that record within their filters (404 invisible, 403 not editable).
 */
export async function authorize(req: FastifyRequest, user: CurrentUser, access: RouteAccess, ctx: ServerContext): Promise<void> {
  const state: RequestAuthz = { route: `${req.method === 'HEAD' ? 'GET' : req.method} ${req.routeOptions.url ?? ''}`, user: null, grants: null, dialect: ctx.store.dialect };
  authzStates.set(req, state);
  await authorizeRequest(ctx.store.db, req, user, access.permission, state);
}

/** Installs the route-level auth hooks on `app` (inherited by every route scope). */
export function registerAuth(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.is404) return;
    const access = accessOf(req);
    if (access === undefined) throw new InternalError('Route declares no access');
    if (access.auth === 'user') {
      await authorize(req, await authenticateUser(req, reply, ctx), access, ctx);
    } else if (access.auth === 'proxy') {
      // Cheap refusal before the body is read; the real check runs in preValidation.
      const header = req.headers.authorization ?? '';
      if (header === '' || /^Basic /i.test(header)) throw new AuthenticationError('Proxy credentials required');
    }
  });
  // The handler runs inside the request's authorization context (lists read it to scope themselves).
  app.addHook('preHandler', (req, _reply, done) => {
    const state = authzStates.get(req);
    if (state === undefined) done();
    else runWithAuthz(state, done);
  });
  app.addHook('preValidation', async (req) => {
    if (accessOf(req)?.auth === 'proxy') await authenticateProxy(req, ctx);
  });
}
