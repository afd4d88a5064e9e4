/**
 * @module
 * The one place where errors become HTTP responses (CONVENTIONS C7); the mapping itself is
 * `@remex/common`'s `errorAnswer`, shared with the proxy.
 */
import { errorAnswer, errorBody, routeNotFoundAnswer, VALIDATION_FAILED } from '@remex/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import { HttpStatusError } from './http-status-error.ts';
import { validationMessage } from './validation-message.ts';

/** Maps Remex errors, Fastify validation/parse errors and unexpected errors to the error body. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof HttpStatusError) {
    void reply.status(error.statusCode).headers(error.headers).send(errorBody(error.errorName, error.message, error.statusCode, error.code));
    return;
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    // Schema-first routes: the message names the field as the hand-written checks did.
    const context = fe.validationContext ?? 'body';
    const data: unknown = context === 'querystring' ? request.query : context === 'params' ? request.params : context === 'headers' ? undefined : request.body;
    void reply.status(422).send(errorBody('InputError', validationMessage(fe.validation, context, data), 422, VALIDATION_FAILED));
    return;
  }
  const answer = errorAnswer(error, 'Internal server error');
  if (answer.log) request.log.error({ err: error }, 'request failed');
  void reply.status(answer.status).send(answer.body);
}

/** 404 for unknown routes, in the same body shape. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const answer = routeNotFoundAnswer(request.method, request.url);
  void reply.status(answer.status).send(answer.body);
}
