import { DIALECTS, startSshd, unreachableAddress } from '@remex/testkit';
import type { Sshd } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

const PROBE = [
  'echo "hello <%= @host.name %>"',
  'hostname',
  'echo "problem on <%= @host.name %>" >&2',
  "exit <%= host_param('probe_exit', '0') %>",
  '',
].join('\n');

describe.each(DIALECTS)('running a job on 50 real SSH hosts (%s)', (DIALECT) => {
  let s: FleetStack;
  let noKeySshd: Sshd;
  let rekeySshd: Sshd;

  beforeAll(async () => {
    s = await startFleetStack(DIALECT, 50);
    noKeySshd = await startSshd();
    rekeySshd = await startSshd();
    await rekeySshd.authorize(s.proxy.publicKey);
    const { t } = s;
    for (let i = 2; i < 50; i += 10) {
      expect((await t.api('POST', `/api/hosts/${s.fleet.hosts[i]!.name}/parameters`, { parameter: { name: 'probe_exit', value: '3' } })).status).toBe(201);
    }
    const extra = [
      { name: 'unreachable.fleet.test', ip: unreachableAddress(), params: [] },
      { name: 'wrongpw.fleet.test', ip: '127.0.3.1', params: [['remote_execution_ssh_port', String(noKeySshd.port)], ['remote_execution_ssh_password', 'definitely-wrong']] },
      { name: 'rekeyed.fleet.test', ip: '127.0.3.2', params: [['remote_execution_ssh_port', String(rekeySshd.port)]] },
    ];
    for (const h of extra) {
      const r = await t.api('POST', '/api/hosts', { host: { name: h.name, ip: h.ip, host_parameters_attributes: h.params.map(([name, value]) => ({ name, value })) } });
      expect(r.status).toBe(201);
    }
    const tpl = await t.api('POST', '/api/job_templates', { job_template: { name: 'E2E probe', job_category: 'Tests', provider_type: 'script', template: PROBE } });
    expect(tpl.status).toBe(201);
  });

  afterAll(async () => {
    await s?.stop();
    await noKeySshd?.stop();
    await rekeySshd?.stop();
  });

  it('trusts a host key on first use, then fails only that host when the key changes', async () => {
    const { t } = s;
    const first = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), targeting_type: 'static_query', search_query: 'name = rekeyed.fleet.test', inputs: { command: 'echo first' } },
    });
    expect(first.status).toBe(201);
    expect((await waitForJob(t, first.body.id as number)).status_label).toBe('succeeded');
    const trusted = rekeySshd.hostKeyFingerprint();
    await rekeySshd.restart({ newHostKey: true });
    const presented = rekeySshd.hostKeyFingerprint();
    expect(presented).not.toBe(trusted);

    const other = s.fleet.hosts[0]!.name;
    const second = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), targeting_type: 'static_query', search_query: `name ^ (rekeyed.fleet.test, ${other})`, inputs: { command: 'echo second' } },
    });
    expect(second.status, second.text).toBe(201);
    expect(await waitForJob(t, second.body.id as number)).toMatchObject({ status_label: 'failed', total: 2, succeeded: 1, failed: 1 });
    const hosts = await t.api('GET', `/api/job_invocations/${second.body.id}/hosts`);
    const byName = new Map<string, { job_status: string; message: string | null }>(hosts.body.results.map((h: { name: string }) => [h.name, h]));
    expect(byName.get(other)?.job_status).toBe('success');
    // The failure is the host key check, naming both keys: not any connection or auth failure.
    const rekeyed = byName.get('rekeyed.fleet.test');
    expect(rekeyed?.job_status).toBe('error');
    expect(rekeyed?.message).toMatch(/^Host key verification failed for rekeyed\.fleet\.test /);
    expect(rekeyed?.message).toContain(`key ${presented}, but`);
    expect(rekeyed?.message).toContain(`key ${trusted} was trusted on first use`);
    const out = await t.api('GET', `/api/job_invocations/${second.body.id}/hosts/rekeyed.fleet.test`);
    expect(out.body.output.at(-1).output).toBe('Exit status: EXCEPTION');
    expect(out.body.output.map((l: { output: string }) => l.output).join('\n')).not.toContain('second');
  });

  it('reports every host: output lines, stream types, exit codes and clear failure messages', async () => {
    const { t, fleet } = s;
    const created = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'E2E probe'), targeting_type: 'static_query', search_query: 'hostgroup = fleet or name ^ (unreachable.fleet.test, wrongpw.fleet.test, rekeyed.fleet.test)' },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as number;
    const job = await waitForJob(t, id);
    expect(job).toMatchObject({ status_label: 'failed', status: 1, total: 53, succeeded: 45, failed: 8, pending: 0, cancelled: 0 });

    const hosts = await t.api('GET', `/api/job_invocations/${id}/hosts?per_page=100`);
    expect(hosts.body.total).toBe(53);
    const byName = new Map<string, { job_status: string; message: string | null }>(hosts.body.results.map((h: { name: string }) => [h.name, h]));

    for (const [i, h] of fleet.hosts.entries()) {
      const expectedExit = i % 10 === 2 ? 3 : 0;
      expect(byName.get(h.name)?.job_status).toBe(expectedExit === 0 ? 'success' : 'error');
      const out = await t.api('GET', `/api/job_invocations/${id}/hosts/${h.name}`);
      expect(out.body.complete).toBe(true);
      expect(out.body.refresh).toBe(false);
      const lines = out.body.output as Array<{ output_type: string; output: string; timestamp: number }>;
      const stdout = lines.filter((l) => l.output_type === 'stdout' && !l.output.startsWith('Exit status')).map((l) => l.output).join('');
      const stderr = lines.filter((l) => l.output_type === 'stderr').map((l) => l.output).join('');
      expect(stdout).toContain(`hello ${h.name}\n`);
      expect(stdout.split('\n').filter((l) => l !== '')).toHaveLength(2);
      expect(stderr).toBe(`problem on ${h.name}\n`);
      expect(lines.at(-1)).toMatchObject({ output_type: 'stdout', output: `Exit status: ${expectedExit}` });
      for (const l of lines) expect(typeof l.timestamp).toBe('number');
    }

    const unreachable = byName.get('unreachable.fleet.test');
    expect(unreachable?.job_status).toBe('error');
    expect(unreachable?.message).toMatch(/ECONNREFUSED|connect|unreachable/i);
    expect(byName.get('wrongpw.fleet.test')?.message).toMatch(/auth/i);
    expect(byName.get('rekeyed.fleet.test')?.message).toMatch(/Host key verification failed/);
    const rekeyOut = await t.api('GET', `/api/job_invocations/${id}/hosts/rekeyed.fleet.test`);
    expect(rekeyOut.body.output.at(-1).output).toBe('Exit status: EXCEPTION');

    const raw = await fetch(`${t.server.url}/api/job_invocations/${id}/hosts/${fleet.hosts[0]!.name}/raw`, { headers: { authorization: `Basic ${Buffer.from('admin:test-admin-pw').toString('base64')}` } });
    expect(await raw.text()).toContain(`hello ${fleet.hosts[0]!.name}`);

    const failedHosts = await t.api('GET', `/api/job_invocations/${id}/hosts?search=${encodeURIComponent('job_invocation.result = failed')}&per_page=100`);
    expect(failedHosts.body.subtotal).toBe(8);
    const host = await t.api('GET', `/api/hosts/${fleet.hosts[2]!.name}`);
    expect(host.body.execution_status).toBe(1);
  });

  it('streams a job live over Server-Sent Events until it is done', async () => {
    const { t, fleet } = s;
    const r = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), targeting_type: 'static_query', host_ids: fleet.hosts.slice(0, 5).map((h) => h.name), inputs: { command: 'for i in 1 2 3; do echo tick $i; sleep 0.2; done' } },
    });
    expect(r.status).toBe(201);
    const res = await fetch(`${t.server.url}/api/job_invocations/${r.body.id}/stream`, { headers: { authorization: `Basic ${Buffer.from('admin:test-admin-pw').toString('base64')}` } });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    const events = text.split('\n\n').filter((b) => b.includes('event:'));
    const outputs = events.filter((e) => e.includes('event: output')).map((e) => JSON.parse(e.split('data: ')[1]!) as { output: string });
    expect(outputs.map((o) => o.output).join('').match(/tick/g)).toHaveLength(15);
    const done = events.find((e) => e.includes('event: done'));
    expect(done && JSON.parse(done.split('data: ')[1]!)).toMatchObject({ status_label: 'succeeded', succeeded: 5, total: 5 });
  });

  it('masks a hidden input borrowed through a foreign input set everywhere the job is shown, and still runs with it', async () => {
    const { t, fleet } = s;
    const base = ['<%#', 'kind: job_template', 'name: Secret Base', 'job_category: Tests', 'provider_type: script', 'template_inputs:', '- name: token', '  input_type: user', '  required: true', '  hidden_value: true', '- name: label', '  input_type: user', '%>', 'echo base', ''].join('\n');
    const borrower = [
      '<%#', 'kind: job_template', 'name: Secret Borrower', 'job_category: Tests', 'provider_type: script', 'description_format: "deploy %{label} with %{token}"',
      'foreign_input_sets:', '- template: Secret Base', '  include_all: true', '%>', "echo token=<%= input('token').shellescape %> label=<%= input('label') %>", '',
    ].join('\n');
    // `overwrite`: a retried test finds them already imported.
    const baseImport = await t.api('POST', '/api/job_templates/import', { template: base, overwrite: true });
    expect(baseImport.status).toBeLessThan(300);
    const imported = await t.api('POST', '/api/job_templates/import', { template: borrower, overwrite: true });
    expect(imported.status, imported.text).toBeLessThan(300);
    const secret = 'tok en$1';
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: imported.body.id, targeting_type: 'static_query', search_query: `name = ${fleet.hosts[0]!.name}`, inputs: { token: secret, label: 'blue' } } });
    expect(r.status, r.text).toBe(201);
    expect((await waitForJob(t, r.body.id as number)).status_label).toBe('succeeded');
    const job = await t.api('GET', `/api/job_invocations/${r.body.id}`);
    expect(job.body.description).toBe('deploy blue with ***');
    expect(job.body.inputs).toEqual({ token: '*****', label: 'blue' });
    // The generic preview renders with the mask itself (here shell-escaped by the template).
    expect(job.body.preview_script).toContain('label=blue');
    const host = await t.api('GET', `/api/job_invocations/${r.body.id}/hosts/${fleet.hosts[0]!.name}`);
    expect(host.body.rendered_script).toContain('token=***** label=blue');
    // (The output is what the script printed, the real value included: not ours to mask.)
    for (const shown of [job.text, host.body.rendered_script as string]) {
      expect(shown).not.toContain('tok en');
      expect(shown).not.toContain('tok\\ en');
    }
    // Un-hiding the input later does not unmask the jobs that ran with it hidden.
    const token = (baseImport.body.template_inputs as Array<{ id: number; name: string }>).find((i) => i.name === 'token')!;
    const unhide = await t.api('PUT', `/api/templates/${baseImport.body.id}/template_inputs/${token.id}`, { template_input: { hidden_value: false } });
    expect(unhide.status, unhide.text).toBe(200);
    const later = await t.api('GET', `/api/job_invocations/${r.body.id}`);
    expect(later.body.inputs).toEqual({ token: '*****', label: 'blue' });
    expect((await t.api('GET', `/api/job_invocations/${r.body.id}/hosts/${fleet.hosts[0]!.name}`)).body.rendered_script).toContain('token=***** label=blue');
    await t.api('PUT', `/api/templates/${baseImport.body.id}/template_inputs/${token.id}`, { template_input: { hidden_value: true } });
    // The host itself got the real value.
    const raw = await fetch(`${t.server.url}/api/job_invocations/${r.body.id}/hosts/${fleet.hosts[0]!.name}/raw`, { headers: { authorization: `Basic ${Buffer.from('admin:test-admin-pw').toString('base64')}` } });
    expect(await raw.text()).toContain(`token=${secret} label=blue`);
  });

  it('stops a host at its execution timeout and says so on the host', async () => {
    const { t, fleet } = s;
    const r = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), search_query: `name = ${fleet.hosts[1]!.name}`, inputs: { command: 'echo going; sleep 30' }, execution_timeout_interval: 1 },
    });
    expect(r.status, r.text).toBe(201);
    expect((await waitForJob(t, r.body.id as number)).status_label).toBe('failed');
    const host = (await t.api('GET', `/api/job_invocations/${r.body.id}/hosts`)).body.results[0] as { job_status: string; message: string };
    expect(host.job_status).toBe('error');
    expect(host.message).toBe('Timeout for execution passed, trying to stop the job');
  });

  it('gives the outputs of many hosts in one request, filtered by a host search, as line sets or raw', async () => {
    const { t, fleet } = s;
    const names = fleet.hosts.slice(5, 8).map((h) => h.name);
    const r = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), host_ids: names, inputs: { command: 'echo out; echo err >&2' } },
    });
    expect(r.status, r.text).toBe(201);
    expect((await waitForJob(t, r.body.id as number)).status_label).toBe('succeeded');
    type Entry = { host_id: number; complete: boolean; output: Array<{ output_type: string; output: string }> | string };
    const all = await t.api('GET', `/api/job_invocations/${r.body.id}/outputs`);
    expect(all.status, all.text).toBe(200);
    const entries = all.body.outputs as Entry[];
    expect(entries).toHaveLength(3);
    for (const e of entries) {
      expect(e.complete).toBe(true);
      const sets = e.output as Array<{ output_type: string; output: string }>;
      expect(sets.filter((x) => x.output_type === 'stdout').map((x) => x.output).join('')).toContain('out');
      expect(sets.filter((x) => x.output_type === 'stderr').map((x) => x.output).join('')).toContain('err');
      expect(sets.at(-1)?.output).toBe('Exit status: 0');
    }
    const one = await t.api('POST', `/api/job_invocations/${r.body.id}/outputs`, { search_query: `name = ${names[1]!}`, raw: true });
    expect(one.status, one.text).toBe(200);
    expect(one.body.outputs).toHaveLength(1);
    expect((one.body.outputs as Entry[])[0]!.output).toMatch(/^(out\nerr\n|err\nout\n)$/);
    const later = await t.api('GET', `/api/job_invocations/${r.body.id}/outputs?since=${Date.now() / 1000 + 3600}`);
    expect((later.body.outputs as Entry[]).map((e) => e.output)).toEqual([[], [], []]);
    expect((await t.api('GET', `/api/job_invocations/${r.body.id}/outputs?since=soon`)).status).toBe(422);
    const bad = await t.api('GET', `/api/job_invocations/${r.body.id}/outputs?search_query=${encodeURIComponent('nope = 1')}`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/Field 'nope' not recognized for searching!/);
  });

  it('rejects bad job requests and creates nothing', async () => {
    const { t } = s;
    const before = (await t.api('GET', '/api/job_invocations')).body.total;
    const rc = await templateId(t, 'Run Command - Script Default');
    const missing = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: rc, targeting_type: 'static_query', search_query: 'name = a' } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toMatch(/required input 'command'/);
    const unknownInput = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: rc, targeting_type: 'static_query', search_query: 'name = a', inputs: { command: 'x', nope: 'y' } } });
    expect(unknownInput.status).toBe(422);
    expect(unknownInput.body.error.message).toBe('Unknown input nope for template Run Command - Script Default');
    const unknownTemplate = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: 99999, targeting_type: 'static_query', search_query: 'name = a', inputs: { command: 'x' } } });
    expect(unknownTemplate.status).toBe(404);
    const unknownHost = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: rc, targeting_type: 'static_query', host_ids: ['nope.test'], inputs: { command: 'x' } } });
    expect(unknownHost.status).toBe(404);
    const noHosts = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: rc, targeting_type: 'static_query', search_query: 'name = nothing.test', inputs: { command: 'x' } } });
    expect(noHosts.status).toBe(422);
    const badTargeting = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: rc, targeting_type: 'whenever', search_query: 'name = a', inputs: { command: 'x' } } });
    expect(badTargeting.status).toBe(422);
    const malformed = await t.api('POST', '/api/job_invocations', '{"job_invocation": [');
    expect(malformed.status).toBe(400);
    expect((await t.api('GET', '/api/job_invocations')).body.total).toBe(before);
  });

  it('trusts the new key after remex host reset-host-key (audited), and only then', async () => {
    const { t } = s;
    const run = async () => {
      const r = await t.api('POST', '/api/job_invocations', {
        job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), targeting_type: 'static_query', search_query: 'name = rekeyed.fleet.test', inputs: { command: 'echo after reset' } },
      });
      expect(r.status, r.text).toBe(201);
      return (await waitForJob(t, r.body.id as number)).status_label as string;
    };
    expect(await run()).toBe('failed');
    const reset = await t.api('POST', '/api/hosts/rekeyed.fleet.test/reset_host_key', {});
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body).toMatchObject({ host: 'rekeyed.fleet.test', addresses: ['rekeyed.fleet.test', '127.0.3.2'], proxies: [{ name: 'test-proxy', error: null }] });
    expect(reset.body.proxies[0].forgotten).toBeGreaterThanOrEqual(1);
    expect(await run()).toBe('succeeded');
    const audits = await t.api('GET', `/api/audits?search=${encodeURIComponent('type = host and action = update')}`);
    expect(audits.text).toContain('host_key');
  });
});
