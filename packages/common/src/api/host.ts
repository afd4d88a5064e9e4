/**
 * @module
 * `/api/hosts` schemas, used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { IdRefSchema } from './hostgroup.ts';
import { ListOf } from './list.ts';
import { ParameterSchema } from './parameter.ts';

const Text = Type.Union([Type.String(), Type.Null()]);

/** Attributes of a host create or update (inside `host`, or bare). */
const hostAttributes = {
  ip: Type.Optional(Type.Union([Type.String({ description: 'IPv4 address; blank clears' }), Type.Null()])),
  ip6: Type.Optional(Type.Union([Type.String({ description: 'IPv6 address; blank clears' }), Type.Null()])),
  hostgroup_id: Type.Optional(IdRefSchema),
  hostgroup_name: Type.Optional(Text),
  hostgroup_title: Type.Optional(Text),
  subnet_id: Type.Optional(IdRefSchema),
  operatingsystem_id: Type.Optional(IdRefSchema),
  domain_name: Type.Optional(Text),
  comment: Type.Optional(Text),
  host_parameters_attributes: Type.Optional(Type.Unknown({ description: 'List (or index map) of {name, value}' })),
};

/** Body of `POST /api/hosts`. */
export const HostCreateSchema = Type.Object({ name: Type.String({ pattern: '\\S', description: 'Host name (FQDN)' }), ...hostAttributes });

/** Body of `PUT /api/hosts/:id`. */
export const HostUpdateSchema = Type.Object({ name: Type.Optional(Text), ...hostAttributes });

/** Body of `POST /api/hosts/facts` (Foreman's fact upload). */
export const HostFactsUploadSchema = Type.Object({
  name: Type.String({ pattern: '\\S', description: 'Host name; the host is created when unknown' }),
  facts: Type.Record(Type.String(), Type.Unknown(), { description: 'Fact name → value (nested objects are flattened to a::b)' }),
});

/** A host as lists show it. */
export const HostSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  ip: Text,
  ip6: Text,
  hostgroup_id: Type.Union([Type.Integer(), Type.Null()]),
  hostgroup_name: Text,
  hostgroup_title: Text,
  subnet_id: Type.Union([Type.Integer(), Type.Null()]),
  subnet_name: Text,
  operatingsystem_id: Type.Union([Type.Integer(), Type.Null()]),
  operatingsystem_name: Text,
  domain_name: Text,
  comment: Text,
  execution_status: Type.Integer(),
  execution_status_label: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** A host with its own and its effective parameters (hidden values as `*****`). */
export const HostDetailSchema = Type.Composite([
  HostSchema,
  Type.Object({
    parameters: Type.Array(ParameterSchema),
    all_parameters: Type.Array(Type.Object({ name: Type.String(), value: Type.String() })),
  }),
]);

/** `GET /api/hosts`. */
export const HostListSchema = ListOf(HostSchema);

/** A host. */
export type Host = Static<typeof HostSchema>;
/** A host with its parameters. */
export type HostDetail = Static<typeof HostDetailSchema>;
/** Body of a host create. */
export type HostCreate = Static<typeof HostCreateSchema>;
/** Body of a host update. */
export type HostUpdate = Static<typeof HostUpdateSchema>;
