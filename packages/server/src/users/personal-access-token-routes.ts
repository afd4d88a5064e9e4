/**
 * @module
 * `/api/users/:user_id/personal_access_tokens`: list, show, create (the token is in the create
 * answer only) and revoke (`DELETE`). A user manages their own tokens; user managers those of
 * anyone. Queries in {@link PersonalAccessTokenStore}.
 */
import {
  ListQuerySchema,
  PersonalAccessTokenCreatedSchema,
  PersonalAccessTokenCreateSchema,
  PersonalAccessTokenListSchema,
  PersonalAccessTokenSchema,
  TokenParamsSchema,
  TokenUserParamsSchema,
} from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';
import { callerOf } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { TOKEN_ORDER } from './personal-access-token-store.ts';
import { requireEditable, requireVisible } from './user-rules.ts';
import { findUser } from './user-store.ts';

const TAGS = ['personal_access_tokens'];
const BASE = '/api/users/:user_id/personal_access_tokens';

/** Registers personal access token routes. */
export function registerPersonalAccessTokenRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const tokens = ctx.tokens;
  const access = { auth: 'user' } as const;

  /** The token owner `ref`: visible to the caller (404), and for changes their own or editable (403). */
  const owner = async (req: FastifyRequest, ref: string, change = false): Promise<number> => {
    const target = await findUser(ctx.store.db, ref);
    await requireVisible(ctx.store.db, callerOf(req), target, ref);
    if (change) await requireEditable(ctx.store.db, callerOf(req), target);
    return target.id;
  };

  api.get(BASE, { config: { access }, schema: { tags: TAGS, summary: "List a user's personal access tokens", params: TokenUserParamsSchema, querystring: ListQuerySchema, response: { 200: PersonalAccessTokenListSchema } } }, async (req) =>
    tokens.list(await owner(req, req.params.user_id), listParams(req.query, TOKEN_ORDER)),
  );

  api.get(`${BASE}/:id`, { config: { access }, schema: { tags: TAGS, summary: 'Show a personal access token', params: TokenParamsSchema, response: { 200: PersonalAccessTokenSchema } } }, async (req) =>
    tokens.show(await tokens.get(await owner(req, req.params.user_id), Number(req.params.id))),
  );

  api.post(
    BASE,
    {
      config: { access },
      preValidation: unwrapBody('personal_access_token'),
      schema: { tags: TAGS, summary: 'Create a personal access token (the answer shows it, once)', params: TokenUserParamsSchema, body: PersonalAccessTokenCreateSchema, response: { 201: PersonalAccessTokenCreatedSchema } },
    },
    async (req, reply) => reply.status(201).send(await tokens.create(await owner(req, req.params.user_id, true), req.body.name, req.body.expires_at)),
  );

  api.delete(`${BASE}/:id`, { config: { access }, schema: { tags: TAGS, summary: 'Revoke a personal access token', params: TokenParamsSchema, response: { 200: PersonalAccessTokenSchema } } }, async (req) =>
    tokens.revoke(await owner(req, req.params.user_id, true), Number(req.params.id)),
  );
}
