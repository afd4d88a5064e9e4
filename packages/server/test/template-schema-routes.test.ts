/**
 * Schema-first template routes: template inputs and foreign input sets refuse bad bodies with a
 * 422 naming the field, and write nothing. On SQLite and PostgreSQL.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe.each(DIALECTS)('schema-first template routes on %s', (dialect) => {
  let t: TestServer;
  let tpl: number;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    const made = await t.api('POST', '/api/job_templates', { job_template: { name: 'Schema Inputs', job_category: 'Tests', provider_type: 'script', template: 'echo' } });
    expect(made.status, made.text).toBe(201);
    tpl = made.body.id as number;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses bad template input bodies with the field named', async () => {
    const base = `/api/templates/${tpl}/template_inputs`;
    const cases: Array<[unknown, RegExp]> = [
      [{ template_input: { input_type: 'user' } }, /^name can't be blank$/],
      [{ template_input: { name: '  ' } }, /^name can't be blank$/],
      [{ template_input: { name: 'a', required: 'maybe' } }, /^required must be true or false$/],
      [{ name: 'a', description: 5 }, /^description must be a string$/],
      [{ template_input: { name: 'a', options: { x: 1 } } }, /options/],
      [{ template_input: 'a' }, /^'template_input' must be an object$/],
      [{ template_input: { name: 'a', input_type: 'magic' } }, /^Input 'a': input_type must be one of user, fact, variable, puppet_parameter, got 'magic'$/],
    ];
    for (const [body, message] of cases) {
      const r = await t.api('POST', base, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body).toMatchObject({ error: { name: 'InputError' }, response: { statusCode: 422 } });
      expect(r.body.error.message).toMatch(message);
    }
    expect((await t.api('GET', base)).body.total).toBe(0);
    const made = await t.api('POST', base, { template_input: { name: 'a', options: ['x', 1], default: 1, required: 'true' } });
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ name: 'a', options: 'x\n1', default: '1', required: true, template_id: tpl, resource_type: null });
    const put = await t.api('PUT', `${base}/a`, { template_input: { hidden_value: 'sometimes' } });
    expect(put.status).toBe(422);
    expect(put.body.error.message).toBe('hidden_value must be true or false');
  });

  it('refuses bad foreign input set bodies with the field named', async () => {
    const base = `/api/templates/${tpl}/foreign_input_sets`;
    const cases: Array<[unknown, RegExp]> = [
      [{ foreign_input_set: { include_all: true } }, /^target_template_id can't be blank$/],
      [{ foreign_input_set: { target_template_id: 'Run Command - Script Default', include_all: 'yes' } }, /^include_all must be true or false$/],
      [{ foreign_input_set: { target_template_id: 'Run Command - Script Default', include: ['a'] } }, /^include must be/],
      [{ foreign_input_set: { target_template_id: true } }, /^target_template_id must be/],
    ];
    for (const [body, message] of cases) {
      const r = await t.api('POST', base, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error.message).toMatch(message);
    }
    expect((await t.api('GET', base)).body.total).toBe(0);
    expect((await t.api('GET', `/api/templates/${tpl}/foreign_input_sets/x`)).status).toBe(404);
  });
});
