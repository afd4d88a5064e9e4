/**
 * @module
 * `/api/organizations` and `/api/locations` schemas (Foreman's taxonomies, ADR 0023), used by
 * the server's routes and the CLI's client. Both kinds have the same shape.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

const Ids = (what: string) => Type.Optional(Type.Array(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]+$' })]), { maxItems: 10_000, description: `Ids of the ${what} in it (replace the current ones)` }));

/** Body of `POST`/`PUT /api/organizations|locations` (inside `organization`/`location`, or bare). */
export const TaxonomyBodySchema = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Name; no /' })),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 4096 }), Type.Null()])),
  parent_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]+$' }), Type.Null()], { description: 'Parent of the same kind (nesting)' })),
  hostgroup_ids: Ids('host groups'),
  subnet_ids: Ids('subnets'),
  smart_proxy_ids: Ids('smart proxies'),
  job_template_ids: Ids('job templates'),
  user_ids: Ids('users'),
});

/** An organization or location as the API shows it. */
export const TaxonomySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  title: Type.String({ description: 'The path of names from the root, e.g. Europe/Berlin' }),
  description: Type.Union([Type.String(), Type.Null()]),
  parent_id: Type.Union([Type.Integer(), Type.Null()]),
  ancestry: Type.Union([Type.String(), Type.Null()], { description: "Ids of the ancestors, '/'-separated (Foreman)" }),
  hosts_count: Type.Integer(),
  hostgroup_ids: Type.Array(Type.Integer()),
  subnet_ids: Type.Array(Type.Integer()),
  smart_proxy_ids: Type.Array(Type.Integer()),
  job_template_ids: Type.Array(Type.Integer()),
  user_ids: Type.Array(Type.Integer()),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/organizations|locations`. */
export const TaxonomyListSchema = ListOf(TaxonomySchema);

/** An organization or location. */
export type Taxonomy = Static<typeof TaxonomySchema>;
/** Body of a taxonomy create or update. */
export type TaxonomyBody = Static<typeof TaxonomyBodySchema>;
/** A page of taxonomies. */
export type TaxonomyList = Static<typeof TaxonomyListSchema>;
