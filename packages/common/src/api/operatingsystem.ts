/**
 * @module
 * `/api/operatingsystems` schemas, used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

const Text = Type.Union([Type.String(), Type.Null()]);
const Version = Type.Union([Type.String(), Type.Number(), Type.Null()]);

/**
 * Body of `POST`/`PUT /api/operatingsystems` (inside `operatingsystem`, or bare). A create needs
 * `name` and `major` (checked by the server with Foreman's messages); an update changes what it names.
 */
export const OperatingsystemCreateSchema = Type.Object({
  name: Type.Optional(Type.Union([Type.String({ description: 'Name without spaces, e.g. Debian' }), Type.Null()])),
  major: Type.Optional(Version),
  minor: Type.Optional(Version),
  family: Type.Optional(Text),
});

/** An operating system as the API shows it. */
export const OperatingsystemSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  major: Type.String(),
  minor: Type.String(),
  family: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  fullname: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/operatingsystems`. */
export const OperatingsystemListSchema = ListOf(OperatingsystemSchema);

/** An operating system. */
export type Operatingsystem = Static<typeof OperatingsystemSchema>;
/** Body of an operating system create or update. */
export type OperatingsystemCreate = Static<typeof OperatingsystemCreateSchema>;
/** A page of operating systems. */
export type OperatingsystemList = Static<typeof OperatingsystemListSchema>;
