/**
 * @module
 * `/api/smart_proxies` schemas, used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** Body of `POST /api/smart_proxies` (inside `smart_proxy`, or bare). */
export const SmartProxyCreateSchema = Type.Object({
  name: Type.String({ pattern: '\\S', description: 'Proxy name (the one its credential was issued for)' }),
  url: Type.String({ pattern: '\\S', description: 'Base URL of the proxy' }),
});

/** Body of `PUT /api/smart_proxies/:id` (inside `smart_proxy`, or bare): a new name and/or URL. */
export const SmartProxyUpdateSchema = Type.Object({
  name: Type.Optional(Type.String({ pattern: '\\S', maxLength: 255, description: 'New proxy name' })),
  url: Type.Optional(Type.String({ pattern: '\\S', description: 'New base URL of the proxy (it must prove the credential there)' })),
});

/** Body of `POST /api/smart_proxies/credentials`. */
export const SmartProxyCredentialRequestSchema = Type.Object({ name: Type.String({ pattern: '\\S', description: 'Proxy name' }) });

/** Answer of `POST /api/smart_proxies/credentials`: the credential, shown once. */
export const SmartProxyCredentialSchema = Type.Object({ name: Type.String(), credential: Type.String() });

/** A smart proxy as the API shows it (never its credential). */
export const SmartProxySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Type.String(),
  features: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  remote_execution_pubkey: Type.Union([Type.String(), Type.Null()]),
  credential_configured: Type.Boolean(),
  /** SHA-256 fingerprint of the HTTPS certificate pinned at registration; `null` for plain HTTP. */
  tls_fingerprint: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/smart_proxies/:id/status`: the proxy asked now. */
export const SmartProxyStatusSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  reachable: Type.Boolean({ description: 'It answered, proving its credential' }),
  latency_ms: Type.Union([Type.Integer(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  features: Type.Array(Type.String()),
  running: Type.Union([Type.Integer(), Type.Null()], { description: 'Tasks it runs now' }),
  queued: Type.Union([Type.Integer(), Type.Null()], { description: 'Tasks it holds waiting for a session slot' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why it is not reachable' }),
});

/** `GET /api/smart_proxies`. */
export const SmartProxyListSchema = ListOf(
  Type.Composite([
    SmartProxySchema,
    Type.Object({
      status: Type.Optional(Type.Union([SmartProxyStatusSchema, Type.Null()], { description: 'Live status (cached up to 10 s)' })),
    }),
  ]),
);

/** A smart proxy. */
export type SmartProxy = Static<typeof SmartProxySchema>;
/** A page of smart proxies. */
export type SmartProxyList = Static<typeof SmartProxyListSchema>;
/** Body of a proxy registration. */
export type SmartProxyCreate = Static<typeof SmartProxyCreateSchema>;
/** Body of a proxy update. */
export type SmartProxyUpdate = Static<typeof SmartProxyUpdateSchema>;
/** A newly issued proxy credential (shown once). */
export type SmartProxyCredential = Static<typeof SmartProxyCredentialSchema>;



/** A proxy's status. */
export type SmartProxyStatus = Static<typeof SmartProxyStatusSchema>;
