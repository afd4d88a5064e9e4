/**
 * The external compatibility corpus (`../shared/foreman-templates/`, 33 real Foreman/Katello job
 * templates, read at test time and never copied): every file imports through
 * `POST /api/job_templates/import` with the metadata of its header, exports back with the same
 * metadata, and previews for a sample Debian host and a sample Red Hat host. The expectations
 * below were written by reading each template. Katello templates render through their callees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CORPUS = path.resolve(REPO_ROOT, '../shared/foreman-templates');
/** Import order: each set's callees exist before the Katello wrappers that render them. */
const SETS = ['ssh-v1.3.0', 'ssh-2022-pre-rename', 'script-HEAD', 'katello-examples'] as const;

type Family = 'Debian' | 'Redhat';
type Header = Record<string, unknown> & { name: string; template_inputs?: Array<Record<string, unknown>>; foreign_input_sets?: Array<Record<string, unknown>> };

/** Independent header reader (not the server's): first `<%# … %>` block, YAML 1.1. */
function header(text: string): Header {
  const m = /^<%#\r?\n([\s\S]*?)\r?\n-?%>/.exec(text);
  if (!m?.[1]) throw new Error('no metadata header');
  return parse(m[1], { version: '1.1' }) as Header;
}

/** A preview case: inputs, then what the script must (not) contain per family; `error` = 422 expected. */
interface Case {
  inputs: Record<string, string>;
  expect: Partial<Record<Family, { has?: Array<string | RegExp>; hasNot?: Array<string | RegExp>; error?: RegExp }>>;
}

const pkgInstall = (mgr: RegExp): { has: RegExp[]; hasNot: string[] } => ({ has: [mgr], hasNot: [] });

/** Expectations by file name (shared by the sets where the behaviour is the same). */
const CASES: Record<string, (set: string) => Case[]> = {
  'run_command.erb': (): Case[] => [{ inputs: { command: 'uptime -p' }, expect: { Debian: { has: [/^uptime -p$/] }, Redhat: { has: [/^uptime -p$/] } } }],
  'run_downloaded_script.erb': (): Case[] => [
    { inputs: { url: 'https://example.com/setup.sh' }, expect: { Debian: { has: ["set -o pipefail && curl -sS 'https://example.com/setup.sh' | bash"] }, Redhat: { has: ["curl -sS 'https://example.com/setup.sh' | bash"] } } },
  ],
  'package_action.erb': (set): Case[] => [
    {
      inputs: { action: 'install', package: 'htop' },
      expect: {
        Redhat: { has: [/yum -y\s+install htop/], hasNot: ['apt-get', 'zypper'] },
        Debian:
          set === 'ssh-v1.3.0'
            ? pkgInstall(/apt-get -y install htop/)
            : { has: ['apt-get -y update', /apt-get .*-y\s+install htop/, 'DEBIAN_FRONTEND=noninteractive'], hasNot: ['yum', 'zypper refresh'] },
      },
    },
    ...(set === 'ssh-v1.3.0'
      ? []
      : [
          { inputs: { action: 'update' }, expect: { Debian: { has: [set === 'script-HEAD' ? /-y\s+upgrade\s+2>&1/ : /-y\s+upgrade\s*$/m], hasNot: ['--only-upgrade'] }, Redhat: { has: [/yum -y\s+update\s*$/m] } } },
          { inputs: { action: 'group remove', package: 'web', pre_script: 'echo before' }, expect: { Debian: { has: [/-y\s+remove web/, 'echo before', ...(set === 'script-HEAD' ? ['Unable to locate'] : [])] }, Redhat: { has: [/yum -y\s+group remove web/, 'Pre script failed'] } } },
        ]),
  ],
  'service_action.erb': (): Case[] => [
    { inputs: { action: 'restart', service: 'sshd' }, expect: { Redhat: { has: [/^systemctl restart sshd$/m], hasNot: ['service sshd'] }, Debian: { has: [/^service sshd restart$/m], hasNot: ['systemctl'] } } },
  ],
  'power_action.erb': (set): Case[] => [
    {
      inputs: { action: 'restart' },
      expect: {
        Debian: { has: ['echo restart host && sleep 3', set === 'ssh-v1.3.0' ? /^reboot$/m : /^shutdown -r \+1$/m] },
        Redhat: { has: ['echo restart host', set === 'ssh-v1.3.0' ? /^reboot$/m : 'shutdown -r +1'] },
      },
    },
    { inputs: { action: 'shutdown' }, expect: { Debian: { has: ['echo shutdown host', 'shutdown -h now'] } } },
  ],
  'puppet_run_once.erb': (): Case[] => [
    { inputs: { puppet_options: '--noop' }, expect: { Debian: { has: ['puppet agent --onetime --no-usecacheonfailure --no-daemonize --noop'] }, Redhat: { has: ['--no-daemonize --noop'] } } },
  ],
  'puppet_agent_disable.erb': (): Case[] => [
    {
      inputs: {},
      expect: {
        Debian: { has: ['export PATH=/opt/puppetlabs/bin:$PATH', 'puppet agent --disable "Disabled using Foreman Remote Execution - admin - $(date'] },
        Redhat: { has: ['puppet agent --disable'], hasNot: ['/opt/puppetlabs/bin'] },
      },
    },
    { inputs: { comment: 'maintenance' }, expect: { Redhat: { has: ['puppet agent --disable "maintenance - admin - '] } } },
  ],
  'puppet_agent_enable.erb': (): Case[] => [
    { inputs: {}, expect: { Debian: { has: ['export PATH=/opt/puppetlabs/bin:$PATH', 'puppet agent --enable'] }, Redhat: { has: ['puppet agent --enable'], hasNot: ['export PATH'] } } },
  ],
  'puppet_install_modules_from_forge.erb': (): Case[] => [
    {
      inputs: { puppet_module: 'puppetlabs-ntp', version: '9.1.0', force: 'true' },
      expect: { Redhat: { has: [/puppet module install puppetlabs-ntp\s+--version 9\.1\.0 --force/], hasNot: ['--target-dir', '--ignore-dependencies'] }, Debian: { has: ['/opt/puppetlabs/bin', 'puppet module install puppetlabs-ntp'] } },
    },
  ],
  'puppet_install_modules_from_git.erb': (): Case[] => [
    { inputs: { git_repository: 'https://git.example.com/ntp.git', target_dir: '/etc/puppetlabs/code/modules/ntp' }, expect: { Debian: { has: ['git clone https://git.example.com/ntp.git /etc/puppetlabs/code/modules/ntp'] }, Redhat: { has: ['git clone https://git.example.com/ntp.git'] } } },
  ],
  'check_update.erb': (): Case[] => [
    { inputs: {}, expect: { Redhat: { has: [/^yum check-update$/m, 'rc=$?', '(exit 0)'], hasNot: ['apt list'] }, Debian: { has: [/^apt list --upgradable$/m], hasNot: ['rc=$?', 'yum'] } } },
  ],
  'module_action.erb': (): Case[] => [
    {
      inputs: { action: 'enable', module_spec: 'nodejs:18' },
      expect: { Redhat: { has: [/dnf -y module enable nodejs:18/] }, Debian: { error: /Unsupported or no operating system found for this host/ } },
    },
  ],
  'convert2rhel_analyze.erb': (): Case[] => [
    { inputs: { ELS: 'yes' }, expect: { Redhat: { has: ['/usr/bin/convert2rhel analyze -y --els', 'yum install -y convert2rhel'] }, Debian: { has: ["echo 'Unsupported OS, it must be from the Red Hat family.'"], hasNot: ['convert2rhel analyze'] } } },
    { inputs: {}, expect: { Redhat: { has: [/convert2rhel analyze -y\s*$/m], hasNot: ['--els'] } } },
  ],
  'install_package.erb': (): Case[] => [
    { inputs: { package: 'htop' }, expect: { Redhat: { has: [/yum -y\s+install htop/] }, Debian: { has: [/apt-get .*-y\s+install htop/, 'apt-get -y update'] } } },
  ],
  'update_package.erb': (): Case[] => [
    { inputs: { package: 'htop' }, expect: { Redhat: { has: [/yum -y\s+update htop/] }, Debian: { has: [/--only-upgrade install htop/] } } },
  ],
  'install_errata.erb': (): Case[] => [
    { inputs: { errata: 'RHSA-2024:1,RHSA-2024:2' }, expect: { Redhat: { has: [/yum -y\s+update-minimal --advisory=RHSA-2024:1 --advisory=RHSA-2024:2/] }, Debian: { has: ['--advisory=RHSA-2024:1 --advisory=RHSA-2024:2'] } } },
  ],
  'restart_services.erb': (): Case[] => [
    { inputs: { helper: 'systemctl restart httpd, reboot' }, expect: { Redhat: { has: ['echo restart host && sleep 3', 'shutdown -r +1'], hasNot: ['katello-tracer-upload'] } } },
    {
      inputs: { helper: 'systemctl restart httpd,systemctl restart sshd' },
      expect: { Debian: { has: ['RETVAL=0', /^systemctl restart httpd\nif \[ \$\? -ne 0 \]; then$/m, /^systemctl restart sshd$/m, 'katello-tracer-upload', 'exit $RETVAL'], hasNot: ['shutdown'] } },
    },
  ],
};

function checkText(text: string, e: { has?: Array<string | RegExp>; hasNot?: Array<string | RegExp> }, label: string): void {
  for (const h of e.has ?? []) {
    if (typeof h === 'string') expect(text, `${label}: contains ${h}`).toContain(h);
    else expect(text, `${label}: matches ${String(h)}`).toMatch(h);
  }
  for (const h of e.hasNot ?? []) {
    if (typeof h === 'string') expect(text, `${label}: lacks ${h}`).not.toContain(h);
    else expect(text, `${label}: does not match ${String(h)}`).not.toMatch(h);
  }
}

/** Compares the API's view of a template with the header it was imported from. */
function checkMetadata(api: Record<string, unknown>, h: Header, label: string): void {
  expect(api.name, label).toBe(h.name);
  expect(api.job_category, label).toBe(h.job_category);
  expect(api.provider_type, label).toBe(h.provider_type);
  expect(api.description_format ?? null, label).toBe(h.description_format ?? null);
  expect(api.snippet, label).toBe(h.snippet === true);
  const inputs = api.template_inputs as Array<Record<string, unknown>>;
  // Same set of names (an overwrite keeps existing inputs' rows, so order may differ).
  expect(inputs.map((i) => String(i.name)).sort(), label).toEqual((h.template_inputs ?? []).map((i) => String(i.name)).sort());
  for (const hi of h.template_inputs ?? []) {
    const ai = inputs.find((i) => i.name === hi.name)!;
    expect(ai, `${label} input ${String(hi.name)}`).toMatchObject({
      input_type: hi.input_type ?? 'user',
      required: hi.required === true,
      advanced: hi.advanced === true,
      options: hi.options ?? null,
      default: hi.default ?? null,
      description: hi.description ?? null,
      hidden_value: hi.hidden_value === true,
    });
  }
  const sets = api.foreign_input_sets as Array<Record<string, unknown>>;
  expect(sets.length, label).toBe((h.foreign_input_sets ?? []).length);
  (h.foreign_input_sets ?? []).forEach((hs, i) => {
    expect(sets[i], `${label} set ${i}`).toMatchObject({ target_template_name: hs.template, include_all: hs.include_all !== false, include: hs.include ?? null, exclude: hs.exclude ?? null });
  });
}

describe.each(DIALECTS)('Foreman template corpus on %s', (dialect) => {
  let t: TestServer;
  const hosts: Record<Family, number> = { Debian: 0, Redhat: 0 };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    const deb = await t.api('POST', '/api/hosts/facts', { name: 'deb12.corpus.test', facts: { os: { family: 'Debian', name: 'Debian', release: { major: '12', minor: '5', full: '12.5' } }, ipaddress: '10.9.0.1' } });
    const rh = await t.api('POST', '/api/hosts/facts', { name: 'rhel9.corpus.test', facts: { osfamily: 'RedHat', operatingsystem: 'RedHat', operatingsystemrelease: '9.3', ipaddress: '10.9.0.2' } });
    expect(deb.status).toBe(201);
    expect(rh.status).toBe(201);
    hosts.Debian = deb.body.id as number;
    hosts.Redhat = rh.body.id as number;
    expect((await t.api('GET', `/api/hosts/${hosts.Redhat}`)).body.operatingsystem_name).toBe('RedHat 9.3');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('finds all 33 corpus templates', () => {
    const n = SETS.map((s) => fs.readdirSync(path.join(CORPUS, s)).filter((f) => f.endsWith('.erb')).length).reduce((a, b) => a + b, 0);
    expect(n).toBe(33);
  });

  for (const set of SETS) {
    it(`imports, exports and previews ${set}`, async () => {
      const files = fs.readdirSync(path.join(CORPUS, set)).filter((f) => f.endsWith('.erb')).sort();
      for (const file of files) {
        const label = `${set}/${file}`;
        const text = fs.readFileSync(path.join(CORPUS, set, file), 'utf8');
        const h = header(text);
        // Shipped Remex templates and earlier sets carry the same names: overwrite them.
        const imp = await t.api('POST', '/api/job_templates/import', { template: text, overwrite: true, options: { force: true } });
        expect([200, 201], `${label}: ${imp.text}`).toContain(imp.status);
        checkMetadata(imp.body, h, label);
        if (typeof h.feature === 'string' && !['run_script', 'puppet_run_host'].includes(h.feature)) expect(imp.body.feature, label).toBeNull();
        if (set === 'script-HEAD' && typeof h.feature === 'string' && h.feature !== 'katello_module_stream_action') expect(imp.body.feature, label).toBe(h.feature);

        const exp = await t.api('GET', `/api/job_templates/${imp.body.id}/export`);
        expect(exp.status, label).toBe(200);
        const eh = header(exp.text);
        expect(eh.kind).toBe('job_template');
        checkMetadata(imp.body, { ...eh, template_inputs: eh.template_inputs ?? [], foreign_input_sets: eh.foreign_input_sets ?? [] }, `${label} (export)`);
        expect(exp.text.slice(exp.text.indexOf('\n%>\n\n') + 5), label).toBe(imp.body.template);

        // The job form sends every user input, blank when unused (an input without a value
        // previews as the $USER_INPUT[name] placeholder, as in Foreman).
        // Inputs borrowed through a foreign input set honour its include/exclude lists.
        type Tpl = {
          template_inputs: Array<{ name: string; input_type: string }>;
          foreign_input_sets: Array<{ target_template_id: number; include_all: boolean; include: string | null; exclude: string | null }>;
        };
        const list = (v: string | null) => (v ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
        const blanks: Record<string, string> = {};
        const userInputs = async (tpl: Tpl, keep: (name: string) => boolean = () => true) => {
          for (const i of tpl.template_inputs) if (i.input_type === 'user' && keep(i.name)) blanks[i.name] = '';
          for (const f of tpl.foreign_input_sets) {
            const pick = (name: string) => keep(name) && (f.include_all || list(f.include).includes(name)) && !list(f.exclude).includes(name);
            await userInputs((await t.api('GET', `/api/job_templates/${f.target_template_id}`)).body as Tpl, pick);
          }
        };
        await userInputs(imp.body as Tpl);
        const cases = CASES[file]?.(set);
        expect(cases, `${label}: has expectations`).toBeDefined();
        for (const c of cases ?? []) {
          for (const [family, e] of Object.entries(c.expect) as Array<[Family, NonNullable<Case['expect'][Family]>]>) {
            const r = await t.api('POST', `/api/job_templates/${imp.body.id}/preview`, { host_id: hosts[family], inputs: { ...blanks, ...c.inputs } });
            const what = `${label} on ${family} with ${JSON.stringify(c.inputs)}`;
            if (e.error) {
              expect(r.status, what).toBe(422);
              expect(r.body.error.message, what).toMatch(e.error);
              continue;
            }
            expect(r.status, `${what}: ${r.text}`).toBe(200);
            checkText(r.text, e, what);
          }
        }
      }
    });
  }
});
