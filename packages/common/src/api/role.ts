/**
 * @module
 * `/api/roles` and `/api/permissions` schemas (bodies, answers), used by the server's routes
 * and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** A permission of the catalog (Foreman's name and resource type). */
export const PermissionSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  resource_type: Type.String(),
});

/** `GET /api/permissions`. */
export const PermissionListSchema = ListOf(PermissionSchema);

/** Body of `POST /api/roles` (inside `role`, or bare). */
export const RoleCreateSchema = Type.Object({
  name: Type.String({ pattern: '\\S', maxLength: 255, description: 'Role name (unique)' }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
});

/** Body of `PUT /api/roles/:id`. */
export const RoleUpdateSchema = Type.Partial(RoleCreateSchema);

/** Body of `POST /api/roles/:id/clone` (inside `role`, or bare): the new role's name. */
export const RoleCloneSchema = RoleCreateSchema;

/** A role as the API shows it. */
export const RoleSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  builtin: Type.Boolean(),
  locked: Type.Boolean(),
  description: Type.Union([Type.String(), Type.Null()]),
  origin: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** A role with its filters (`GET /api/roles/:id`). */
export const RoleDetailSchema = Type.Composite([
  RoleSchema,
  Type.Object({ filters: Type.Array(Type.Object({ id: Type.Integer(), resource_type: Type.String(), search: Type.Union([Type.String(), Type.Null()]), permissions: Type.Array(PermissionSchema) })) }),
]);

/** `GET /api/roles`. */
export const RoleListSchema = ListOf(RoleSchema);

/** A permission as the API shows it. */
export type PermissionItem = Static<typeof PermissionSchema>;
/** A role as the API shows it. */
export type Role = Static<typeof RoleSchema>;
/** A role with its filters. */
export type RoleDetail = Static<typeof RoleDetailSchema>;
/** Body of a role create. */
export type RoleCreate = Static<typeof RoleCreateSchema>;
/** Body of a role update. */
export type RoleUpdate = Static<typeof RoleUpdateSchema>;
