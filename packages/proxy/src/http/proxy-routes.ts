/**
 * @module
 * The proxy API of the wire contract (`@remex/common` `proxy-contract.ts`):
 * `GET /features` and `GET /ssh/pubkey` (no auth), `POST /tasks/launch`,
 * `POST /tasks/:id/cancel` and `GET /tasks/count` (bearer token).
 */
import {
  type CancelResponse,
  CancelResponseSchema,
  type LaunchRequest,
  LaunchRequestSchema,
  type LaunchResponse,
  LaunchResponseSchema,
  PROXY_API_VERSION,
  PROXY_PRODUCT,
  type ProxyFeatures,
  ProxyFeaturesSchema,
  REMEX_VERSION,
  type TaskCount,
  TaskCountSchema,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { TaskRunner } from '../tasks/task-runner.ts';
import { bearerAuth } from './bearer-auth.ts';

/** What the routes need. */
export interface ProxyRoutesOptions {
  name: string;
  token: string;
  publicKey: string;
  providers: string[];
  runner: TaskRunner;
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
  app.get('/features', { schema: { response: { 200: ProxyFeaturesSchema } } }, () => features);
  app.get('/ssh/pubkey', (_request, reply) => reply.type('text/plain; charset=utf-8').send(`${o.publicKey}\n`));

  const onRequest = bearerAuth(o.token);
  app.post(
    '/tasks/launch',
    { onRequest, schema: { body: LaunchRequestSchema, response: { 200: LaunchResponseSchema } } },
    (request): LaunchResponse => {
      const body = request.body as LaunchRequest;
      return { accepted: o.runner.launch(body.tasks) };
    },
  );
  app.post(
    '/tasks/:id/cancel',
    {
      onRequest,
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
  app.get('/tasks/count', { onRequest, schema: { response: { 200: TaskCountSchema } } }, (): TaskCount => o.runner.counts());
}
