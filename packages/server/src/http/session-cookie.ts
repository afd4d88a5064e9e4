/**
 * @module
 * The browser session cookie `remex_session` (ADR 0010): HttpOnly (scripts never see the id),
 * SameSite=Strict (no cross-site request carries it), Path=/, and Secure when the request came
 * over TLS. Also the CSRF check of requests the cookie authenticates.
 */
import { NotAllowedError } from '@remex/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { sameSecret } from '../users/auth-secret.ts';
import type { CurrentUser } from '../users/user-store.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'remex_session';

/** Header carrying the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing and need no CSRF token. */
const SAFE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

/** The session id of the request's `remex_session` cookie, or null. */
export function sessionCookieOf(req: FastifyRequest): string | null {
  const header = req.headers.cookie;
  if (header === undefined || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : null;
    }
  }
  return null;
}

function attributes(req: FastifyRequest): string {
  return `Path=/; HttpOnly; SameSite=Strict${req.protocol === 'https' ? '; Secure' : ''}`;
}

/** Sets the session cookie (a session cookie of the browser; the server ends it by its own expiry). */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, sessionId: string): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=${sessionId}; ${attributes(req)}`);
}

/** Tells the browser to drop the session cookie. */
export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=; ${attributes(req)}; Max-Age=0`);
}

/**
 * Refuses (403) a state-changing request authenticated by the session cookie unless it carries
 * the session's CSRF token in `X-CSRF-Token`.
 */
export function requireCsrf(req: FastifyRequest, user: CurrentUser): void {
  if (user.session === undefined || SAFE_METHODS.includes(req.method)) return;
  const given = req.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !sameSecret(given, user.session.csrfToken)) {
    throw new NotAllowedError('Missing or wrong X-CSRF-Token: requests authenticated by the session cookie must send the token POST /api/login answered', { code: 'csrf_token_invalid' });
  }
}
