/**
 * @module
 * `/api/filters` schemas (bodies, answers): a filter grants permissions of one resource type to
 * a role, limited by an optional search in that resource's search language.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';
import { PermissionSchema } from './role.ts';

const Ref = Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 255 })]);

/** Body of `POST /api/filters` (inside `filter`, or bare). */
export const FilterCreateSchema = Type.Object({
  role_id: Type.Union([Type.Integer(), Type.String({ pattern: '^[0-9]+$' })], { description: 'Role the filter belongs to' }),
  permission_ids: Type.Optional(Type.Array(Ref, { maxItems: 100, description: 'Permissions (ids or names), all of one resource type' })),
  permissions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 100, description: 'Permission names (alternative to permission_ids)' })),
  resource_type: Type.Optional(Type.String({ maxLength: 64, description: 'Resource type; defaults to that of the permissions' })),
  search: Type.Optional(Type.Union([Type.String({ maxLength: 4096 }), Type.Null()], { description: "Records the filter grants, in the resource's search language; empty = unlimited" })),
});

/** Body of `PUT /api/filters/:id`: any attribute but the role. */
export const FilterUpdateSchema = Type.Partial(Type.Omit(FilterCreateSchema, ['role_id']));

/** A filter as the API shows it. */
export const FilterSchema = Type.Object({
  id: Type.Integer(),
  resource_type: Type.String(),
  search: Type.Union([Type.String(), Type.Null()]),
  unlimited: Type.Boolean(),
  role: Type.Object({ id: Type.Integer(), name: Type.String() }),
  permissions: Type.Array(PermissionSchema),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/filters`. */
export const FilterListSchema = ListOf(FilterSchema);

/** A filter as the API shows it. */
export type Filter = Static<typeof FilterSchema>;
/** Body of a filter create. */
export type FilterCreate = Static<typeof FilterCreateSchema>;
/** Body of a filter update. */
export type FilterUpdate = Static<typeof FilterUpdateSchema>;
