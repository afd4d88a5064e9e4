/**
 * @module
 * Route-level authentication (ADR 0006, ADR 0010): the hooks read the access declaration of the
 * matched route. `user` routes take HTTP Basic (password or personal access token, throttled,
 * see `credential-checker.ts`), `Authorization: Bearer <token>`, or the browser session cookie
 * (with the CSRF token on state-changing requests, `session-cookie.ts`); `proxy` routes take
 * proxy credentials only (`proxy-auth.ts`), `public` routes take anyone. Unmatched requests get
 * the 404 answer without any credential check.
 */
import { AuthenticationError, InternalError } from '@remex/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { authorizeRequest } from '../authz/authorize.ts';
import type { RequestAuthz } from '../authz/request-context.ts';
import { runWithAuthz } from '../authz/request-context.ts';
import type { ServerContext } from '../context.ts';
import type { CredentialResult } from '../users/credential-checker.ts';
import type { CurrentUser } from '../users/user-store.ts';
import { HttpStatusError } from './http-status-error.ts';
import { authenticateProxy } from './proxy-auth.ts';
import type { RouteAccess } from './route-access.ts';
import { accessOf } from './route-access.ts';
import { requireCsrf, sessionCookieOf } from './session-cookie.ts';

/** The user of a request (set by the auth hook). */
export function currentUser(req: FastifyRequest): CurrentUser | null {
  return (req as unknown as { user?: CurrentUser }).user ?? null;
}

/** The user of a request on a `user` route (500 if the auth hook did not run: a wiring bug). */
export function callerOf(req: FastifyRequest): CurrentUser {
  const user = currentUser(req);
  if (!user) throw new InternalError('No authenticated user on a user route');
  return user;
}

/**
 * A 401 with the Basic challenge; scripts of the web UI (`X-Requested-With`) get none, so the
 * browser does not open its own login dialog.
 */
function challenge(req: FastifyRequest, reply: FastifyReply, message: string): AuthenticationError {
  if (req.headers['x-requested-with'] === undefined) void reply.header('www-authenticate', 'Basic realm="Remex"');
  return new AuthenticationError(`Unable to authenticate user: ${message}`);
}

/** The 429 of a locked-out login, with `Retry-After`. */
export function throttledError(retryAfterMs: number): HttpStatusError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpStatusError(429, 'AuthenticationError', `Too many failed logins: try again in ${seconds} seconds`, 'login_throttled', { 'retry-after': String(seconds) });
}

/** The user of a credential check, or the 429/401 to throw. */
export function userOf(result: CredentialResult, req: FastifyRequest, reply: FastifyReply, message: string): CurrentUser {
  if (result.kind === 'throttled') throw throttledError(result.retryAfterMs);
  if (result.kind === 'denied') throw challenge(req, reply, message);
  return result.user;
}

async function fromHeader(header: string, req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<CurrentUser> {
  const address = req.socket.remoteAddress ?? 'unknown';
  if (/^Bearer /i.test(header)) {
    return userOf(await ctx.credentials.checkToken(header.slice(7).trim(), address), req, reply, 'invalid, expired or revoked token');
  }
  if (!/^Basic /i.test(header)) throw challenge(req, reply, 'credentials required (HTTP Basic or Bearer token)');
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep < 0) throw challenge(req, reply, 'wrong login or password');
  return userOf(await ctx.credentials.check(decoded.slice(0, sep), decoded.slice(sep + 1), address), req, reply, 'wrong login or password');
}

/**
 * Authenticates the user of `req` (sets {@link currentUser}) or throws 401/429 (403 for a
 * cookie-authenticated state change without its CSRF token). The `Authorization` header wins
 * over the session cookie.
 */
export async function authenticateUser(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<CurrentUser> {
  const header = req.headers.authorization ?? '';
  let user: CurrentUser;
  if (header !== '') {
    user = await fromHeader(header, req, reply, ctx);
  } else {
    const sessionId = sessionCookieOf(req);
    if (sessionId === null) throw challenge(req, reply, 'credentials required (HTTP Basic, Bearer token or session)');
    const found = await ctx.sessions.find(sessionId);
    if (!found) throw new AuthenticationError('Unable to authenticate user: the session ended, log in again', { code: 'session_expired' });
    requireCsrf(req, found);
    user = found;
  }
  (req as unknown as { user: CurrentUser }).user = user;
  return user;
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
