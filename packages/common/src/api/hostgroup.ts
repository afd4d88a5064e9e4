/**
 * @module
 * `/api/hostgroups` schemas (nested groups, `title` = full path), used by the server's routes
 * and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';
import { ParameterSchema } from './parameter.ts';

/** An optional id as Foreman takes it: a number, a digit string, or null/empty for none. */
export const IdRefSchema = Type.Union([Type.Integer(), Type.String({ pattern: '^[0-9]*$' }), Type.Null()]);

/** The id an {@link IdRefSchema} value names (null for none). */
export function idRef(value: Static<typeof IdRefSchema>): number | null {
  return value === null || value === '' ? null : Number(value);
}

/** Parameters given with a hostgroup: a list of `{name, value}` or a map of them (Rails nested attributes). */
const ParameterAttributes = Type.Unknown({ description: 'List (or index map) of {name, value}' });

/** Body of `POST /api/hostgroups` (inside `hostgroup`, or bare). */
export const HostgroupCreateSchema = Type.Object({
  name: Type.String({ pattern: '\\S', description: "Group name (no '/'; nest with parent_id)" }),
  parent_id: Type.Optional(IdRefSchema),
  group_parameters_attributes: Type.Optional(ParameterAttributes),
  hostgroup_parameters_attributes: Type.Optional(ParameterAttributes),
});

/** Body of `PUT /api/hostgroups/:id`. */
export const HostgroupUpdateSchema = Type.Object({
  name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  parent_id: Type.Optional(IdRefSchema),
  group_parameters_attributes: Type.Optional(ParameterAttributes),
});

/** A hostgroup as lists show it. */
export const HostgroupSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  title: Type.String(),
  parent_id: Type.Union([Type.Integer(), Type.Null()]),
  parent_name: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** A hostgroup with its own parameters (`GET /api/hostgroups/:id`). */
export const HostgroupDetailSchema = Type.Composite([HostgroupSchema, Type.Object({ parameters: Type.Array(ParameterSchema) })]);

/** `GET /api/hostgroups`. */
export const HostgroupListSchema = ListOf(HostgroupSchema);

/** A hostgroup. */
export type Hostgroup = Static<typeof HostgroupSchema>;
/** A hostgroup with its parameters. */
export type HostgroupDetail = Static<typeof HostgroupDetailSchema>;
/** Body of a hostgroup create. */
export type HostgroupCreate = Static<typeof HostgroupCreateSchema>;
/** Body of a hostgroup update. */
export type HostgroupUpdate = Static<typeof HostgroupUpdateSchema>;
/** A page of hostgroups. */
export type HostgroupList = Static<typeof HostgroupListSchema>;
