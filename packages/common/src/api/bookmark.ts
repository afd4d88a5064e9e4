/**
 * @module
 * `/api/bookmarks` schemas (saved searches), used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** Foreman's loose booleans: true/false, 1/0, "true"/"false", "1"/"0". */
export const LooseBooleanSchema = Type.Union([Type.Boolean(), Type.Literal(0), Type.Literal(1), Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')]);

/** Body of `POST /api/bookmarks` (inside `bookmark`, or bare). */
export const BookmarkCreateSchema = Type.Object({
  name: Type.String({ pattern: '\\S', maxLength: 255, description: 'Bookmark name' }),
  controller: Type.String({ pattern: '\\S', description: 'The searched resource, e.g. hosts, job_invocations' }),
  query: Type.String({ pattern: '\\S', description: 'scoped_search query' }),
  public: Type.Optional(LooseBooleanSchema),
});

/** Body of `PUT /api/bookmarks/:id`: a blank or null attribute keeps its value. */
export const BookmarkUpdateSchema = Type.Object({
  name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  controller: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  query: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  public: Type.Optional(Type.Union([LooseBooleanSchema, Type.Null()])),
});

/** A bookmark as the API shows it. */
export const BookmarkSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  controller: Type.String(),
  query: Type.String(),
  public: Type.Boolean(),
  owner_id: Type.Union([Type.Integer(), Type.Null()]),
  owner_type: Type.Union([Type.Literal('User'), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/bookmarks`. */
export const BookmarkListSchema = ListOf(BookmarkSchema);

/** A bookmark as the API shows it. */
export type Bookmark = Static<typeof BookmarkSchema>;
/** A page of bookmarks. */
export type BookmarkList = Static<typeof BookmarkListSchema>;
/** Body of a bookmark create. */
export type BookmarkCreate = Static<typeof BookmarkCreateSchema>;
/** Body of a bookmark update. */
export type BookmarkUpdate = Static<typeof BookmarkUpdateSchema>;

/** The boolean a {@link LooseBooleanSchema} value stands for. */
export function looseBoolean(value: Static<typeof LooseBooleanSchema>): boolean {
  return value === true || value === 1 || value === 'true' || value === '1';
}
