/**
 * @module
 * The one place where errors become HTTP responses (CONVENTIONS C7).
 */
import type { ErrorResponseBody, RemexErrorName } from '@remex/common';
import { httpStatusOf, isRemexError } from '@remex/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import { HttpStatusError } from './http-status-error.ts';
import { validationMessage } from './validation-message.ts';

function body(name: RemexErrorName, message: string, statusCode: number, code?: string): ErrorResponseBody {
  return { error: { name, message, ...(code === undefined ? {} : { code }) }, response: { statusCode } };
}

/** Maps Remex errors, Fastify validation/parse errors and unexpected errors to the error body. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof HttpStatusError) {
    void reply.status(error.statusCode).headers(error.headers).send(body(error.errorName, error.message, error.statusCode, error.code));
    return;
  }
  if (isRemexError(error)) {
    const name = error.name as RemexErrorName;
    const status = httpStatusOf[name] ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(status).send(body(name, error.message, status, error.code));
    return;
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const context = fe.validationContext ?? 'body';
    const data: unknown = context === 'querystring' ? request.query : context === 'params' ? request.params : context === 'headers' ? undefined : request.body;
    void reply.status(422).send(body('InputError', validationMessage(fe.validation, context, data), 422, 'validation_failed'));
    return;
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const message =
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fe.message) ? `Malformed JSON in request body: ${fe.message}` : fe.message;
    void reply.status(fe.statusCode).send(body('InputError', message, fe.statusCode, fe.code));
    return;
  }
  request.log.error({ err: error }, 'unexpected error');
  void reply.status(500).send(body('InternalError', 'Internal server error', 500));
}

/** 404 for unknown routes, in the same body shape. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send(body('NotFoundError', `Route ${request.method} ${request.url.split('?')[0] ?? ''} not found`, 404));
}
