/**
 * @module
 * A request whose handler throws (synchronously, by a rejected promise, or with a non-Error)
 * becomes a 500 `InternalError` answer without details, and the server keeps serving: a single
 * bad request never takes the process down (the process-level safety net of `remex up` is only
 * for errors outside any request).
 */
import { describe, expect, it } from 'vitest';

import { createFastify } from '../src/http/app.ts';
import { errorHandler } from '../src/http/error-handler.ts';

describe('a throwing request handler', () => {
  it('answers 500 InternalError and the server keeps answering', async () => {
    const app = createFastify('silent');
    app.setErrorHandler(errorHandler);
    app.get('/sync', () => {
      throw new Error('secret detail');
    });
    app.get('/async', async () => {
      await Promise.resolve();
      throw new RangeError('Maximum call stack size exceeded');
    });
    app.get('/non-error', () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
      throw 'a string';
    });
    app.get('/ok', () => ({ ok: true }));
    try {
      for (const url of ['/sync', '/async', '/non-error']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(500);
        expect(res.json()).toEqual({ error: { name: 'InternalError', message: 'Internal server error' }, response: { statusCode: 500 } });
        expect(res.body).not.toContain('secret detail');
      }
      expect((await app.inject({ method: 'GET', url: '/ok' })).json()).toEqual({ ok: true });
    } finally {
      await app.close();
    }
  });
});
