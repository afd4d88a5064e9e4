/**
 * @module
 * End to end through the CLI: a real server, a real proxy and a real sshd fleet; inventory set
 * up with `remex` commands, then `remex job-invocation create` following the job live over SSE,
 * per-host results, exit codes, and `output`/`info`/`hosts`/`list`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { loadProxyConfig, type RunningProxy, startProxy } from '@remex/proxy';
import { fleetImportYaml, fleetParameters, type SshFleet, startSshFleet } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { captureIo } from './helpers/capture-io.ts';
import { type CliServer, startCliServer } from './helpers/cli-server.ts';
import { runOk } from './helpers/cli-suite.ts';

const HOSTS = 5;
const TEMPLATE = 'Run Command - Script Default';

let s: CliServer;
let fleet: SshFleet;
let proxy: RunningProxy;

const ok = (...argv: string[]): Promise<string> => runOk(s, ...argv);

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: HOSTS });
  s = await startCliServer();
  proxy = await startProxy(
    loadProxyConfig({
      env: {},
      overrides: { name: 'cli-test-proxy', listenPort: 0, plainHttp: true, serverUrl: s.server.url, token: await s.server.issueProxyCredential('cli-test-proxy'), dataDir: path.join(s.dir, 'proxy'), logLevel: 'warn' },
    }),
  );
  await fleet.authorize(proxy.publicKey);
  await s.server.registerProxy('cli-test-proxy', proxy.url);

  for (const [name, value] of fleetParameters(fleet)) {
    await ok('global-parameter', 'set', '--name', name, '--value', value);
  }
  const yaml = fleetImportYaml(fleet, 'fleet');
  await writeFile(path.join(s.dir, 'fleet.yaml'), yaml);
  expect(await ok('host', 'import', 'fleet.yaml')).toBe(`Imported ${HOSTS} hosts: ${HOSTS} created, 0 updated, 0 failed.\n`);
});

afterAll(async () => {
  await proxy?.stop().catch(() => undefined);
  await s?.stop();
  await fleet?.stop();
});

/** The job id from the "Job invocation N created" line. */
function jobIdOf(stdout: string): number {
  const m = /^Job invocation (\d+) created$/m.exec(stdout);
  expect(m, stdout).not.toBeNull();
  return Number(m![1]);
}

describe('remex job-invocation against a real sshd fleet', () => {
  it('runs a command on every host, follows it live and prints per-host results', async () => {
    const r = await s.cli.run('job-invocation', 'create', '--job-template', TEMPLATE, '--inputs', 'command=echo hello from $(hostname), done', '--search-query', 'hostgroup = fleet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const id = jobIdOf(r.stdout);
    expect(r.stdout).toContain(`[succeeded] ${HOSTS}/${HOSTS} succeeded ${HOSTS}, failed 0, pending 0\n`);
    for (const h of fleet.hosts) expect(r.stdout).toMatch(new RegExp(`^${h.name.replace(/\./g, '\\.')}\\s+\\| success \\| 0$`, 'm'));

    const out = await ok('job-invocation', 'output', '--id', String(id), '--host', fleet.hosts[0]!.name);
    expect(out).toMatch(/^hello from .*, done$/m);
    expect(out).toMatch(/^Exit status: 0$/m);

    const info = await ok('job-invocation', 'info', '--id', String(id), '--show-host-status');
    expect(info).toMatch(/^Status:\s+succeeded$/m);
    expect(info).toContain(`    ${fleet.hosts[1]!.name}: success`);
    const hosts = JSON.parse(await ok('job-invocation', 'hosts', '--id', String(id), '-o', 'json')) as { name: string; job_status: string }[];
    expect(hosts.map((h) => h.job_status)).toEqual(Array<string>(HOSTS).fill('success'));
    expect(await ok('job-invocation', 'list')).toMatch(new RegExp(`^${id}\\s+\\|.*\\| succeeded \\| ${HOSTS}\\s+\\| 0\\s+\\| 0\\s+\\| ${HOSTS}`, 'm'));
  });

  it('exits 5 with one error line when a host fails, showing its exit code', async () => {
    const target = fleet.hosts[2]!.name;
    const r = await s.cli.run(
      'job-invocation', 'create', '--job-template', TEMPLATE,
      '--inputs', '{"command": "echo to-stdout; echo to-stderr >&2; exit 3"}',
      '--host-ids', target,
    );
    expect(r.code).toBe(5);
    const id = jobIdOf(r.stdout);
    expect(r.stderr).toBe(`Error: job invocation ${id} failed: 1 of 1 hosts failed\n`);
    expect(r.stdout).toMatch(new RegExp(`^${target.replace(/\./g, '\\.')}\\s+\\| error\\s+\\| 3\\s+\\| \\S`, 'm'));

    const out = await ok('job-invocation', 'output', '--id', String(id), '--host', target);
    expect(out).toContain('to-stdout\n');
    expect(out).toContain('to-stderr\n');
    expect(out).toMatch(/Exit status: 3\n$/);
    const json = JSON.parse(await ok('job-invocation', 'output', '--id', String(id), '--host', target, '-o', 'json')) as { output_type: string; output: string }[];
    expect(json.find((l) => l.output.includes('to-stderr'))?.output_type).toBe('stderr');
  });

  it('--async returns at once; output --follow then prints until the host is done', async () => {
    const target = fleet.hosts[1]!.name;
    const r = await s.cli.run('job-invocation', 'create', '--job-template', TEMPLATE, '--inputs', 'command=sleep 1; echo late line', '--search-query', `name = ${target}`, '--async');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Job invocation \d+ created\n$/);
    const id = jobIdOf(r.stdout);
    const out = await ok('job-invocation', 'output', '--id', String(id), '--host', target, '--follow');
    expect(out).toContain('late line\n');
    expect(out).toMatch(/Exit status: 0\n$/);
  });

  it('redraws the progress line in place on a terminal', async () => {
    const tty = captureIo(s.env, { tty: true, cwd: s.dir });
    const r = await tty.run('job-invocation', 'create', '--job-template', TEMPLATE, '--inputs', 'command=true', '--search-query', 'hostgroup = fleet');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\r\x1b[2K[succeeded] ${HOSTS}/${HOSTS} succeeded ${HOSTS}, failed 0, pending 0\n`);
  });

  it('schedules a job for later (output says when), cancels it, makes a recurring job (not followed), and reruns the failed hosts only', async () => {
    const target = fleet.hosts[3]!.name;
    const r = await s.cli.run('job-invocation', 'create', '--job-template', TEMPLATE, '--inputs', 'command=true', '--host-ids', target, '--start-at', '2099-01-01 00:00', '--start-before', '2099-01-02 00:00');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Job invocation \d+ created\n$/);
    const id = jobIdOf(r.stdout);
    expect(await ok('job-invocation', 'output', '--id', String(id), '--host', target)).toBe('The job is scheduled to start at 2099-01-01T00:00:00.000Z.\n');
    const info = await ok('job-invocation', 'info', '--id', String(id));
    expect(info).toMatch(/^Status:\s+queued$/m);
    expect(info).toMatch(/^Start before:\s+2099-01-02T00:00:00\.000Z$/m);
    expect(await ok('job-invocation', 'cancel', '--id', String(id), '--search', 'name = nobody.example.com')).toBe('Cancelled 0 of 0 matching hosts\n');
    expect(await ok('job-invocation', 'cancel', '--id', String(id))).toBe(`Job invocation ${id} cancelled\n`);
    expect(await ok('job-invocation', 'info', '--id', String(id))).toMatch(/^Status:\s+cancelled$/m);
    const again = await s.cli.run('job-invocation', 'cancel', '--id', String(id));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('The job could not be cancelled.');

    // A recurring job is created and not waited for; its first occurrence is queued for 04:00.
    const recurring = await s.cli.run('job-invocation', 'create', '--job-template', TEMPLATE, '--inputs', 'command=true', '--host-ids', target, '--cron-line', '0 4 * * *', '--max-iteration', '2');
    expect(recurring.stderr).toBe('');
    expect(recurring.stdout).toMatch(/^Job invocation \d+ created\n$/);
    const occurrence = await ok('job-invocation', 'info', '--id', String(jobIdOf(recurring.stdout)));
    expect(occurrence).toMatch(/^Mode:\s+recurring$/m);
    expect(occurrence).toMatch(/^Cron line:\s+0 4 \* \* \*$/m);
    await ok('job-invocation', 'cancel', '--id', String(jobIdOf(recurring.stdout)));

    // Fails only on fleet host 2 (sshd reports which address the session came in on).
    const failing = fleet.hosts[2]!;
    const command = `case "$SSH_CONNECTION" in *" ${failing.address} "*) exit 3;; esac`;
    const mixed = await s.cli.run('job-invocation', 'create', '--job-template', TEMPLATE, '--inputs', JSON.stringify({ command }), '--host-ids', `${failing.name},${target}`);
    expect(mixed.code).toBe(5);
    const rerun = await ok('job-invocation', 'rerun', '--id', String(jobIdOf(mixed.stdout)), '--failed-only');
    const m = /^Job invocation was rerun as (\d+)$/m.exec(rerun);
    expect(m, rerun).not.toBeNull();
    const hosts = JSON.parse(await ok('job-invocation', 'hosts', '--id', m![1]!, '-o', 'json')) as { name: string }[];
    expect(hosts.map((h) => h.name)).toEqual([failing.name]);
  });

  it("prints a registered proxy's SSH public key for authorized_keys", async () => {
    expect(await ok('proxy-registration', 'pubkey', '--name', 'cli-test-proxy')).toBe(`${proxy.publicKey.trim()}\n`);
    expect(await ok('proxy', 'pubkey', '--name', 'cli-test-proxy')).toBe(`${proxy.publicKey.trim()}\n`);
  });

  it('names a missing required input in one line', async () => {
    const r = await s.cli.run('job-invocation', 'create', '--job-template', TEMPLATE, '--search-query', 'hostgroup = fleet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: .*command.*\n$/);
    expect(r.stdout).toBe('');
  });
});
