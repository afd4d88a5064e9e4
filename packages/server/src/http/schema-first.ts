/**
 * @module
 * Schema-first routes: the TypeBox type provider (Fastify validates params, query and body
 * against the route's schema, handlers get their types from it, answers are serialized through
 * the response schema) and the unwrapping of Foreman's `{"subnet": {...}}` bodies before the
 * validation.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';

import { unwrap } from './params.ts';

/** `app` with the TypeBox type provider. */
export function typed(app: FastifyInstance) {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}

/**
 * A `preValidation` hook that accepts Foreman's wrapped body (`{"key": {...}}`) and the bare
 * object, and leaves the attributes for the schema to validate.
 * @param key - resource key (`subnet`, `host`, …)
 */
export function unwrapBody(key: string): preValidationAsyncHookHandler {
  return async function (this: FastifyInstance, req: FastifyRequest): Promise<void> {
    req.body = unwrap(req.body, key);
    await Promise.resolve();
  };
}
