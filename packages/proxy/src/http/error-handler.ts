/**
 * @module
 * The one place where errors become HTTP answers ({@link ErrorResponseBody}): Remex errors by
 * their class, Fastify's own 4xx (unparsable JSON, too large, …) as `InputError`, schema
 * violations as 422, everything else as a logged 500 without details.
 */
import {
  AuthenticationError,
  type ErrorResponseBody,
  httpStatusOf,
  isRemexError,
  type RemexErrorName,
  NotFoundError,
} from '@remex/common';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

function send(reply: FastifyReply, statusCode: number, name: string, message: string, code?: string): FastifyReply {
  const body: ErrorResponseBody = { error: { name, message, ...(code ? { code } : {}) }, response: { statusCode } };
  return reply.status(statusCode).type('application/json').send(body);
}

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: unknown, request, reply) => {
    if (isRemexError(thrown)) {
      const error = thrown;
      if (error instanceof AuthenticationError) void reply.header('www-authenticate', 'Remex-HMAC');
      const status = httpStatusOf[error.name as RemexErrorName] ?? 500;
      return send(reply, status, error.name, error.message, error.code);
    }
    const error = thrown as Partial<FastifyError> & { message: string };
    if (error.validation) {
      return send(reply, 422, 'InputError', `Invalid request: ${error.message}`, 'invalid_request');
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) return send(reply, status, 'InputError', String(error.message), error.code);
    request.log.error({ err: error }, 'request failed');
    return send(reply, 500, 'InternalError', 'Internal proxy error');
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new NotFoundError(`No route ${request.method} ${request.url}`);
    return send(reply, 404, error.name, error.message);
  });
}
