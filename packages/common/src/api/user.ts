/**
 * @module
 * `/api/users`, `/api/current_user`, `/api/login` schemas (bodies, answers), used by the server's
 * routes, the CLI's client and the web UI. No schema here carries a password hash or a token.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { LooseBooleanSchema } from './bookmark.ts';
import { ListOf } from './list.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const OptionalNullableId = (description: string) => Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description }));

/** A login: letters, digits and `_ . @ -` (Foreman's rule), at most 100 characters. */
export const LoginSchema = Type.String({ pattern: '^[A-Za-z0-9_.@-]+$', maxLength: 100, description: 'Login name' });

/** A password as given by a client (at least 8 characters; bounded, scrypt hashes it). */
export const PasswordSchema = Type.String({ minLength: 8, maxLength: 1024, description: 'Password (at least 8 characters)' });

/** The attributes of a user anyone may change on their own account. */
const OwnAttributes = {
  firstname: Type.Optional(Nullable(Type.String({ maxLength: 255, description: 'First name' }))),
  lastname: Type.Optional(Nullable(Type.String({ maxLength: 255, description: 'Last name' }))),
  mail: Type.Optional(Nullable(Type.String({ maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$', description: 'Mail address' }))),
  locale: Type.Optional(Nullable(Type.String({ maxLength: 16, pattern: '^[a-z]{2,3}([_-][A-Za-z]{2,4})?$', description: 'UI language, e.g. en or pt_BR' }))),
  timezone: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'IANA time zone, e.g. Europe/Prague' }))),
};

/** Attributes only user managers may set (`admin` itself: only admins). */
const AdminAttributes = {
  role_ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000, description: "The user's roles (replaces them all); each role's permissions must be yours without limit" })),
  admin: Type.Optional(LooseBooleanSchema),
  auth_source: Type.Optional(Type.Literal('internal', { description: "Where the password is checked (only 'internal' so far)" })),
  default_organization_id: OptionalNullableId('Organization selected after login'),
  default_location_id: OptionalNullableId('Location selected after login'),
  organization_ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000, description: 'Organizations the user works in (replaces them; admins only). None: not limited by organization' })),
  location_ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000, description: 'Locations the user works in (replaces them; admins only). None: not limited by location' })),
};

/** Body of `POST /api/users` (inside `user`, or bare). */
export const UserCreateSchema = Type.Object({
  login: LoginSchema,
  password: PasswordSchema,
  ...OwnAttributes,
  ...AdminAttributes,
});

/**
 * Body of `PUT /api/users/:id`: any attribute of the create body. A user changing their own
 * password gives `current_password`.
 */
export const UserUpdateSchema = Type.Object({
  login: Type.Optional(LoginSchema),
  password: Type.Optional(PasswordSchema),
  current_password: Type.Optional(Type.String({ maxLength: 1024, description: 'The current password (needed to change your own password)' })),
  ...OwnAttributes,
  ...AdminAttributes,
});

/** A user as the API shows it (never its password hash). */
export const UserSchema = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  firstname: Type.Union([Type.String(), Type.Null()]),
  lastname: Type.Union([Type.String(), Type.Null()]),
  /** Foreman's display name: first and last name, else the login. */
  name: Type.String(),
  mail: Type.Union([Type.String(), Type.Null()]),
  admin: Type.Boolean(),
  auth_source: Type.String(),
  auth_source_name: Type.String(),
  locale: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.Union([Type.String(), Type.Null()]),
  default_organization_id: Type.Union([Type.Integer(), Type.Null()]),
  default_location_id: Type.Union([Type.Integer(), Type.Null()]),
  last_login_on: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Optional(Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() }), { description: "The user's roles" })),
  organization_ids: Type.Optional(Type.Array(Type.Integer(), { description: 'Organizations the user works in' })),
  location_ids: Type.Optional(Type.Array(Type.Integer(), { description: 'Locations the user works in' })),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/users`. */
export const UserListSchema = ListOf(UserSchema);

/** `GET /api/current_user`: the user, and the session's CSRF token when authenticated by the session cookie. */
export const CurrentUserSchema = Type.Composite([UserSchema, Type.Object({ csrf_token: Type.Optional(Type.String({ description: 'CSRF token of the browser session (only with the session cookie)' })) })]);

/** Body of `POST /api/login`. */
export const LoginBodySchema = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 100, description: 'Login name' }),
  password: Type.String({ minLength: 1, maxLength: 1024, description: 'Password' }),
});

/** Answer of `POST /api/login` (the cookie `remex_session` carries the session). */
export const LoginAnswerSchema = Type.Object({
  user: UserSchema,
  csrf_token: Type.String({ description: 'Send it as X-CSRF-Token on every state-changing request authenticated by the cookie' }),
  expires_at: Type.String({ description: 'Absolute expiry of the session (it also ends after being idle)' }),
});

/** Answer of `POST /api/logout`. */
export const LogoutAnswerSchema = Type.Object({ message: Type.String() });

/** A user as the API shows it. */
export type User = Static<typeof UserSchema>;
/** A page of users. */
export type UserList = Static<typeof UserListSchema>;
/** Body of a user create. */
export type UserCreate = Static<typeof UserCreateSchema>;
/** Body of a user update. */
export type UserUpdate = Static<typeof UserUpdateSchema>;
/** The answer of `GET /api/current_user`. */
export type CurrentUserAnswer = Static<typeof CurrentUserSchema>;
/** Body of `POST /api/login`. */
export type LoginBody = Static<typeof LoginBodySchema>;
/** Answer of `POST /api/login`. */
export type LoginAnswer = Static<typeof LoginAnswerSchema>;
