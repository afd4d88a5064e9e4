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

  it('refuses bad job template bodies with the field named, and writes nothing', async () => {
    const good = { name: 'Schema JT', job_category: 'Tests', provider_type: 'script', template: 'echo' };
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/api/job_templates', { job_template: { ...good, name: undefined } }, /^name can't be blank$/],
      ['POST', '/api/job_templates', { job_template: { ...good, template: undefined } }, /^template can't be blank$/],
      ['POST', '/api/job_templates', { job_template: { ...good, snippet: 'perhaps' } }, /^snippet must be true or false$/],
      ['POST', '/api/job_templates', { job_template: { ...good, execution_timeout_interval: 'soon' } }, /execution_timeout_interval/],
      ['POST', '/api/job_templates', { job_template: { ...good, effective_user_attributes: 'root' } }, /^'effective_user_attributes' must be an object$/],
      ['POST', '/api/job_templates', { job_template: { ...good, template_inputs_attributes: [{ input_type: 'user' }] } }, /^name can't be blank$/],
      ['POST', '/api/job_templates', { job_template: { ...good, template_inputs_attributes: 'x' } }, /template_inputs_attributes/],
      ['POST', '/api/job_templates', { job_template: { ...good, provider_type: 'Ansible' } }, /^provider_type 'Ansible' is not supported/],
      ['PUT', `/api/job_templates/${tpl}`, { job_template: { locked: 'later' } }, /^locked must be true or false$/],
      ['POST', `/api/job_templates/${tpl}/clone`, { job_template: {} }, /^name can't be blank$/],
      ['POST', '/api/job_templates/import', { template: 5 }, /^template must be a string$/],
      ['POST', '/api/job_templates/import', { template: '<%#\nname: X\n%>', options: 'lock' }, /^'options' must be an object$/],
      ['POST', '/api/job_templates/import', { template: '<%#\nname: X\n%>', overwrite: 'yes' }, /^overwrite must be true or false$/],
      ['POST', '/api/job_templates/import', { template: '<%#\nname: X\njob_category: [a]\n%>\necho' }, /^Template 'X': job_category /],
      ['POST', `/api/job_templates/${tpl}/preview`, { host_id: true }, /^host_id must be/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = await t.api(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(422);
      expect(r.body).toMatchObject({ error: { name: 'InputError' }, response: { statusCode: 422 } });
      expect(r.body.error.message).toMatch(message);
    }
    expect((await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Schema JT" or name = X')}`)).body.subtotal).toBe(0);
    expect((await t.api('GET', '/api/job_templates/revision')).body.error.message).toBe('version is required (a revision id)');
  });

  it('previews and clones from a request without a body as before', async () => {
    const preview = await t.api('POST', `/api/job_templates/${tpl}/preview`);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.text.trim()).toBe('echo');
    const clone = await t.api('POST', `/api/job_templates/${tpl}/clone`);
    expect(clone.status).toBe(422);
    expect(clone.body.error.message).toBe("name can't be blank");
  });

  it("never shows a hidden input's default, and keeps it when the mask is sent back", async () => {
    const secret = 'Default-S3cret-Token';
    const made = await t.api('POST', '/api/job_templates', {
      job_template: { name: 'Hidden Default', job_category: 'Tests', provider_type: 'script', template: 'echo <%= input("token") %>', template_inputs_attributes: [{ name: 'token', input_type: 'user', hidden_value: true, default: secret }] },
    });
    expect(made.status, made.text).toBe(201);
    expect(made.text).not.toContain(secret);
    expect(made.body.template_inputs[0].default).toBe('*****');
    const id = made.body.id as number;
    const inputs = await t.api('GET', `/api/templates/${id}/template_inputs`);
    expect(inputs.text).not.toContain(secret);
    // The shown template sent back as is (an editor's round trip) keeps the real default.
    const shown = (await t.api('GET', `/api/job_templates/${id}`)).body;
    expect((await t.api('PUT', `/api/job_templates/${id}`, { job_template: { template_inputs_attributes: shown.template_inputs } })).status).toBe(200);
    const inputId = inputs.body.results[0].id as number;
    expect((await t.api('PUT', `/api/templates/${id}/template_inputs/${inputId}`, { template_input: { default: '*****', description: 'kept' } })).status).toBe(200);
    expect((await t.api('GET', `/api/job_templates/${id}/export`)).text).toContain(`default: ${secret}`);
    // A new default replaces it.
    expect((await t.api('PUT', `/api/templates/${id}/template_inputs/${inputId}`, { template_input: { default: 'Other-S3cret' } })).status).toBe(200);
    expect((await t.api('GET', `/api/job_templates/${id}/export`)).text).toContain('default: Other-S3cret');
  });

  it('counts the subtotal of job templates as the total when there is no search', async () => {
    const all = await t.api('GET', '/api/job_templates?per_page=1');
    expect(all.status).toBe(200);
    expect(all.body.subtotal).toBe(all.body.total);
    expect(all.body.results).toHaveLength(1);
  });
});
