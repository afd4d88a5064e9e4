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

/** A `preValidation` hook that reads a request without a body as an empty one (a POST whose parameters are all optional). */
export const emptyBodyAllowed: preValidationAsyncHookHandler = async (req) => {
  req.body ??= {};
  await Promise.resolve();
};

/** The key of each hook made by {@link unwrapBody}, for the API descriptions. */
const wrapKeys = new WeakMap<object, string>();

/**
 * A `preValidation` hook that accepts Foreman's wrapped body (`{"key": {...}}`) and the bare
 * object, and leaves the attributes for the schema to validate.
 * @param key - resource key (`subnet`, `host`, …)
 */
export function unwrapBody(key: string): preValidationAsyncHookHandler {
  const hook = async function (this: FastifyInstance, req: FastifyRequest): Promise<void> {
    req.body = unwrap(req.body, key);
    await Promise.resolve();
  };
  wrapKeys.set(hook, key);
  return hook;
}

/**
 * The key a route's body may be wrapped in (`subnet` for `{"subnet": {...}}`), read from its
 * `preValidation` hooks; undefined when the route unwraps no body.
 * @param preValidation - the route option as Fastify's `onRoute` hook sees it
 */
export function wrapKeyOf(preValidation: unknown): string | undefined {
  const hooks: unknown[] = Array.isArray(preValidation) ? preValidation : [preValidation];
  for (const hook of hooks) {
    const key = typeof hook === 'function' ? wrapKeys.get(hook) : undefined;
    if (key !== undefined) return key;
  }
  return undefined;
}
