/**
 * Secrets stay secret, end to end on both dialects with a real proxy and sshd: hidden parameters
 * (marked, known secrets, inherited from a host group) and hidden inputs are masked at their
 * source in every script shown (template preview, generic preview, a job host's rendered script),
 * whatever the template does to them, while the host still receives the real values; they are
 * stored sealed (raw rows, and the SQLite file); the data files are owner-only.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { DIALECTS, sqliteFilePath } from '@remex/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../src/db/database.ts';
import { SecretBox } from '../src/secrets/secret-box.ts';
import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, waitForJob } from './fleet-stack.ts';

const HOST_SECRET = 'S3cr3t-Xy-host';
const GROUP_SECRET = 'Gr0up-S3cret-zz';
const PASSWORD = 'Ssh-Passw0rd-qq';
const INPUT_SECRET = 'Inp-S3cret-ww';
const VARIABLE_VALUE = 'Var-Val-through-hidden-input';
const rev = (s: string) => [...s].reverse().join('');
const rot13 = (s: string) => s.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c === c.toLowerCase() ? 97 : 65)));
const bytes = (s: string) => `[${[...Buffer.from(s)].join(', ')}]`;
/** Every form of the secrets a template below could print. */
const LEAKS = [HOST_SECRET, GROUP_SECRET, PASSWORD, INPUT_SECRET].flatMap((s) => [s, rev(s), rot13(s), bytes(s), s.toUpperCase(), rev(s.toUpperCase())]);

function ok(r: { status: number; text: string }): void {
  expect(r.status, r.text).toBeLessThan(300);
}

function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text, `leaks ${leak}`).not.toContain(leak);
}

const PROBE = [
  '<%#',
  'kind: job_template',
  'name: Secrets Probe',
  'job_category: Tests',
  'provider_type: script',
  'template_inputs:',
  '- name: tok',
  '  input_type: user',
  '  required: false',
  '  hidden_value: true',
  '- name: var_in',
  '  input_type: variable',
  '  variable_name: plain_param',
  '  hidden_value: true',
  '%>',
  'a=<%= host_param("remote_execution_ssh_password") %>',
  'b=<%= @host.params.inspect %>',
  "c=<%= @host.params['secret_x'].reverse %>",
  "d=<%= host_param('secret_x').bytes.inspect %>",
  "e=<%= host_param('group_secret').tr('A-Za-z', 'N-ZA-Mn-za-m') %>",
  "f=<%= input('tok').upcase.reverse %>",
  "g=<%= input('var_in') %>",
  '',
].join('\n');

/** Compares on the host: prints MATCH lines only when the real values arrived (the template holds them reversed). */
const CHECKER = [
  '<%#',
  'kind: job_template',
  'name: Secrets Checker',
  'job_category: Tests',
  'provider_type: script',
  'template_inputs:',
  '- name: tok',
  '  input_type: user',
  '  required: true',
  '  hidden_value: true',
  '%>',
  `[ "<%= host_param('secret_x').reverse %>" = "${rev(HOST_SECRET)}" ] && echo MATCH_HOST`,
  `[ "<%= host_param('group_secret').reverse %>" = "${rev(GROUP_SECRET)}" ] && echo MATCH_GROUP`,
  `[ "<%= input('tok').reverse %>" = "${rev(INPUT_SECRET)}" ] && echo MATCH_INPUT`,
  "echo shown=<%= host_param('secret_x') %>/<%= input('tok') %> > /dev/null",
  'true',
  '',
].join('\n');

describe.each(DIALECTS)('secrets stay secret (%s)', (DIALECT) => {
  let s: FleetStack;
  let probeId: number;
  let checkerId: number;

  beforeAll(async () => {
    s = await startFleetStack(DIALECT, 1);
    const { t, fleet } = s;
    ok(await t.api('POST', '/api/hostgroups/fleet/parameters', { parameter: { name: 'group_secret', value: GROUP_SECRET, hidden_value: true } }));
    ok(await t.api('POST', `/api/hosts/${fleet.hosts[0]!.name}/parameters`, { parameter: { name: 'secret_x', value: HOST_SECRET, hidden_value: true } }));
    // A host only previewed (never connected to): its SSH password comes with it, hidden as a known secret.
    ok(
      await t.api('POST', '/api/hosts', {
        host: { name: 'preview.secrets.test', ip: '127.0.3.77', hostgroup_name: 'fleet', host_parameters_attributes: [{ name: 'remote_execution_ssh_password', value: PASSWORD }] },
      }),
    );
    ok(await t.api('POST', '/api/hosts/preview.secrets.test/parameters', { parameter: { name: 'secret_x', value: HOST_SECRET, hidden_value: true } }));
    // Not hidden itself, but read through a hidden variable input.
    ok(await t.api('POST', '/api/hosts/preview.secrets.test/parameters', { parameter: { name: 'plain_param', value: VARIABLE_VALUE } }));
    const probe = await t.api('POST', '/api/job_templates/import', { template: PROBE, overwrite: true });
    ok(probe);
    probeId = probe.body.id as number;
    const checker = await t.api('POST', '/api/job_templates/import', { template: CHECKER, overwrite: true });
    ok(checker);
    checkerId = checker.body.id as number;
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('previews a template with every hidden value masked at its source, whatever the template does to it', async () => {
    const { t } = s;
    const r = await t.api('POST', `/api/job_templates/${probeId}/preview`, { host_id: 'preview.secrets.test', inputs: { tok: INPUT_SECRET } });
    expect(r.status, r.text).toBe(200);
    expectNoLeak(r.text);
    expect(r.text).toContain('a=*****\n');
    expect(r.text).toContain('c=*****\n');
    expect(r.text).toContain(`d=${bytes('*****')}\n`);
    expect(r.text).toContain('e=*****\n');
    expect(r.text).toMatch(/^f=\*{5}$/m);
    expect(r.text).toMatch(/^g=\*{5}$/m);
    expect(r.text).toMatch(/b=.*"secret_x" *=> *"\*\*\*\*\*"/);
    // The API shows them masked as before.
    const params = await t.api('GET', '/api/hosts/preview.secrets.test/parameters');
    expectNoLeak(params.text);
    const host = await t.api('GET', '/api/hosts/preview.secrets.test');
    expectNoLeak(host.text);
    expect(host.body.all_parameters).toEqual(expect.arrayContaining([{ name: 'group_secret', value: '*****', associated_type: 'host group' }]));
  });

  it('still finds hosts that set a sealed parameter, and never by its value', async () => {
    const { t, fleet } = s;
    const names = async (search: string) => {
      const r = await t.api('GET', `/api/hosts?per_page=100&search=${encodeURIComponent(search)}`);
      expect(r.status, r.text).toBe(200);
      return (r.body.results as Array<{ name: string }>).map((h) => h.name).sort();
    };
    expect(await names('set? params.secret_x')).toEqual([fleet.hosts[0]!.name, 'preview.secrets.test'].sort());
    expect(await names('set? params.group_secret')).toEqual([fleet.hosts[0]!.name, 'preview.secrets.test'].sort());
    expect(await names(`params.secret_x = ${HOST_SECRET}`)).toEqual([]);
    const own = await t.api('GET', `/api/hosts/preview.secrets.test/parameters?search=${encodeURIComponent(`value = ${HOST_SECRET}`)}`);
    expect(own.body.subtotal).toBe(0);
  });

  it('runs with the real values on the host while the job, its preview and its host script show masks', async () => {
    const { t, fleet } = s;
    const hostName = fleet.hosts[0]!.name;
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: checkerId, host_ids: [hostName], inputs: { tok: INPUT_SECRET }, description_format: 'check %{tok}' } });
    expect(r.status, r.text).toBe(201);
    const job = await waitForJob(t, r.body.id as number);
    const shown = await t.api('GET', `/api/job_invocations/${r.body.id}/hosts/${hostName}`);
    const output = (shown.body.output as Array<{ output: string }>).map((l) => l.output).join('');
    expect(job.status_label, output).toBe('succeeded');
    expect(output).toContain('MATCH_HOST');
    expect(output).toContain('MATCH_GROUP');
    expect(output).toContain('MATCH_INPUT');
    const script = shown.body.rendered_script as string;
    expect(script).toContain('echo shown=*****/***** > /dev/null');
    expect(script).toContain('[ "*****" = ');
    for (const secret of [HOST_SECRET, GROUP_SECRET, INPUT_SECRET]) expect(script).not.toContain(secret);
    const full = await t.api('GET', `/api/job_invocations/${r.body.id}`);
    expect(full.body.description).toBe('check ***');
    for (const secret of [HOST_SECRET, GROUP_SECRET, INPUT_SECRET]) expect(full.text).not.toContain(secret);

    // A rerun still gets the real hidden input (opened from the sealed copy).
    const rerun = await t.api('POST', `/api/job_invocations/${r.body.id}/rerun`);
    expect(rerun.status, rerun.text).toBe(201);
    expect((await waitForJob(t, rerun.body.id as number)).status_label).toBe('succeeded');
    const again = await t.api('GET', `/api/job_invocations/${rerun.body.id}/hosts/${hostName}`);
    expect((again.body.output as Array<{ output: string }>).map((l) => l.output).join('')).toContain('MATCH_INPUT');
  });

  it('says why a render failed without the secret the message was built from', async () => {
    const { t, fleet } = s;
    const hostName = fleet.hosts[0]!.name;
    const tpl = await t.api('POST', '/api/job_templates', {
      job_template: { name: 'Secrets Failer', job_category: 'Tests', provider_type: 'script', template: "<%= render_error('cannot use ' + host_param('secret_x')) %>" },
    });
    expect(tpl.status, tpl.text).toBeLessThan(300);
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: tpl.body.id, host_ids: [hostName] } });
    expect(r.status, r.text).toBe(201);
    expect((await waitForJob(t, r.body.id as number)).status_label).toBe('failed');
    const shown = await t.api('GET', `/api/job_invocations/${r.body.id}/hosts/${hostName}`);
    expect(shown.text).toContain('cannot use *****');
    expect(shown.text).not.toContain(HOST_SECRET);
    const hosts = await t.api('GET', `/api/job_invocations/${r.body.id}/hosts`);
    expect(hosts.text).toContain('cannot use *****');
    expect(hosts.text).not.toContain(HOST_SECRET);
  });

  it('stores hidden parameter values, hidden inputs and scripts without a clear secret', async () => {
    const store = openStore(s.t.database.url);
    try {
      const out: string[] = [];
      for (const table of ['parameters', 'job_invocations', 'template_invocations', 'settings']) {
        out.push(JSON.stringify((await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(store.db)).rows));
      }
      const raw = out.join('\n');
      for (const secret of [HOST_SECRET, GROUP_SECRET, PASSWORD, INPUT_SECRET]) expect(raw).not.toContain(secret);
      expect(raw).toContain('enc:v1:');
    } finally {
      await store.destroy();
    }
    if (DIALECT === 'sqlite') {
      const file = sqliteFilePath(s.t.database.url);
      const bytes = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1')).join('\n');
      for (const secret of [HOST_SECRET, GROUP_SECRET, PASSWORD, INPUT_SECRET]) expect(bytes).not.toContain(secret);
    }
  });

  it('seals on every write path and unseals when a parameter stops being hidden', async () => {
    const { t } = s;
    const store = openStore(t.database.url);
    const rawValue = async (scope: string, name: string) =>
      (await store.db.selectFrom('parameters').select('value').where('scope', '=', scope as 'host').where('name', '=', name).executeTakeFirstOrThrow()).value;
    try {
      ok(await t.api('POST', '/api/hosts', { host: { name: 'writes.secrets.test', ip: '127.0.3.78' } }));
      const p = await t.api('POST', '/api/hosts/writes.secrets.test/parameters', { parameter: { name: 'toggled', value: 'Toggle-S3cret', hidden_value: true } });
      ok(p);
      expect(SecretBox.isSealed(await rawValue('host', 'toggled'))).toBe(true);
      // Un-hidden: stored in clear and shown; hidden again: sealed again.
      const shown = await t.api('PUT', `/api/hosts/writes.secrets.test/parameters/${p.body.id}`, { parameter: { hidden_value: false } });
      expect(shown.body.value).toBe('Toggle-S3cret');
      expect(await rawValue('host', 'toggled')).toBe('Toggle-S3cret');
      ok(await t.api('PUT', `/api/hosts/writes.secrets.test/parameters/${p.body.id}`, { parameter: { hidden_value: true } }));
      expect(SecretBox.isSealed(await rawValue('host', 'toggled'))).toBe(true);
      // A new value through the host's attributes, or an import, replacing a hidden row stays sealed.
      ok(await t.api('PUT', '/api/hosts/writes.secrets.test', { host: { host_parameters_attributes: [{ name: 'toggled', value: 'Toggle-S3cret-2' }] } }));
      expect(SecretBox.isSealed(await rawValue('host', 'toggled'))).toBe(true);
      ok(await t.api('POST', '/api/hosts/import', { hosts: [{ name: 'writes.secrets.test', ip: '127.0.3.78', parameters: { toggled: 'Toggle-S3cret-3', remote_execution_ssh_password: 'Imp-Passw0rd' } }] }));
      expect(SecretBox.isSealed(await rawValue('host', 'toggled'))).toBe(true);
      expect(SecretBox.isSealed(await rawValue('host', 'remote_execution_ssh_password'))).toBe(true);
      ok(await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'common_secret', value: 'Common-S3cret', hidden_value: true } }));
      expect(SecretBox.isSealed(await rawValue('common', 'common_secret'))).toBe(true);
      ok(await t.api('POST', '/api/hostgroups', { hostgroup: { name: 'sealed-group', group_parameters_attributes: [{ name: 'remote_execution_effective_user_password', value: 'Eff-Passw0rd' }] } }));
      expect(SecretBox.isSealed(await rawValue('hostgroup', 'remote_execution_effective_user_password'))).toBe(true);
    } finally {
      await store.destroy();
    }
  });

  it('fails the host with a clear message when a hidden value was sealed with another key', async () => {
    const { t, fleet } = s;
    const hostName = fleet.hosts[0]!.name;
    const created = await t.api('POST', `/api/hosts/${hostName}/parameters`, { parameter: { name: 'alien_secret', value: 'x', hidden_value: true } });
    expect(created.status, created.text).toBe(201);
    const store = openStore(t.database.url);
    try {
      await store.db.updateTable('parameters').set({ value: new SecretBox(randomBytes(32)).seal('sealed elsewhere') }).where('id', '=', created.body.id as number).execute();
      const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: checkerId, host_ids: [hostName], inputs: { tok: INPUT_SECRET } } });
      expect(r.status, r.text).toBe(201);
      expect((await waitForJob(t, r.body.id as number)).status_label).toBe('failed');
      const hosts = await t.api('GET', `/api/job_invocations/${r.body.id}/hosts`);
      expect(hosts.body.results[0].message).toMatch(/REMEX_SECRET_KEY/);
    } finally {
      await store.db.deleteFrom('parameters').where('id', '=', created.body.id as number).execute();
      await store.destroy();
    }
  });

  it('keeps the data files owner-only: database, WAL, SHM, secret key, proxy database and SSH keys', () => {
    const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);
    expect(mode(s.t.server.dataDir)).toBe('700');
    expect(mode(path.join(s.t.server.dataDir, 'secret.key'))).toBe('600');
    if (DIALECT === 'sqlite') {
      const file = sqliteFilePath(s.t.database.url);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe('600');
    }
    const proxyDb = path.join(s.proxyDataDir, 'proxy.sqlite3');
    for (const f of [proxyDb, `${proxyDb}-wal`, `${proxyDb}-shm`]) expect(mode(f), f).toBe('600');
    expect(mode(path.join(s.proxyDataDir, 'ssh'))).toBe('700');
    for (const f of ['id_remex_ed25519', 'id_remex_ed25519.pub']) expect(mode(path.join(s.proxyDataDir, 'ssh', f)), f).toBe('600');
  });
});
