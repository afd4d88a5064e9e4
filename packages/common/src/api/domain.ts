/**
 * @module
 * `/api/domains` schemas (Foreman's DNS domains), used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** Body of `POST`/`PUT /api/domains` (inside `domain`, or bare). */
export const DomainBodySchema = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9.-]*$', description: 'DNS domain, e.g. example.com' })),
  fullname: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()], { description: 'Description' })),
});

/** A domain as the API shows it. */
export const DomainSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  fullname: Type.Union([Type.String(), Type.Null()]),
  hosts_count: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/domains`. */
export const DomainListSchema = ListOf(DomainSchema);

/** A domain. */
export type Domain = Static<typeof DomainSchema>;
/** Body of a domain create or update. */
export type DomainBody = Static<typeof DomainBodySchema>;
/** A page of domains. */
export type DomainList = Static<typeof DomainListSchema>;
