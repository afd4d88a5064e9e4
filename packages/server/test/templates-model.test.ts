/**
 * The job-template model of issue 4 against a real server on both stores: operating systems,
 * inputs of every type, foreign input sets, locking, clone, revisions, import/export, preview,
 * the generic render stored with a job, and remote execution features.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { templateId } from './fleet-stack.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const CALLEE = `<%#
kind: job_template
name: Model Callee
model: JobTemplate
job_category: Tests
description_format: "%{verb} %{thing}"
provider_type: script
template_inputs:
- name: verb
  description: What to do
  input_type: user
  required: true
  options: "greet\\nwave"
- name: thing
  input_type: user
  required: false
  advanced: true
  default: world
- name: arch
  input_type: fact
  fact_name: architecture
- name: tier
  input_type: variable
  variable_name: tier
- name: port
  input_type: puppet_parameter
  puppet_class_name: ntp
  puppet_parameter_name: port
%>
<%= input('verb') %> <%= input('thing') %> on <%= input('arch') %>/<%= input('tier') %>/<%= input('port') %>
`;

const CALLER = `<%#
kind: job_template
name: Model Caller
job_category: Tests
provider_type: script
foreign_input_sets:
- template: Model Callee
  exclude: verb
%>
<%= render_template('Model Callee', :verb => 'wave') %>`;

describe.each(DIALECTS)('job template model on %s', (dialect) => {
  let t: TestServer;
  let debianId: number;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    const facts = await t.api('POST', '/api/hosts/facts', {
      name: 'deb1.example.com',
      facts: { os: { family: 'Debian', name: 'Debian', release: { major: '12', minor: '4', full: '12.4' } }, architecture: 'amd64', ipaddress: '10.0.0.5' },
    });
    expect(facts.status).toBe(201);
    debianId = facts.body.id as number;
    await t.api('POST', `/api/hosts/${debianId}/parameters`, { parameter: { name: 'tier', value: 'gold' } });
    await t.api('POST', `/api/hosts/${debianId}/parameters`, { parameter: { name: 'ntp::port', value: '123' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('manages operating systems and sets them from facts', async () => {
    const host = await t.api('GET', `/api/hosts/${debianId}`);
    expect(host.body.operatingsystem_name).toBe('Debian 12.4');
    const list = await t.api('GET', '/api/operatingsystems?search=family%20%3D%20Debian');
    expect(list.body.results).toEqual([expect.objectContaining({ name: 'Debian', major: '12', minor: '4', family: 'Debian', title: 'Debian 12.4' })]);
    const rh = await t.api('POST', '/api/operatingsystems', { operatingsystem: { name: 'RedHat', major: '9', minor: '2', family: 'RedHat' } });
    expect(rh.status).toBe(201);
    expect(rh.body).toMatchObject({ family: 'Redhat', title: 'RedHat 9.2' });
    expect((await t.api('POST', '/api/operatingsystems', { operatingsystem: { name: 'RedHat', major: '9', minor: '2', family: 'Redhat' } })).status).toBe(422);
    const bad = await t.api('POST', '/api/operatingsystems', { operatingsystem: { name: 'Plan9', major: '4', family: 'Bell' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/family 'Bell'/);
    const upd = await t.api('PUT', `/api/operatingsystems/${rh.body.id}`, { operatingsystem: { minor: '3' } });
    expect(upd.body.title).toBe('RedHat 9.3');
    const h = await t.api('POST', '/api/hosts', { host: { name: 'rh1.example.com', ip: '10.0.0.6', operatingsystem_id: rh.body.id } });
    expect(h.status).toBe(201);
    expect((await t.api('DELETE', `/api/operatingsystems/${rh.body.id}`)).status).toBe(422);
    const tmp = await t.api('POST', '/api/operatingsystems', { operatingsystem: { name: 'Ubuntu', major: '24.04', family: 'Debian' } });
    expect((await t.api('DELETE', `/api/operatingsystems/${tmp.body.id}`)).status).toBe(200);
    expect((await t.api('GET', `/api/operatingsystems/${tmp.body.id}`)).status).toBe(404);
  });

  it('imports a template with inputs of all four types, exports it back and previews it per host', async () => {
    const imp = await t.api('POST', '/api/job_templates/import', { template: CALLEE });
    expect(imp.status, imp.text).toBe(201);
    expect(imp.body).toMatchObject({ name: 'Model Callee', job_category: 'Tests', provider_type: 'script', description_format: '%{verb} %{thing}', locked: false });
    expect(imp.body.template.startsWith('<%= input')).toBe(true);
    const byName = Object.fromEntries((imp.body.template_inputs as Array<{ name: string }>).map((i) => [i.name, i]));
    expect(byName.verb).toMatchObject({ input_type: 'user', required: true, options: 'greet\nwave' });
    expect(byName.thing).toMatchObject({ advanced: true, default: 'world', required: false });
    expect(byName.arch).toMatchObject({ input_type: 'fact', fact_name: 'architecture' });
    expect(byName.tier).toMatchObject({ input_type: 'variable', variable_name: 'tier' });
    expect(byName.port).toMatchObject({ input_type: 'puppet_parameter', puppet_class_name: 'ntp', puppet_parameter_name: 'port' });

    const exp = await fetch(`${t.server.url}/api/job_templates/${imp.body.id}/export`, { headers: { authorization: `Basic ${Buffer.from('admin:test-admin-pw').toString('base64')}` } });
    expect(exp.headers.get('content-type')).toMatch(/text\/plain/);
    expect(exp.headers.get('content-disposition')).toBe('attachment; filename="model_callee.erb"');
    const text = await exp.text();
    expect(text.startsWith('<%#\nkind: job_template\nname: Model Callee\n')).toBe(true);
    expect(text).toContain('\n%>\n\n<%= input(');
    // Re-importing the export over the original changes nothing.
    const again = await t.api('POST', '/api/job_templates/import', { template: text, overwrite: true });
    expect(again.status).toBe(200);
    expect(again.body.template_inputs).toEqual(imp.body.template_inputs);
    expect((await t.api('POST', '/api/job_templates/import', { template: text })).status).toBe(422);

    const preview = await t.api('POST', `/api/job_templates/${imp.body.id}/preview`, { host_id: debianId, inputs: { verb: 'greet' } });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.text.trim()).toBe('greet world on amd64/gold/123');
    // The same input checks as a job, except that a required input may still be empty.
    const outside = await t.api('POST', `/api/job_templates/${imp.body.id}/preview`, { host_id: debianId, inputs: { verb: 'explode' } });
    expect(outside.status).toBe(422);
    expect(outside.body.error.message).toMatch(/Value 'explode' of input 'verb' is not one of its options/);
    const unknown = await t.api('POST', `/api/job_templates/${imp.body.id}/preview`, { host_id: debianId, inputs: { verb: 'greet', bogus: '1' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/Unknown input bogus/);
    expect((await t.api('POST', `/api/job_templates/${imp.body.id}/preview`, { host_id: debianId, inputs: {} })).status).toBe(200);
    const generic = await t.api('POST', `/api/job_templates/${imp.body.id}/preview`, { inputs: { verb: 'greet' } });
    expect(generic.text.trim()).toBe('greet world on $FACT_INPUT[arch]/$VARIABLE_INPUT[tier]/$PUPPET_PARAMETER_INPUT[port]');
  });

  it('resolves foreign input sets through render_template and rejects duplicates and cycles', async () => {
    const missing = await t.api('POST', '/api/job_templates/import', { template: CALLER.replace('Model Callee\n  exclude', 'Nope\n  exclude') });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toMatch(/import the target template first/);
    expect((await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Model Caller"')}`)).body.subtotal).toBe(0);

    const caller = await t.api('POST', '/api/job_templates/import', { template: CALLER });
    expect(caller.status, caller.text).toBe(201);
    expect(caller.body.foreign_input_sets).toEqual([expect.objectContaining({ target_template_name: 'Model Callee', include_all: true, exclude: 'verb' })]);
    const preview = await t.api('POST', `/api/job_templates/${caller.body.id}/preview`, { host_id: 'deb1.example.com', inputs: { thing: 'hands' } });
    expect(preview.text.trim()).toBe('wave hands on amd64/gold/123');

    const sets = await t.api('GET', `/api/templates/${caller.body.id}/foreign_input_sets`);
    expect(sets.body.results).toHaveLength(1);
    const callee = await templateId(t, 'Model Callee');
    // The caller already imports `thing`: declaring it again is a duplicate.
    const dup = await t.api('POST', `/api/templates/${caller.body.id}/template_inputs`, { template_input: { name: 'thing', input_type: 'user' } });
    expect(dup.status).toBe(422);
    expect(dup.body.error.message).toBe('Duplicated inputs detected: thing');
    // Callee → caller closes a cycle.
    const cycle = await t.api('POST', `/api/templates/${callee}/foreign_input_sets`, { foreign_input_set: { target_template_id: caller.body.id } });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.message).toMatch(/Circular dependency detected in foreign input sets: Model Callee -> Model Caller -> Model Callee/);
    // Include only `thing`.
    const fis = sets.body.results[0] as { id: number };
    const upd = await t.api('PUT', `/api/templates/${caller.body.id}/foreign_input_sets/${fis.id}`, { foreign_input_set: { include_all: false, include: 'thing', exclude: '' } });
    expect(upd.status, upd.text).toBe(200);
    expect(upd.body).toMatchObject({ include_all: false, include: 'thing', exclude: null });
  });

  it('manages template inputs through /api/templates/:id/template_inputs', async () => {
    const tpl = await t.api('POST', '/api/job_templates', { job_template: { name: 'Inputs CRUD', job_category: 'Tests', provider_type: 'script', template: 'echo <%= input("a") %>' } });
    expect(tpl.status).toBe(201);
    const base = `/api/templates/${tpl.body.id}/template_inputs`;
    const a = await t.api('POST', base, { template_input: { name: 'a', input_type: 'user', options: ['x', 'y'], required: true, description: 'A' } });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({ name: 'a', options: 'x\ny', required: true, template_id: tpl.body.id });
    expect((await t.api('POST', base, { template_input: { name: 'f', input_type: 'fact' } })).status).toBe(422);
    expect((await t.api('POST', base, { template_input: { name: 'a', input_type: 'user' } })).status).toBe(422);
    expect((await t.api('POST', base, { template_input: { name: 'b', input_type: 'user', options: 'x\ny', default: 'z' } })).status).toBe(422);
    const upd = await t.api('PUT', `${base}/${a.body.id}`, { template_input: { advanced: true } });
    expect(upd.body).toMatchObject({ advanced: true, required: true, options: 'x\ny' });
    expect((await t.api('GET', base)).body.results).toHaveLength(1);
    expect((await t.api('GET', `${base}/${a.body.id}`)).body.name).toBe('a');
    const b = await t.api('POST', base, { template_input: { name: 'b', input_type: 'variable', variable_name: 'tier' } });
    expect((await t.api('DELETE', `${base}/${b.body.id}`)).status).toBe(200);
    expect((await t.api('GET', base)).body.results).toHaveLength(1);
  });

  it('validates job inputs of every type: required, options, foreign and host-provided inputs', async () => {
    const callee = await templateId(t, 'Model Callee');
    const base = { targeting_type: 'static_query', search_query: 'name = deb1.example.com' };
    const missing = await t.api('POST', '/api/job_invocations', { job_invocation: { ...base, job_template_id: callee, inputs: {} } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toMatch(/required input 'verb'/);
    const outside = await t.api('POST', '/api/job_invocations', { job_invocation: { ...base, job_template_id: callee, inputs: { verb: 'dance' } } });
    expect(outside.status).toBe(422);
    expect(outside.body.error.message).toMatch(/'dance' of input 'verb' is not one of its options: greet, wave/);
    const hostInput = await t.api('POST', '/api/job_invocations', { job_invocation: { ...base, job_template_id: callee, inputs: { verb: 'greet', arch: 'x' } } });
    expect(hostInput.status).toBe(422);
    expect(hostInput.body.error.message).toMatch(/'arch' .* is a fact input/);
    // A foreign input (`thing`, imported from the callee) is accepted by the caller.
    const caller = await templateId(t, 'Model Caller');
    const ok = await t.api('POST', '/api/job_invocations', { job_invocation: { ...base, job_template_id: caller, inputs: { thing: 'hats' } } });
    expect(ok.status, ok.text).toBe(201);
    const job = await t.api('GET', `/api/job_invocations/${ok.body.id}`);
    expect(job.body.preview_script.trim()).toBe('wave hats on $FACT_INPUT[arch]/$VARIABLE_INPUT[tier]/$PUPPET_PARAMETER_INPUT[port]');
  });

  it('renders snippets, expands description formats and carries timeout and effective user to jobs', async () => {
    const snippet = await t.api('POST', '/api/job_templates/import', {
      template: '<%#\nkind: job_template\nname: Greeting Snippet\nsnippet: true\nprovider_type: script\n%>\necho "hello from <%= @host.name %>"',
    });
    expect(snippet.status, snippet.text).toBe(201);
    expect(snippet.body).toMatchObject({ snippet: true, job_category: '' });
    const user = await t.api('POST', '/api/job_templates', {
      job_template: {
        name: 'Uses Snippet',
        job_category: 'Tests',
        provider_type: 'script',
        template: "<%= snippet('Greeting Snippet') %>\necho <%= input('what') %>",
        description_format: '%{template_name} / %{job_category} / %{what} / %{nope}',
        execution_timeout_interval: 30,
        effective_user_attributes: { value: 'deploy', current_user: false, overridable: false },
        template_inputs_attributes: [{ name: 'what', input_type: 'user' }],
      },
    });
    expect(user.status, user.text).toBe(201);
    expect(user.body).toMatchObject({ execution_timeout_interval: 30, effective_user: { value: 'deploy', current_user: false, overridable: false } });
    const preview = await t.api('POST', `/api/job_templates/${user.body.id}/preview`, { host_id: debianId, inputs: { what: 'x' } });
    expect(preview.text).toBe('echo "hello from deb1.example.com"\necho x');
    const runSnippet = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: snippet.body.id, search_query: 'name = deb1.example.com' } });
    expect(runSnippet.status).toBe(422);
    // The template's user is not overridable: the job shows (and runs as) 'deploy', not the request's.
    const job = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: user.body.id, search_query: 'name = deb1.example.com', inputs: { what: '' }, ssh: { effective_user: 'root' } } });
    expect(job.status, job.text).toBe(201);
    expect(job.body).toMatchObject({ description: "Uses Snippet / Tests / '' / ''", execution_timeout_interval: 30, effective_user: 'deploy' });
    const overridable = await t.api('PUT', `/api/job_templates/${user.body.id}`, { job_template: { effective_user_attributes: { value: 'deploy', current_user: false, overridable: true } } });
    expect(overridable.status, overridable.text).toBe(200);
    const job2 = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: user.body.id, search_query: 'name = deb1.example.com', inputs: { what: '' }, ssh: { effective_user: 'ops' } } });
    expect(job2.body.effective_user).toBe('ops');
  });

  it('does not repeat a hidden input value back in a 422', async () => {
    const tpl = await t.api('POST', '/api/job_templates', {
      job_template: { name: 'Hidden Choice', job_category: 'Tests', provider_type: 'script', template: "echo <%= input('pin') %>", template_inputs_attributes: [{ name: 'pin', input_type: 'user', hidden_value: true, options: '1111\n2222' }] },
    });
    expect(tpl.status, tpl.text).toBe(201);
    for (const r of [
      await t.api('POST', `/api/job_templates/${tpl.body.id}/preview`, { inputs: { pin: '9876' } }),
      await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: tpl.body.id, search_query: 'name = deb1.example.com', inputs: { pin: '9876' } } }),
    ]) {
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/Value '\*\*\*\*\*' of input 'pin' is not one of its options/);
      expect(r.text).not.toContain('9876');
    }
  });

  it('answers a render error in preview with a 422 naming line and column', async () => {
    const tpl = await t.api('POST', '/api/job_templates', { job_template: { name: 'Broken', job_category: 'Tests', provider_type: 'script', template: 'line one\n<%= @host.name.no_such_method %>\n' } });
    const r = await t.api('POST', `/api/job_templates/${tpl.body.id}/preview`, { host_id: debianId });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('render_error');
    expect(r.body.error.message).toMatch(/no_such_method/);
    expect(r.body.error.message).toMatch(/line:2, col:\d+/);
    const syntax = await t.api('POST', `/api/job_templates/${tpl.body.id}/preview`, { host_id: debianId, template: '<% if %>' });
    expect(syntax.status).toBe(422);
    const user = await t.api('POST', `/api/job_templates/${tpl.body.id}/preview`, { host_id: debianId, template: "<% render_error('no way') %>" });
    expect(user.status).toBe(422);
    expect(user.body.error.message).toMatch(/no way/);
  });

  it('locks shipped templates, clones them and keeps revisions of every text change', async () => {
    const rc = await templateId(t, 'Run Command - Script Default');
    const shipped = await t.api('GET', `/api/job_templates/${rc}`);
    expect(shipped.body).toMatchObject({ locked: true, default: true, feature: 'run_script' });
    const edit = await t.api('PUT', `/api/job_templates/${rc}`, { job_template: { template: 'echo changed' } });
    expect(edit.status).toBe(403);
    expect((await t.api('DELETE', `/api/job_templates/${rc}`)).status).toBe(403);
    expect((await t.api('POST', `/api/templates/${rc}/template_inputs`, { template_input: { name: 'x' } })).status).toBe(403);

    const clone = await t.api('POST', `/api/job_templates/${rc}/clone`, { job_template: { name: 'My Run Command' } });
    expect(clone.status, clone.text).toBe(201);
    expect(clone.body).toMatchObject({ name: 'My Run Command', locked: false, default: false, cloned_from_id: rc, feature: null, template: shipped.body.template });
    expect(clone.body.template_inputs).toEqual([expect.objectContaining({ name: 'command', required: true })]);
    expect((await t.api('POST', `/api/job_templates/${rc}/clone`, { job_template: { name: 'My Run Command' } })).status).toBe(422);

    const v2 = await t.api('PUT', `/api/job_templates/${clone.body.id}`, { job_template: { template: 'echo v2 <%= input("command") %>' } });
    expect(v2.status).toBe(200);
    await t.api('PUT', `/api/job_templates/${clone.body.id}`, { job_template: { description: 'only metadata' } });
    const revisions = await t.api('GET', `/api/job_templates/${clone.body.id}/revisions`);
    expect(revisions.body.results.map((r: { action: string }) => r.action)).toEqual(['update', 'clone']);
    const first = await t.api('GET', `/api/job_templates/revision?version=${revisions.body.results[1].version}`);
    expect(first.body.template).toBe(shipped.body.template);
    expect((await t.api('GET', '/api/job_templates/revision?version=999999')).status).toBe(404);
    expect((await t.api('DELETE', `/api/job_templates/${clone.body.id}`)).status).toBe(200);
  });

  it('runs jobs by feature and lets features be re-pointed', async () => {
    const list = await t.api('GET', '/api/remote_execution_features');
    const labels = (list.body.results as Array<{ label: string }>).map((f) => f.label);
    expect(labels).toEqual(expect.arrayContaining(['run_script', 'puppet_run_host']));
    const runScript = (list.body.results as Array<{ label: string; id: number }>).find((f) => f.label === 'run_script')!;
    const shown = await t.api('GET', `/api/remote_execution_features/${runScript.id}`);
    expect(shown.body).toMatchObject({ label: 'run_script', name: 'Run Script', job_template_name: 'Run Command - Script Default', provided_input_names: ['command'] });
    const puppet = await t.api('GET', '/api/remote_execution_features/puppet_run_host');
    expect(puppet.body).toMatchObject({ host_action_button: true, job_template_name: 'Puppet Run Once - Script Default' });

    const both = await t.api('POST', '/api/job_invocations', { job_invocation: { feature: 'run_script', job_template_id: 1, search_query: 'name = deb1.example.com', inputs: { command: 'id' } } });
    expect(both.status).toBe(422);
    expect(both.body.error.message).toBe('Only one of feature or job_template_id can be specified');
    expect((await t.api('POST', '/api/job_invocations', { job_invocation: { feature: 'nope', search_query: 'name = deb1.example.com' } })).status).toBe(404);
    const job = await t.api('POST', '/api/job_invocations', { job_invocation: { feature: 'run_script', targeting_type: 'dynamic_query', search_query: 'name = deb1.example.com', inputs: { command: 'uptime' } } });
    expect(job.status, job.text).toBe(201);
    expect(job.body).toMatchObject({ template_name: 'Run Command - Script Default', description: 'Run uptime', preview_script: 'uptime' });
    expect(job.body.targeting.targeting_type).toBe('static_query');

    const other = await t.api('POST', '/api/job_templates', { job_template: { name: 'Script v2', job_category: 'Commands', provider_type: 'script', template: 'set -e\n<%= input("command") %>', template_inputs_attributes: [{ name: 'command', required: true }] } });
    const repoint = await t.api('PUT', `/api/remote_execution_features/${runScript.id}`, { remote_execution_feature: { job_template_id: other.body.id } });
    expect(repoint.body.job_template_name).toBe('Script v2');
    const job2 = await t.api('POST', '/api/job_invocations', { job_invocation: { feature: 'run_script', search_query: 'name = deb1.example.com', inputs: { command: 'date' } } });
    expect(job2.body.template_name).toBe('Script v2');
    const avail = await t.api('GET', `/api/hosts/${debianId}/available_remote_execution_features`);
    expect(avail.body.results.map((f: { label: string }) => f.label)).toEqual(expect.arrayContaining(['run_script', 'puppet_run_host']));
  });
});
