/**
 * Schema-first job invocation routes: bad bodies and parameters are refused with Foreman's 422
 * body naming the field, before anything is written. On SQLite and PostgreSQL.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe.each(DIALECTS)('schema-first job invocation routes on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses bad job bodies with the field named, wrapped or bare, and writes nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ job_invocation: { job_template_id: 1, search_query: 'name ~ a', concurrency_level: 'many' } }, /^concurrency_level must be an integer, got 'many'$/],
      [{ job_template_id: 1, search_query: 'name ~ a', concurrency_control: { concurrency_level: 1.5 } }, /^concurrency_level must be an integer, got '1.5'$/],
      [{ job_template_id: 1, search_query: 'name ~ a', inputs: ['x'] }, /^'inputs' must be an object$/],
      [{ job_template_id: 1, search_query: 'name ~ a', randomized_ordering: 'perhaps' }, /^randomized_ordering must be true or false$/],
      [{ job_template_id: 1, search_query: { name: 'a' } }, /^search_query must be a string$/],
      [{ job_invocation: 'run' }, /^'job_invocation' must be an object$/],
      [{ job_template_id: 1, search_query: 'name ~ a', scheduling: 'tomorrow' }, /scheduling must be an object/],
      [{ search_query: 'name ~ a' }, /^job_template_id \(or feature\) is required$/],
    ];
    for (const [body, message] of cases) {
      const r = await t.api('POST', '/api/job_invocations', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body).toMatchObject({ error: { name: 'InputError' }, response: { statusCode: 422 } });
      expect(r.body.error.message).toMatch(message);
    }
    expect((await t.api('GET', '/api/job_invocations')).body.total).toBe(0);
  });

  it('refuses bad parameters of cancel, rerun and outputs, in the query or the body', async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/api/job_invocations/1/cancel?force=perhaps', undefined, /^force must be true or false$/],
      ['POST', '/api/job_invocations/1/cancel', { force: 'perhaps' }, /^force must be true or false$/],
      ['POST', '/api/job_invocations/1/rerun', { failed_only: 'some' }, /^failed_only must be true or false$/],
      ['GET', '/api/job_invocations/1/outputs?raw=perhaps', undefined, /^raw must be true or false$/],
      ['POST', '/api/job_invocations/1/outputs', { search_query: ['a'] }, /^search_query must be a string$/],
    ];
    for (const [method, url, body, message] of cases) {
      const r = await t.api(method, url, body);
      expect(r.status, `${method} ${url}`).toBe(422);
      expect(r.body.error.message).toMatch(message);
    }
    // Valid parameters reach the route: no such job.
    expect((await t.api('POST', '/api/job_invocations/1/cancel')).status).toBe(404);
    expect((await t.api('GET', '/api/job_invocations/1/outputs?raw=true')).status).toBe(404);
  });
});
