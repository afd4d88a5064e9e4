/**
 * @module
 * `/api/users` and `/api/current_user`. Schema-first (`@remex/common` `api/user.ts`); the queries
 * are in {@link UserStore}, who may do what in `user-rules.ts`. Answers never carry a password
 * hash.
 */
import { NotAllowedError } from '@remex/common';
import { CurrentUserSchema, IdParamsSchema, ListQuerySchema, UserCreateSchema, UserListSchema, UserSchema, UserUpdateSchema } from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';
import { callerOf } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { hashPassword } from './password-hash.ts';
import { checkGrants, checkUserUpdate, holdsUserPermission, requireVisible } from './user-rules.ts';
import type { UserChanges } from './user-store.ts';
import { USER_ORDER, UserStore, changesOf, findUser, showUser } from './user-store.ts';

const TAGS = ['users'];

/** Registers user routes. */
export function registerUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const store = new UserStore(ctx.store.db, ctx.store.dialect);
  const access = { auth: 'user' } as const;

  const visible = async (req: FastifyRequest, ref: string) => {
    const target = await store.find(ref);
    await requireVisible(ctx.store.db, callerOf(req), target, ref);
    return target;
  };

  api.get('/api/current_user', { config: { access }, schema: { tags: TAGS, summary: 'Show the authenticated user', response: { 200: CurrentUserSchema } } }, async (req) => {
    const caller = callerOf(req);
    const row = await findUser(ctx.store.db, String(caller.id));
    return { ...showUser(row), ...(caller.session ? { csrf_token: caller.session.csrfToken } : {}) };
  });

  api.get('/api/users', { config: { access }, schema: { tags: TAGS, summary: 'List users (others than yourself only with view_users)', querystring: ListQuerySchema, response: { 200: UserListSchema } } }, async (req) => {
    const caller = callerOf(req);
    return store.list(listParams(req.query, USER_ORDER), caller, (await holdsUserPermission(ctx.store.db, caller, 'view_users')) ? null : caller.id);
  });

  api.get('/api/users/:id', { config: { access }, schema: { tags: TAGS, summary: 'Show a user', params: IdParamsSchema, response: { 200: UserSchema } } }, async (req) =>
    store.show(String((await visible(req, req.params.id)).id)),
  );

  api.post(
    '/api/users',
    { config: { access }, preValidation: unwrapBody('user'), schema: { tags: TAGS, summary: 'Create a user', body: UserCreateSchema, response: { 201: UserSchema } } },
    async (req, reply) => {
      await checkGrants(ctx.store.db, callerOf(req), req.body);
      checkPlacement(callerOf(req), req.body);
      const changes = changesOf(req.body);
      const user = await store.create({ ...changes, login: req.body.login, password_hash: await hashPassword(req.body.password) }, req.body.role_ids, req.body);
      return reply.status(201).send(user);
    },
  );

  api.put(
    '/api/users/:id',
    { config: { access }, preValidation: unwrapBody('user'), schema: { tags: TAGS, summary: 'Update a user (your own password needs current_password)', params: IdParamsSchema, body: UserUpdateSchema, response: { 200: UserSchema } } },
    async (req) => {
      const caller = callerOf(req);
      const target = await visible(req, req.params.id);
      await checkUserUpdate(ctx.store.db, caller, target, req.body, (password) => ctx.credentials.check(target.login, password, req.socket.remoteAddress ?? 'unknown', { tokens: false }));
      checkPlacement(caller, req.body);
      const changes: UserChanges = changesOf(req.body);
      if (req.body.password !== undefined) changes.password_hash = await hashPassword(req.body.password);
      const user = await store.update(target.id, changes, target.id === caller.id ? (caller.session?.id ?? null) : null, req.body.role_ids, req.body);
      ctx.credentials.forget(target.login);
      return user;
    },
  );

  api.delete('/api/users/:id', { config: { access }, schema: { tags: TAGS, summary: 'Delete a user (not the last admin)', params: IdParamsSchema, response: { 200: UserSchema } } }, async (req) => {
    const target = await store.find(req.params.id);
    const user = await store.delete(target.id);
    ctx.credentials.forget(target.login);
    return user;
  });
}

/**
 * Only admins place users in organizations and locations: taking a user out of them lifts the
 * scope they work in (ADR 0023).
 */
function checkPlacement(caller: { admin: boolean }, body: { organization_ids?: unknown; location_ids?: unknown }): void {
  if (caller.admin) return;
  const field = body.organization_ids !== undefined ? 'organization_ids' : body.location_ids !== undefined ? 'location_ids' : null;
  if (field !== null) throw new NotAllowedError(`Only administrators may set ${field}: it decides which records a user works with`, { code: 'missing_permission' });
}
