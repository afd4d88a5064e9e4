/**
 * @module
 * `/api/users/:user_id/personal_access_tokens` schemas. The token itself appears once, in the
 * answer of the create (`token_value`); the server keeps only its hash.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** `:user_id` of the nested routes: the user's id or login. */
export const TokenUserParamsSchema = Type.Object({ user_id: Type.String({ minLength: 1, maxLength: 255, description: 'User id or login' }) });

/** `:user_id/:id` of one token. */
export const TokenParamsSchema = Type.Object({
  user_id: Type.String({ minLength: 1, maxLength: 255, description: 'User id or login' }),
  id: Type.String({ pattern: '^[0-9]+$', maxLength: 12, description: 'Token id' }),
});

/** Body of `POST /api/users/:user_id/personal_access_tokens` (inside `personal_access_token`, or bare). */
export const PersonalAccessTokenCreateSchema = Type.Object({
  name: Type.String({ pattern: '\\S', maxLength: 255, description: 'What the token is for' }),
  expires_at: Type.Optional(Type.Union([Type.String({ maxLength: 64, description: 'Expiry (ISO-8601), in the future' }), Type.Null()])),
});

/** A token as the API shows it (never the token or its hash). */
export const PersonalAccessTokenSchema = Type.Object({
  id: Type.Integer(),
  user_id: Type.Integer(),
  name: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  revoked: Type.Boolean(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
  /** Neither revoked nor expired. */
  active: Type.Boolean(),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});

/** Answer of the create: the token, shown this once. */
export const PersonalAccessTokenCreatedSchema = Type.Composite([
  PersonalAccessTokenSchema,
  Type.Object({ token_value: Type.String({ description: 'The token (shown only in this answer): use it as Bearer token or as Basic password' }) }),
]);

/** `GET /api/users/:user_id/personal_access_tokens`. */
export const PersonalAccessTokenListSchema = ListOf(PersonalAccessTokenSchema);

/** A token as the API shows it. */
export type PersonalAccessToken = Static<typeof PersonalAccessTokenSchema>;
/** The create answer, with the token. */
export type PersonalAccessTokenCreated = Static<typeof PersonalAccessTokenCreatedSchema>;
/** Body of a token create. */
export type PersonalAccessTokenCreate = Static<typeof PersonalAccessTokenCreateSchema>;
/** A page of tokens. */
export type PersonalAccessTokenList = Static<typeof PersonalAccessTokenListSchema>;
