/**
 * @module
 * Parameter schemas (`/api/common_parameters`, `/api/hosts/:host/parameters`,
 * `/api/hostgroups/:hostgroup/parameters`), used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { LooseBooleanSchema } from './bookmark.ts';
import { ListOf } from './list.ts';

/** Body of a parameter create (inside `parameter`/`common_parameter`, or bare). */
export const ParameterCreateSchema = Type.Object({
  name: Type.String({ pattern: '\\S', description: 'Parameter name' }),
  value: Type.Unknown({ description: 'Value; anything but a string is stored as its JSON text' }),
  parameter_type: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  hidden_value: Type.Optional(Type.Union([LooseBooleanSchema, Type.Null()])),
});

/** Body of a parameter update: what it names changes. */
export const ParameterUpdateSchema = Type.Object({
  name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  value: Type.Optional(Type.Unknown()),
  hidden_value: Type.Optional(Type.Union([LooseBooleanSchema, Type.Null()])),
});

/** A parameter as the API shows it (a hidden value as `*****`). */
export const ParameterSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  value: Type.String(),
  parameter_type: Type.String(),
  hidden_value: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** A page of parameters. */
export const ParameterListSchema = ListOf(ParameterSchema);

/** A parameter. */
export type Parameter = Static<typeof ParameterSchema>;
/** Body of a parameter create. */
export type ParameterCreate = Static<typeof ParameterCreateSchema>;
/** Body of a parameter update. */
export type ParameterUpdate = Static<typeof ParameterUpdateSchema>;
/** A page of parameters. */
export type ParameterList = Static<typeof ParameterListSchema>;
