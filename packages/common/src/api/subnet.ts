/**
 * @module
 * `/api/subnets` schemas (bodies, answers), used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** A non-blank string (Foreman: "can't be blank"). */
const Required = (description: string) => Type.String({ pattern: '\\S', description });

/** Proxy ids of a subnet (`remote_execution_proxy_ids`). */
const ProxyIds = Type.Array(Type.Union([Type.Integer(), Type.String({ pattern: '^[0-9]+$' })]), { description: 'Ids of the proxies that run jobs for hosts of this subnet' });

/** Body of `POST /api/subnets` (inside `subnet`, or bare). */
export const SubnetCreateSchema = Type.Object({
  name: Required('Subnet name'),
  network: Required('Network address, e.g. 192.168.1.0'),
  mask: Required('Netmask, e.g. 255.255.255.0 or 24'),
  remote_execution_proxy_ids: Type.Optional(ProxyIds),
});

/** Body of `PUT /api/subnets/:id`: any attribute of the create body. */
export const SubnetUpdateSchema = Type.Partial(SubnetCreateSchema);

/** A subnet's stored attributes (the answer of `DELETE`). */
export const SubnetRecordSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  network: Type.String(),
  mask: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** A subnet as the API shows it, with its REX proxies. */
export const SubnetSchema = Type.Composite([
  SubnetRecordSchema,
  Type.Object({
    remote_execution_proxy_ids: Type.Array(Type.Integer()),
    remote_execution_proxies: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  }),
]);

/** `GET /api/subnets`. */
export const SubnetListSchema = ListOf(SubnetSchema);

/** A subnet as the API shows it. */
export type Subnet = Static<typeof SubnetSchema>;
/** A page of subnets. */
export type SubnetList = Static<typeof SubnetListSchema>;
/** Body of a subnet create. */
export type SubnetCreate = Static<typeof SubnetCreateSchema>;
/** Body of a subnet update. */
export type SubnetUpdate = Static<typeof SubnetUpdateSchema>;
/** A subnet's stored attributes. */
export type SubnetRecord = Static<typeof SubnetRecordSchema>;
