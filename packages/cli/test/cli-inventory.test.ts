/**
 * @module
 * CLI against a real server (SQLite): inventory commands, host import of 10,000 hosts, job
 * templates, output formats and error paths. Commands run in-process through `main`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';

import { captureIo } from './helpers/capture-io.ts';
import { useCliServer } from './helpers/cli-suite.ts';

const s = useCliServer();
const { ok } = s;

describe('status', () => {
  it('checks connection and credentials', async () => {
    const out = await ok('status');
    expect(out).toMatch(/^Result:\s+ok$/m);
    expect(out).toMatch(/^API version:\s+2$/m);
    expect(out).toContain(`Server:      ${s.server.url}`);
  });
});

describe('hosts', () => {
  it('creates, lists, shows and deletes a host', async () => {
    expect(await ok('host', 'create', '--name', 'web01.example.com', '--ip', '10.0.0.1', '--comment', 'front', '--parameters', 'role=web,motd="a, b"')).toMatch(
      /^Host web01\.example\.com created \(id \d+\)\.\n$/,
    );
    // --output json on create/update prints the record the API answered.
    const created = JSON.parse(await ok('host', 'create', '--name', 'json01.example.com', '--ip', '10.0.0.9', '--output', 'json')) as { id: number; name: string; ip: string };
    expect(created).toMatchObject({ name: 'json01.example.com', ip: '10.0.0.9' });
    expect(await ok('host', 'update', '--id', String(created.id), '--comment', 'via json', '-o', 'yaml')).toMatch(/^comment: via json$/m);
    await ok('host', 'delete', '--id', String(created.id));
    const list = await ok('host', 'list');
    expect(list.split('\n')[1]).toBe('ID | NAME              | IP       | HOST GROUP | SUBNET');
    expect(list).toMatch(/\d+\s+\| web01\.example\.com \| 10\.0\.0\.1/);

    const info = await ok('host', 'info', '--name', 'web01.example.com');
    expect(info).toMatch(/^Id:\s+\d+$/m);
    expect(info).toMatch(/^Comment:\s+front$/m);
    expect(info).toContain('    motd => a, b');
    expect(info).toContain('    role => web');

    const json = JSON.parse(await ok('host', 'info', '--name', 'web01.example.com', '--output', 'json')) as { id: number; name: string };
    expect(json.name).toBe('web01.example.com');
    expect(await ok('host', 'info', '--id', String(json.id), '-o', 'yaml')).toContain('name: web01.example.com');

    await ok('host', 'update', '--name', 'web01.example.com', '--ip', '10.0.0.9');
    expect(await ok('host', 'info', '--id', String(json.id))).toMatch(/^IP:\s+10\.0\.0\.9$/m);

    expect(await ok('host', 'set-parameter', '--host', 'web01.example.com', '--name', 'tier', '--value', '1')).toBe('Host parameter tier created.\n');
    expect(await ok('host', 'set-parameter', '--host', 'web01.example.com', '--name', 'tier', '--value', '2')).toBe('Host parameter tier updated.\n');
    expect(await ok('host', 'info', '--id', String(json.id))).toContain('    tier => 2');

    expect(await ok('host', 'delete', '--name', 'web01.example.com')).toBe(`Host ${json.id} deleted.\n`);
    expect(await ok('host', 'list', '--output', 'json')).not.toContain('web01.example.com');
  });

  it('creates nested host groups and puts a host in one by title', async () => {
    expect(await ok('hostgroup', 'create', '--name', 'base')).toMatch(/^Host group base created/);
    await ok('hostgroup', 'create', '--name', 'web', '--parent', 'base', '--parameters', 'role=web');
    const info = await ok('hostgroup', 'info', '--title', 'base/web');
    expect(info).toMatch(/^Title:\s+base\/web$/m);
    expect(info).toContain('    role => web');
    await ok('hostgroup', 'set-parameter', '--hostgroup', 'base/web', '--name', 'tier', '--value', 'front');
    expect(await ok('hostgroup', 'info', '--name', 'web')).toContain('    tier => front');
    const groups = parseYaml(await ok('hostgroup', 'list', '-o', 'yaml')) as { title: string }[];
    expect(groups.map((g) => g.title)).toEqual(expect.arrayContaining(['base', 'base/web']));

    await ok('host', 'create', '--name', 'app01', '--ip', '10.0.1.1', '--hostgroup', 'base/web', '--parameters', 'a=1', '--parameters', 'b=2');
    const app = await ok('host', 'info', '--name', 'app01');
    expect(app).toMatch(/^Host group:\s+base\/web$/m);
    expect(app).toContain('    a => 1\n    b => 2\n');
  });

  it('creates a host with its operating system, uploads its facts from YAML and lists them', async () => {
    await ok('operatingsystem', 'create', '--name', 'Debian', '--major', '12', '--family', 'Debian');
    await ok('host', 'create', '--name', 'facts.cli.test', '--operatingsystem', 'Debian 12');
    expect(await ok('host', 'info', '--name', 'facts.cli.test')).toMatch(/^Operating system:\s+Debian 12$/m);
    await writeFile(path.join(s.dir, 'facts.yaml'), 'ansible_facts:\n  os:\n    family: Debian\n  memorysize_mb: 2048\n');
    expect(await ok('host', 'facts', 'upload', '--name', 'facts.cli.test', '--file', 'facts.yaml')).toBe('Facts of facts.cli.test uploaded (2 top-level facts).\n');
    const listed = await ok('host', 'facts', 'list', '--name', 'facts.cli.test');
    expect(listed).toMatch(/^os::family\s+Debian$/m);
    expect(listed).toMatch(/^memorysize_mb\s+2048$/m);
    expect(await ok('host', 'list', '--search', 'facts.os::family = Debian')).toContain('facts.cli.test');
    await writeFile(path.join(s.dir, 'bad.yaml'), '- just\n- a list\n');
    const bad = await s.cli.run('host', 'facts', 'upload', '--name', 'facts.cli.test', '--file', 'bad.yaml');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toBe('Error: bad.yaml must hold a map of fact names to values\n');
  });

  it('lists, shows and changes settings (hammer: settings list|info|set)', async () => {
    expect(await ok('settings', 'list', '--search', 'name = remote_execution_connect_by_ip')).toMatch(/remote_execution_connect_by_ip \| false/);
    expect(await ok('settings', 'set', '--name', 'remote_execution_connect_by_ip', '--value', 'true')).toBe('Setting remote_execution_connect_by_ip updated to true.\n');
    expect(await ok('settings', 'info', '--name', 'remote_execution_connect_by_ip')).toMatch(/^Value:\s+true$/m);
    const bad = await s.cli.run('settings', 'set', '--name', 'remote_execution_connect_by_ip', '--value', 'maybe');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/remote_execution_connect_by_ip/);
    await ok('settings', 'set', '--name', 'remote_execution_connect_by_ip', '--value', 'false');
  });

  it('imports 10,000 hosts from a CSV file', async () => {
    const lines = ['name,ip,hostgroup,parameters'];
    for (let i = 0; i < 10_000; i++) lines.push(`bulk${String(i).padStart(5, '0')}.example.com,10.9.${i >> 8}.${i & 255},bulk/rack${i % 10},idx=${i};rack=${i % 10}`);
    await writeFile(path.join(s.dir, 'hosts.csv'), `${lines.join('\n')}\n`);
    const started = performance.now();
    const out = await ok('host', 'import', 'hosts.csv');
    console.log(`remex host import: 10,000 hosts in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    expect(out).toBe('Imported 10000 hosts: 10000 created, 0 updated, 0 failed.\n');

    const page = JSON.parse(await ok('host', 'list', '--search', 'name ~ bulk', '--per-page', '5', '-o', 'json')) as { name: string }[];
    expect(page).toHaveLength(5);
    const one = await ok('host', 'info', '--name', 'bulk09999.example.com');
    expect(one).toMatch(/^Host group:\s+bulk\/rack9$/m);
    expect(one).toContain('    idx => 9999');

    // Importing again updates instead of duplicating.
    await writeFile(path.join(s.dir, 'again.yaml'), '- name: bulk00000.example.com\n  ip: 10.9.9.9\n  parameters: {idx: zero}\n');
    expect(await ok('host', 'import', 'again.yaml')).toBe('Imported 1 hosts: 0 created, 1 updated, 0 failed.\n');
  });

  it('lists every page when no paging option is given', async () => {
    const all = JSON.parse(await ok('host', 'list', '--search', 'name ~ bulk', '-o', 'json')) as unknown[];
    expect(all).toHaveLength(10_000);
  });
});

describe('job templates', () => {
  it('creates a template from a file, lists, shows, dumps and deletes it', async () => {
    const body = 'echo "<%= input(\'message\') %>"\n';
    await writeFile(path.join(s.dir, 'hello.erb'), body);
    expect(
      await ok('job-template', 'create', '--file', 'hello.erb', '--name', 'CLI hello', '--job-category', 'Tests', '--provider-type', 'script', '--description', 'says hello'),
    ).toMatch(/^Job template CLI hello created \(id \d+\)\.\n$/);
    const list = await ok('job-template', 'list');
    expect(list).toMatch(/\| CLI hello\s+\| Tests\s+\| script/);
    expect(list).toContain('Run Command - Script Default');
    expect(await ok('job-template', 'info', '--name', 'CLI hello')).toMatch(/^Description:\s+says hello$/m);
    expect(await ok('job-template', 'dump', '--name', 'CLI hello')).toBe(body);
    await ok('job-template', 'update', '--name', 'CLI hello', '--new-name', 'CLI hello 2');
    await ok('job-template', 'delete', '--name', 'CLI hello 2');
    expect(await ok('job-template', 'list', '--search', 'name = "CLI hello 2"', '-o', 'json')).toBe('[]\n');
  });
});

describe('other resources', () => {
  it('manages subnets and global parameters', async () => {
    expect(await ok('subnet', 'create', '--name', 'lan', '--network', '192.168.1.0', '--mask', '255.255.255.0')).toMatch(/^Subnet lan created/);
    expect(await ok('subnet', 'info', '--name', 'lan')).toMatch(/^Mask:\s+255\.255\.255\.0$/m);
    await ok('subnet', 'delete', '--name', 'lan');

    expect(await ok('global-parameter', 'set', '--name', 'site', '--value', 'lab')).toBe('Global parameter site created.\n');
    expect(await ok('global-parameter', 'set', '--name', 'site', '--value', 'prod')).toBe('Global parameter site updated.\n');
    expect(await ok('global-parameter', 'list')).toMatch(/\| site\s+\| prod/);
    await ok('global-parameter', 'delete', '--name', 'site');
  });

  it('manages organizations and locations (nested, with members) like hammer', async () => {
    expect(await ok('organization', 'create', '--name', 'ACME')).toMatch(/created/i);
    expect(await ok('location', 'create', '--name', 'Europe')).toMatch(/created/i);
    const europe = JSON.parse(await ok('location', 'info', '--name', 'Europe', '-o', 'json')) as { id: number };
    expect(await ok('location', 'create', '--name', 'Berlin', '--parent-id', String(europe.id))).toMatch(/created/i);
    expect(await ok('location', 'list')).toMatch(/Europe\/Berlin/);
    expect(await ok('organization', 'update', '--name', 'ACME', '--description', 'the company', '--user-ids', '1')).toMatch(/updated/i);
    const info = await ok('organization', 'info', '--name', 'ACME');
    expect(info).toMatch(/Description:\s+the company/);
    expect(info).toMatch(/User ids:\s+1/);
    const bad = await s.cli.run('organization', 'create', '--name', 'a/b');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/must not contain '\/'/);
    await ok('organization', 'delete', '--name', 'ACME');
    expect(await ok('domain', 'create', '--name', 'lab.example.com', '--fullname', 'the lab')).toMatch(/created/i);
    expect(await ok('domain', 'list')).toMatch(/lab\.example\.com/);
    expect(await ok('domain', 'info', '--name', 'lab.example.com')).toMatch(/Description:\s+the lab/);
    await ok('domain', 'delete', '--name', 'lab.example.com');
  });

  it('lists proxy registrations under both names', async () => {
    expect((await ok('proxy-registration', 'list')).split('\n')[1]).toBe('ID | NAME | URL | FEATURES');
    expect((await ok('smart-proxy', 'list', '-o', 'json')).trim()).toMatch(/^\[/);
  });

  it('issues a proxy credential once, and registration needs one', async () => {
    const out = await ok('proxy-registration', 'credential', '--name', 'p9');
    expect(out).toMatch(/^Credential for proxy p9 \(shown once, keep it secret\):\n[0-9a-f]{16}\.[0-9a-f]{64}\n/);
    expect(out).toMatch(/remex proxy-registration create --name p9 --url/);
    const none = await s.cli.run('proxy-registration', 'create', '--name', 'p10', '--url', 'http://127.0.0.1:1');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/No credential was issued for proxy 'p10'/);
    const down = await s.cli.run('proxy-registration', 'create', '--name', 'p9', '--url', 'http://127.0.0.1:1');
    expect(down.stderr).toMatch(/Unable to communicate with the proxy/);
    const missing = await s.cli.run('proxy-registration', 'refresh', '--name', 'p9');
    expect(missing.code).toBe(3);
  });
});

describe('errors: one line, non-zero exit', () => {
  it('unknown host → exit 3', async () => {
    const r = await s.cli.run('host', 'info', '--name', 'nope.example.com');
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'Error: host "nope.example.com" not found\n' });
    const byId = await s.cli.run('host', 'delete', '--id', '999999');
    expect(byId.code).toBe(3);
    expect(byId.stderr.split('\n')).toHaveLength(2);
  });

  it('server-side validation → exit 2 with the server message', async () => {
    await ok('host', 'create', '--name', 'dup01', '--ip', '10.0.0.5');
    const r = await s.cli.run('host', 'create', '--name', 'dup01', '--ip', '10.0.0.5');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: .*dup01.*\n$/);
  });

  it('wrong password → exit 4', async () => {
    const r = await captureIo({ ...s.env, REMEX_PASSWORD: 'wrong' }).run('host', 'list');
    expect(r.code).toBe(4);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^Error: .*\(as user admin\)\n$/);
    const none = await captureIo({ ...s.env, REMEX_PASSWORD: undefined }).run('host', 'list');
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/no password given: set REMEX_PASSWORD/);
  });

  it('import with bad rows → exit 2, nothing sent', async () => {
    await writeFile(path.join(s.dir, 'bad.csv'), 'name,ip\nok1,1.2.3.4\n,1.2.3.5\n');
    const r = await s.cli.run('host', 'import', 'bad.csv');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'Error: bad.csv:3: missing host name\n' });
    expect((await s.cli.run('host', 'info', '--name', 'ok1')).code).toBe(3);
    expect((await s.cli.run('host', 'import', 'missing.csv')).code).toBe(3);
  });

  it('unknown job template → exit 3', async () => {
    const r = await s.cli.run('job-invocation', 'create', '--job-template', 'No such template', '--inputs', 'command=uptime', '--search-query', 'name = x');
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'Error: job template "No such template" not found\n' });
  });
});
