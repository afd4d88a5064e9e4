/**
 * @module
 * `/api/hosts` schemas, used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { IdRefSchema } from './hostgroup.ts';
import { ListEnvelope, ListOf } from './list.ts';
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
  domain_id: Type.Optional(Type.Union([IdRefSchema, Type.Null()], { description: 'Its domain (its name becomes domain_name)' })),
  comment: Type.Optional(Text),
  organization_id: Type.Optional(Type.Union([IdRefSchema, Type.Null()], { description: 'Its organization (null: in all of them)' })),
  location_id: Type.Optional(Type.Union([IdRefSchema, Type.Null()], { description: 'Its location (null: in all of them)' })),
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
  domain_id: Type.Union([Type.Integer(), Type.Null()]),
  comment: Text,
  organization_id: Type.Union([Type.Integer(), Type.Null()]),
  location_id: Type.Union([Type.Integer(), Type.Null()]),
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
    all_parameters: Type.Array(
      Type.Object({
        name: Type.String(),
        value: Type.String(),
        associated_type: Type.Optional(Type.String({ description: 'Where the value comes from: global, organization, location, domain, os, host group or host' })),
      }),
    ),
  }),
]);

/** `GET /api/hosts`. */
export const HostListSchema = ListOf(HostSchema);

/**
 * `GET /api/hosts/:id/facts`: Foreman answers the facts as `{ host_name: { fact: value } }`
 * inside the list envelope.
 */
export const HostFactListSchema = ListEnvelope(Type.Record(Type.String(), Type.Record(Type.String(), Type.String()), { description: 'Host name → fact name → value' }));

/** One row of `POST /api/hosts/import`. */
export const HostImportRowSchema = Type.Object({
  name: Type.String({ description: 'Host name (FQDN)' }),
  ip: Type.Optional(Type.Union([Type.String({ description: 'IPv4 address' }), Type.Null()])),
  hostgroup: Type.Optional(Type.Union([Type.String({ description: "Hostgroup title ('a/b'); created when missing" }), Type.Null()])),
  parameters: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown(), { description: 'Parameter name → value' }), Type.Null()])),
});

/** Most rows one `POST /api/hosts/import` takes. */
export const MAX_IMPORT_ROWS = 20_000;

/** Body of `POST /api/hosts/import`. */
export const HostImportSchema = Type.Object({ hosts: Type.Array(HostImportRowSchema, { maxItems: MAX_IMPORT_ROWS }) });

/**
 * Answer of `POST /api/hosts/import`. `errors` is always empty: one bad row rejects the whole
 * request (422 naming every bad row); it stays for clients that read it.
 */
export const HostImportResultSchema = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  errors: Type.Array(Type.Object({ name: Type.String(), message: Type.String() })),
});

/** Answer of `POST /api/hosts/:id/reset_host_key`: what each proxy forgot. */
export const HostKeyResetSchema = Type.Object({
  host: Type.String(),
  addresses: Type.Array(Type.String()),
  port: Type.Integer(),
  proxies: Type.Array(Type.Object({ name: Type.String(), forgotten: Type.Integer({ description: 'Stored keys dropped' }), error: Type.Union([Type.String(), Type.Null()]) })),
});

/** A host. */
export type Host = Static<typeof HostSchema>;
/** Answer of a host key reset. */
export type HostKeyReset = Static<typeof HostKeyResetSchema>;
/** A host with its parameters. */
export type HostDetail = Static<typeof HostDetailSchema>;
/** Body of a host create. */
export type HostCreate = Static<typeof HostCreateSchema>;
/** Body of a host update. */
export type HostUpdate = Static<typeof HostUpdateSchema>;
/** A page of hosts. */
export type HostList = Static<typeof HostListSchema>;
/** The facts of a host as `GET /api/hosts/:id/facts` answers them. */
export type HostFactList = Static<typeof HostFactListSchema>;
/** Body of `POST /api/hosts/facts`. */
export type HostFactsUpload = Static<typeof HostFactsUploadSchema>;
/** Body of a host import. */
export type HostImport = Static<typeof HostImportSchema>;
/** Answer of a host import. */
export type HostImportResult = Static<typeof HostImportResultSchema>;
