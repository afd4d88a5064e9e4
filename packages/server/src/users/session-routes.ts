/**
 * @module
 * `POST /api/login` and `POST /api/logout` (ADR 0010). Both are `public` routes that
 * authenticate themselves: the login checks the password through the same throttled
 * {@link CredentialChecker} as HTTP Basic (passwords only, no tokens) and answers the user, the
 * session's CSRF token and its expiry, setting the `remex_session` cookie; the logout ends the
 * cookie's session (with its CSRF token) and clears the cookie.
 */
import { LoginAnswerSchema, LoginBodySchema, LogoutAnswerSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { userOf } from '../http/auth.ts';
import { typed } from '../http/schema-first.ts';
import { clearSessionCookie, requireCsrf, sessionCookieOf, setSessionCookie } from '../http/session-cookie.ts';
import { findUser, showUser, UserStore } from './user-store.ts';

const TAGS = ['sessions'];

/** Registers the login and logout routes. */
export function registerSessionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const access = { auth: 'public' } as const;
  const users = new UserStore(ctx.store.db, ctx.store.dialect);

  api.post(
    '/api/login',
    { config: { access }, schema: { tags: TAGS, summary: 'Log in: starts a browser session (cookie remex_session) and answers its CSRF token', body: LoginBodySchema, response: { 200: LoginAnswerSchema } } },
    async (req, reply) => {
      const result = await ctx.credentials.check(req.body.login, req.body.password, req.socket.remoteAddress ?? 'unknown', { tokens: false });
      const user = userOf(result, req, reply, 'wrong login or password');
      const previous = sessionCookieOf(req);
      if (previous !== null) {
        const old = await ctx.sessions.find(previous);
        if (old?.session) await ctx.sessions.end(old.session.id);
      }
      const session = await ctx.sessions.create(user.id);
      await users.recordLogin(user.id, new Date(ctx.sessions.now()).toISOString());
      setSessionCookie(req, reply, session.id);
      return { user: showUser(await findUser(ctx.store.db, String(user.id))), csrf_token: session.csrfToken, expires_at: session.expiresAt };
    },
  );

  api.post(
    '/api/logout',
    { config: { access }, schema: { tags: TAGS, summary: "Log out: ends the cookie's session (send X-CSRF-Token) and clears the cookie", response: { 200: LogoutAnswerSchema } } },
    async (req, reply) => {
      const sessionId = sessionCookieOf(req);
      const user = sessionId === null ? null : await ctx.sessions.find(sessionId);
      if (user?.session) {
        requireCsrf(req, user);
        await ctx.sessions.end(user.session.id);
      }
      clearSessionCookie(req, reply);
      return { message: 'Logged out' };
    },
  );
}
