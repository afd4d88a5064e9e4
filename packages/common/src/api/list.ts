/**
 * @module
 * Schemas shared by every resource of the API: the list query, the list envelope, id paths.
 */
import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

/**
 * `page`, `per_page`, `search`, `order` of a list (values checked by the server's `listParams`),
 * and `thin` (results cut to id and name, by the server's `thin.ts`).
 */
export const ListQuerySchema = Type.Object({
  page: Type.Optional(Type.String({ description: 'Page number, from 1' })),
  per_page: Type.Optional(Type.String({ description: "Results per page, or 'all'" })),
  search: Type.Optional(Type.String({ description: 'scoped_search query' })),
  order: Type.Optional(Type.String({ description: "'field ASC' or 'field DESC'" })),
  thin: Type.Optional(Type.String({ description: "'true': only the id and name of each result" })),
  organization_id: Type.Optional(Type.String({ description: 'Only records of this organization (Foreman taxonomy context)' })),
  location_id: Type.Optional(Type.String({ description: 'Only records of this location (Foreman taxonomy context)' })),
});

/** `:id` of a resource: its id or its name. */
export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, description: 'Id or name' }) });

/** Foreman's list envelope around `results` (an array for most lists, an object for facts). */
export function ListEnvelope<T extends TSchema>(results: T) {
  return Type.Object({
    total: Type.Integer(),
    subtotal: Type.Integer(),
    page: Type.Integer(),
    per_page: Type.Integer(),
    search: Type.Union([Type.String(), Type.Null()]),
    sort: Type.Object({ by: Type.Union([Type.String(), Type.Null()]), order: Type.Union([Type.String(), Type.Null()]) }),
    results,
  });
}

/** Foreman's list envelope around `item`. */
export function ListOf<T extends TSchema>(item: T) {
  return ListEnvelope(Type.Array(item));
}
