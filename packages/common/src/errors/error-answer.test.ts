import { describe, expect, it } from 'vitest';

import { errorAnswer, routeNotFoundAnswer, VALIDATION_FAILED } from './error-answer.ts';
import { AuthenticationError, InputError, InternalError, NotFoundError } from './errors.ts';

describe('errorAnswer', () => {
  it('maps Remex errors by class, with their code, and logs only 5xx', () => {
    expect(errorAnswer(new InputError('bad name', { code: 'bad_name' }))).toEqual({
      status: 422,
      body: { error: { name: 'InputError', message: 'bad name', code: 'bad_name' }, response: { statusCode: 422 } },
      log: false,
    });
    expect(errorAnswer(new NotFoundError('no host'))).toMatchObject({ status: 404, body: { error: { name: 'NotFoundError', message: 'no host' } }, log: false });
    expect(errorAnswer(new AuthenticationError('who'))).toMatchObject({ status: 401, log: false });
    expect(errorAnswer(new InternalError('db down'))).toMatchObject({ status: 500, body: { error: { message: 'db down' } }, log: true });
  });

  it('maps a schema violation to a 422 validation_failed', () => {
    const fastifyLike = Object.assign(new Error('body/name must be string'), { validation: [{}], statusCode: 400, code: 'FST_ERR_VALIDATION' });
    expect(errorAnswer(fastifyLike)).toEqual({
      status: 422,
      body: { error: { name: 'InputError', message: 'Invalid request: body/name must be string', code: VALIDATION_FAILED }, response: { statusCode: 422 } },
      log: false,
    });
  });

  it('keeps a framework 4xx status and names malformed JSON', () => {
    const json = Object.assign(new Error("Body is not valid JSON but content-type is set to 'application/json'"), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(errorAnswer(json)).toMatchObject({ status: 400, body: { error: { name: 'InputError', message: expect.stringMatching(/^Malformed JSON in request body: /), code: 'FST_ERR_CTP_INVALID_JSON_BODY' } } });
    const large = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(errorAnswer(large)).toMatchObject({ status: 413, body: { error: { message: 'Request body is too large' } }, log: false });
  });

  it('hides everything else behind a logged 500 with the given message', () => {
    for (const thrown of [new TypeError('secret detail at /etc/x'), 'a string', null, Object.assign(new Error('x'), { statusCode: 503 })]) {
      const answer = errorAnswer(thrown, 'Internal proxy error');
      expect(answer).toEqual({ status: 500, body: { error: { name: 'InternalError', message: 'Internal proxy error' }, response: { statusCode: 500 } }, log: true });
    }
  });

  it('answers unknown routes with a 404 that does not echo the query string', () => {
    expect(routeNotFoundAnswer('GET', '/nope?token=abc').body.error.message).toBe('Route GET /nope not found');
  });
});
