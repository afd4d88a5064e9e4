/**
 * @module
 * Foreman's Ansible collection against Remex, as its users run it: Debian's `ansible-playbook`
 * with the `theforeman.foreman` modules (apypie reads `/apidoc/v2.json`, then calls the API)
 * sets a global parameter and a setting, creates a job template with an input, a hostgroup with a parameter and
 * a host in it on the real SSH fleet, and runs a job on it; a following `uri` task waits for the
 * job, whose output shows the template, the input, both parameters and the host were all there;
 * a job by bookmark carries the ssh, concurrency and timeout options the module sends. A second run changes
 * nothing that exists already. Without ansible the test is skipped with the reason printed; under
 * CI it fails (`scripts/install-test-deps.sh` installs it).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { tempDir } from '@remex/testkit';
import type { TempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack } from './fleet-stack.ts';
import { ADMIN_PASSWORD } from './test-server.ts';

/** Why the collection cannot run here, or null when it can. */
function missingAnsible(): string | null {
  const doc = spawnSync('ansible-doc', ['-t', 'module', 'theforeman.foreman.job_invocation'], { encoding: 'utf8', timeout: 60_000 });
  if (doc.error !== undefined || doc.status !== 0) return `ansible with the theforeman.foreman collection is not installed (scripts/install-test-deps.sh installs it): ${doc.error?.message ?? doc.stderr.trim().slice(0, 200)}`;
  const requests = spawnSync('python3', ['-c', 'import requests'], { encoding: 'utf8' });
  if (requests.status !== 0) return "Python's requests module is missing (python3-requests)";
  return null;
}

const MISSING = missingAnsible();
if (MISSING !== null && process.env.CI) throw new Error(MISSING);

const HOST = 'ansible-made.fleet.test';
const TEMPLATE = 'Ansible collection probe';

/** The playbook: every Foreman module call gets the server's address and credentials. */
function playbook(serverUrl: string, hostIp: string): string {
  const template = ['<%#', `name: ${TEMPLATE}`, 'job_category: Ansible tests', 'provider_type: SSH', '%>', `echo "<%= host_param('ansible_greeting') %> on <%= @host.name %> (<%= host_param('group_note') %>): <%= input('word') %>"`, ''].join('\n');
  const play = {
    hosts: 'localhost',
    connection: 'local',
    gather_facts: false,
    module_defaults: { 'group/theforeman.foreman.foreman': { server_url: serverUrl, username: 'admin', password: ADMIN_PASSWORD, validate_certs: false } },
    tasks: [
      { name: 'global parameter', 'theforeman.foreman.global_parameter': { name: 'ansible_greeting', value: 'hello from ansible' } },
      { name: 'setting', 'theforeman.foreman.setting': { name: 'remote_execution_form_job_template', value: TEMPLATE } },
      {
        name: 'job template',
        'theforeman.foreman.job_template': { name: TEMPLATE, template, template_inputs: [{ name: 'word', input_type: 'user', required: true }] },
      },
      { name: 'hostgroup', 'theforeman.foreman.hostgroup': { name: 'ansible-group', description: 'made by ansible', parameters: [{ name: 'group_note', value: 'grouped' }] } },
      { name: 'host', 'theforeman.foreman.host': { name: HOST, ip: hostIp, hostgroup: 'ansible-group', comment: 'made by ansible' } },
      { name: 'bookmark', 'theforeman.foreman.bookmark': { name: 'ansible hosts', controller: 'hosts', query: `name = ${HOST}`, public: true } },
      {
        name: 'job by bookmark',
        register: 'by_bookmark',
        'theforeman.foreman.job_invocation': {
          job_template: TEMPLATE,
          bookmark: 'ansible hosts',
          inputs: { word: 'bookmarked' },
          ssh: { effective_user: 'remex-test' },
          concurrency_control: { concurrency_level: 1 },
          execution_timeout_interval: 120,
          description_format: 'Ansible bookmark run',
        },
      },
      {
        name: 'job',
        register: 'job',
        'theforeman.foreman.job_invocation': { job_template: TEMPLATE, search_query: `name = ${HOST}`, inputs: { word: 'xyzzy' } },
      },
      {
        name: 'wait for the job',
        register: 'finished',
        'ansible.builtin.uri': {
          url: `${serverUrl}/api/job_invocations/{{ job.entity.job_invocations[0].id }}?include_hosts=false`,
          user: 'admin',
          password: ADMIN_PASSWORD,
          force_basic_auth: true,
          headers: { Accept: 'application/json;version=2' },
        },
        until: "finished.json.status_label not in ['queued', 'running']",
        retries: 300,
        delay: 1,
      },
    ],
  };
  return JSON.stringify([play], null, 2);
}

interface TaskResult {
  changed?: boolean;
  failed?: boolean;
  msg?: string;
  [key: string]: unknown;
}

/** Runs the playbook; the task results by task name (json callback) and the raw output. */
async function runPlaybook(dir: string, file: string): Promise<{ code: number | null; tasks: Map<string, TaskResult>; output: string }> {
  const env = {
    ...process.env,
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'),
    ANSIBLE_REMOTE_TEMP: path.join(dir, 'tmp'),
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'false',
    // apypie caches the apidoc under $XDG_CACHE_HOME/apypie.
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    HOME: dir,
  };
  const child = spawn('ansible-playbook', ['-i', 'localhost,', file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const tasks = new Map<string, TaskResult>();
  try {
    const report = JSON.parse(out.slice(out.indexOf('{'))) as { plays: Array<{ tasks: Array<{ task: { name: string }; hosts: Record<string, TaskResult> }> }> };
    for (const play of report.plays) for (const t of play.tasks) tasks.set(t.task.name, t.hosts.localhost ?? {});
  } catch {
    // Left empty: the assertion on `code` shows the output.
  }
  return { code, tasks, output: `${out.slice(-6000)}\n${err.slice(-3000)}` };
}

describe('the theforeman.foreman Ansible collection', () => {
  let s: FleetStack;
  let dir: TempDir;
  let file: string;
  beforeAll(async () => {
    if (MISSING !== null) return;
    s = await startFleetStack('sqlite', 1);
    dir = await tempDir('remex-ansible-');
    file = path.join(dir.path, 'playbook.yml');
    const hostIp = s.fleet.hosts[0]?.address ?? '';
    fs.writeFileSync(file, playbook(s.t.server.url, hostIp), { mode: 0o600 });
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
    await dir?.cleanup();
  });

  it('creates a global parameter, a template with an input and a host, and runs a job on the fleet', async (ctx) => {
    if (MISSING !== null) {
      process.stderr.write(`skipped "${ctx.task.name}": ${MISSING}\n`);
      ctx.skip(MISSING);
    }
    const run = await runPlaybook(dir.path, file);
    expect(run.code, run.output).toBe(0);
    if (process.env.SHOW_ANSIBLE) process.stderr.write(run.output);
    for (const name of ['global parameter', 'setting', 'job template', 'hostgroup', 'host', 'job']) expect(run.tasks.get(name)?.changed, name).toBe(true);
    const finished = run.tasks.get('wait for the job') as { json?: { id: number; status_label: string } } | undefined;
    expect(finished?.json?.status_label, run.output).toBe('succeeded');
    const jobId = finished?.json?.id ?? 0;

    const { t } = s;
    const byBookmark = (run.tasks.get('job by bookmark') as { entity?: { job_invocations?: Array<{ id: number }> } } | undefined)?.entity?.job_invocations?.[0]?.id;
    const bookmarked = await t.api('GET', `/api/job_invocations/${byBookmark ?? 0}`);
    expect(bookmarked.body).toMatchObject({ description: 'Ansible bookmark run', concurrency_level: 1, execution_timeout_interval: 120, effective_user: 'remex-test' });
    const host = await t.api('GET', `/api/hosts/${HOST}`);
    expect(host.body).toMatchObject({ name: HOST, ip: s.fleet.hosts[0]?.address });
    expect((await t.api('GET', '/api/settings/remote_execution_form_job_template')).body.value).toBe(TEMPLATE);
    const tpl = await t.api('GET', `/api/job_templates?search=${encodeURIComponent(`name = "${TEMPLATE}"`)}`);
    expect(tpl.body.results).toHaveLength(1);
    const output = await t.api('GET', `/api/job_invocations/${jobId}/hosts/${HOST}`);
    const text = ((output.body?.output ?? []) as Array<{ output: string }>).map((l) => l.output).join('');
    expect(text).toContain(`hello from ansible on ${HOST} (grouped): xyzzy`);

    // Run again: what exists is found and left as it is; only the job runs again.
    const again = await runPlaybook(dir.path, file);
    expect(again.code, again.output).toBe(0);
    for (const name of ['global parameter', 'setting', 'job template', 'hostgroup', 'host', 'bookmark']) expect(again.tasks.get(name)?.changed, `${name}: ${again.output}`).toBe(false);
    expect(again.tasks.get('job')?.changed).toBe(true);
    // apypie kept the description under the server's checksum and read it from there.
    const checksum = (await fetch(`${t.server.url}/api/status`)).headers.get('apipie-checksum') ?? '';
    const cached = fs.readdirSync(path.join(dir.path, 'cache', 'apypie'), { recursive: true }).map(String);
    expect(cached.some((f) => f.endsWith(`${checksum}.json`)), cached.join(', ')).toBe(true);
  }, 600_000);
});
