/**
 * @module
 * The one place where errors become HTTP answers: the mapping is `@remex/common`'s `errorAnswer`
 * (shared with the server); the proxy adds its `WWW-Authenticate` scheme to a 401 and hides the
 * details of a 500.
 */
import { AuthenticationError, type ErrorAnswer, errorAnswer, routeNotFoundAnswer } from '@remex/common';
import type { FastifyInstance, FastifyReply } from 'fastify';

function send(reply: FastifyReply, answer: ErrorAnswer): FastifyReply {
  return reply.status(answer.status).type('application/json').send(answer.body);
}

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: unknown, request, reply) => {
    if (thrown instanceof AuthenticationError) void reply.header('www-authenticate', 'Remex-HMAC');
    const answer = errorAnswer(thrown, 'Internal proxy error');
    if (answer.log) request.log.error({ err: thrown }, 'request failed');
    return send(reply, answer);
  });
  app.setNotFoundHandler((request, reply) => send(reply, routeNotFoundAnswer(request.method, request.url)));
}
