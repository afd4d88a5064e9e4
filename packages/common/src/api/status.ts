/**
 * @module
 * `GET /api/status` and `/api/settings` schemas.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** Foreman's status answer. */
export const StatusSchema = Type.Object({ result: Type.Literal('ok'), status: Type.Literal(200), version: Type.String(), api_version: Type.Literal(2) });

/** One remote execution setting, in Foreman's shape (its id is its name, as in Foreman 3). */
export const SettingSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  full_name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  settings_type: Type.Union([Type.Literal('boolean'), Type.Literal('integer'), Type.Literal('string')]),
  value: Type.Unknown(),
  default: Type.Unknown(),
  readonly: Type.Boolean(),
  encrypted: Type.Boolean(),
});

/** Body of `PUT /api/settings/:id` (inside `setting`, or bare). */
export const SettingUpdateSchema = Type.Object({
  value: Type.Union([Type.String(), Type.Integer(), Type.Boolean()], { description: 'New value; booleans and integers also as text' }),
});

/** `GET /api/settings`. */
export const SettingListSchema = ListOf(SettingSchema);

/** The status answer. */
export type Status = Static<typeof StatusSchema>;
/** A setting. */
export type Setting = Static<typeof SettingSchema>;
/** Body of a setting update. */
export type SettingUpdate = Static<typeof SettingUpdateSchema>;
