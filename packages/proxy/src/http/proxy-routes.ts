/**
 * @module
 * The proxy API of the wire contract (`@remex/common` `proxy-contract.ts`):
 * `GET /features` and `GET /ssh/pubkey` (public), `POST /tasks/launch`,
 * `POST /tasks/:id/cancel` and `GET /tasks/count` (signed by the server, `server-auth.ts`).
 */
import {
  type CancelResponse,
  CancelResponseSchema,
  type ForgetHostKeyRequest,
  ForgetHostKeyRequestSchema,
  type ForgetHostKeyResponse,
  ForgetHostKeyResponseSchema,
  type LaunchRequest,
  LaunchRequestSchema,
  type LaunchResponse,
  LaunchResponseSchema,
  PROXY_API_VERSION,
  PROXY_PRODUCT,
  type ProxyCredential,
  type ProxyFeatures,
  ProxyFeaturesSchema,
  REMEX_VERSION,
  type TaskCount,
  TaskCountSchema,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { TaskRunner } from '../tasks/task-runner.ts';
import { routeAuth } from './server-auth.ts';

/** What the routes need. */
export interface ProxyRoutesOptions {
  name: string;
  /** This proxy's credential (the routes' auth is installed by `proxy-app.ts`). */
  credential: ProxyCredential;
  publicKey: string;
  providers: string[];
  runner: TaskRunner;
  /**
   * SHA-256 fingerprint of the listener's certificate, `null` over plain HTTP: part of the signed
   * `GET /tasks/count` answer, so the server can tell the certificate it sees is this proxy's.
   */
  tlsFingerprint?: string | null;
  /** Forgets the trusted key of `[address]:port` (true when one was stored). */
  forgetHostKey?: (address: string, port: number) => boolean;
}

/** Registers the proxy API on `app`. */
export function registerProxyRoutes(app: FastifyInstance, o: ProxyRoutesOptions): void {
  const features: ProxyFeatures = {
    product: PROXY_PRODUCT,
    version: REMEX_VERSION,
    api_version: PROXY_API_VERSION,
    features: ['script', 'ssh'],
    providers: o.providers,
    name: o.name,
  };
  app.get('/features', { ...routeAuth('public'), schema: { response: { 200: ProxyFeaturesSchema } } }, () => features);
  app.get('/ssh/pubkey', { ...routeAuth('public') }, (_request, reply) => reply.type('text/plain; charset=utf-8').send(`${o.publicKey}\n`));

  app.post(
    '/tasks/launch',
    { ...routeAuth('server'), schema: { body: LaunchRequestSchema, response: { 200: LaunchResponseSchema } } },
    (request): LaunchResponse => {
      const body = request.body as LaunchRequest;
      return { accepted: o.runner.launch(body.tasks) };
    },
  );
  app.post(
    '/tasks/:id/cancel',
    {
      ...routeAuth('server'),
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
        response: { 200: CancelResponseSchema },
      },
    },
    (request): CancelResponse => {
      const { id } = request.params as { id: number };
      return { cancelled: o.runner.cancel(id) };
    },
  );
  app.get('/tasks/count', { ...routeAuth('server'), schema: { response: { 200: TaskCountSchema } } }, (): TaskCount => ({ ...o.runner.counts(), tls_fingerprint: o.tlsFingerprint ?? null }));
  // After a legitimate re-key: the next connection trusts the key the host presents (TOFU again).
  app.post(
    '/host_keys/forget',
    { ...routeAuth('server'), schema: { body: ForgetHostKeyRequestSchema, response: { 200: ForgetHostKeyResponseSchema } } },
    (request): ForgetHostKeyResponse => {
      const { addresses, port } = request.body as ForgetHostKeyRequest;
      return { forgotten: addresses.filter((a) => o.forgetHostKey?.(a, port) === true).length };
    },
  );
}
