/**
 * @module
 * CLI against a real server (SQLite): template import/export/preview/clone with a corpus
 * template, template inputs, foreign input sets, remote execution features, operating systems,
 * and their error paths. Commands run in-process through `main`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { useCliServer } from './helpers/cli-suite.ts';

/** The repository root (packages/cli/test → ../../..). */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The corpus template, read at test time. */
const CORPUS_FILE = path.resolve(REPO_ROOT, '../shared/foreman-templates/script-HEAD/service_action.erb');
const CORPUS_NAME = 'Service Action - Script Default';

const s = useCliServer(async (started) => {
  // A host with Debian facts, as a fact upload would create it.
  const res = await fetch(`${started.server.url}/api/hosts/facts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`admin:${started.env.REMEX_PASSWORD}`).toString('base64')}` },
    body: JSON.stringify({
      name: 'deb12.tpl.test',
      facts: { os: { family: 'Debian', name: 'Debian', release: { major: '12', minor: '5', full: '12.5' } }, ipaddress: '10.9.0.1' },
    }),
  });
  expect(res.status).toBe(201);
});
const { ok } = s;

/** Runs a command that must fail with `code` and one error (its first line `Error: …`); returns it. */
async function fails(code: number, ...argv: string[]): Promise<string> {
  const r = await s.cli.run(...argv);
  expect(r.code, `remex ${argv.join(' ')}: ${r.stderr}`).toBe(code);
  expect(r.stderr.split('\n').filter((l) => l.startsWith('Error: ')), r.stderr).toHaveLength(1);
  return r.stderr;
}

/** The id of a template by name, through the CLI. */
async function templateId(name: string): Promise<number> {
  return (JSON.parse(await ok('job-template', 'info', '--name', name, '-o', 'json')) as { id: number }).id;
}

describe('job-template import / export / preview / clone', () => {
  it('imports the corpus service_action.erb over the shipped template, then as a new locked copy', async () => {
    const text = await readFile(CORPUS_FILE, 'utf8');
    await writeFile(path.join(s.dir, 'service_action.erb'), text);
    // The shipped template of that name exists: without --overwrite the import is refused.
    expect(await fails(2, 'job-template', 'import', '--file', 'service_action.erb')).toMatch(/already been taken/);
    // It is locked, so overwriting needs --force.
    expect(await fails(4, 'job-template', 'import', '--file', 'service_action.erb', '--overwrite')).toMatch(/locked/);
    expect(await ok('job-template', 'import', '--file', 'service_action.erb', '--overwrite', '--force')).toMatch(
      /^Job template Service Action - Script Default updated from import \(id \d+\)\.\n$/,
    );

    await writeFile(path.join(s.dir, 'copy.erb'), text.replace(`name: ${CORPUS_NAME}`, 'name: Service Action - Imported'));
    expect(await ok('job-template', 'import', '--file', 'copy.erb', '--lock')).toMatch(/^Job template Service Action - Imported imported \(id \d+\)\.\n$/);
    const info = await ok('job-template', 'info', '--name', 'Service Action - Imported');
    expect(info).toMatch(/^Locked:\s+yes$/m);
    expect(info).toMatch(/^Job category:\s+Services$/m);
    expect(info).toContain('    action (user, required)');
    expect(info).toContain('    service (user, required)');
  });

  it('exports a template to the default file name, to a named file and to stdout', async () => {
    expect(await ok('job-template', 'export', '--name', CORPUS_NAME)).toMatch(/exported to service_action_script_default\.erb\.\n$/);
    const exported = await readFile(path.join(s.dir, 'service_action_script_default.erb'), 'utf8');
    expect(exported.startsWith('<%#\n')).toBe(true);
    expect(exported).toContain('name: Service Action - Script Default');
    expect(exported).toContain('job_category: Services');
    expect(exported).toContain('- name: action');
    expect(exported).toContain('systemctl <%= input("action") %> <%= input("service") %>');

    await ok('job-template', 'export', '--id', String(await templateId(CORPUS_NAME)), '--file', 'out.erb');
    expect(await readFile(path.join(s.dir, 'out.erb'), 'utf8')).toBe(exported);
    expect(await ok('job-template', 'export', '--name', CORPUS_NAME, '--file', '-')).toBe(exported.endsWith('\n') ? exported : `${exported}\n`);

    // The export imports back unchanged (round trip through a new name).
    await writeFile(path.join(s.dir, 'roundtrip.erb'), exported.replace(`name: ${CORPUS_NAME}`, 'name: Service Action - Round Trip'));
    await ok('job-template', 'import', '--file', 'roundtrip.erb');
    expect(await ok('job-template', 'dump', '--name', 'Service Action - Round Trip')).toBe(await ok('job-template', 'dump', '--name', CORPUS_NAME));
  });

  it('previews the template for a Debian host (service, not systemctl)', async () => {
    const out = await ok('job-template', 'preview', '--name', CORPUS_NAME, '--host', 'deb12.tpl.test', '--inputs', 'action=restart,service=nginx');
    expect(out).toContain('service nginx restart');
    expect(out).not.toContain('systemctl');
    const hostId = (JSON.parse(await ok('host', 'info', '--name', 'deb12.tpl.test', '-o', 'json')) as { id: number }).id;
    expect(await ok('job-template', 'preview', '--name', CORPUS_NAME, '--host-id', String(hostId), '--inputs', '{"action": "enable", "service": "ssh"}')).toContain(
      'chkconfig --add ssh',
    );
  });

  it('clones a template with its inputs', async () => {
    expect(await ok('job-template', 'clone', '--name', CORPUS_NAME, '--new-name', 'Service Action - Mine')).toMatch(
      /^Job template Service Action - Mine cloned \(id \d+\)\.\n$/,
    );
    const info = await ok('job-template', 'info', '--name', 'Service Action - Mine');
    expect(info).toMatch(/^Cloned from id:\s+\d+$/m);
    expect(info).toMatch(/^Locked:\s+no$/m);
    expect(info).toContain('    action (user, required)');
  });

  it('reports errors with the right exit code, a render error with its excerpt and caret on their own lines', async () => {
    expect(await fails(3, 'job-template', 'export', '--name', 'No Such Template')).toBe('Error: job template "No Such Template" not found\n');
    expect(await fails(3, 'job-template', 'preview', '--id', '99999')).toMatch(/^Error: .*not found/);
    expect(await fails(3, 'job-template', 'import', '--file', 'missing.erb')).toBe('Error: file not found: missing.erb\n');
    expect(await fails(3, 'job-template', 'preview', '--name', CORPUS_NAME, '--host', 'nohost.test')).toMatch(/not found/);

    await writeFile(
      path.join(s.dir, 'broken.erb'),
      '<%#\nkind: job_template\nname: Broken Render\njob_category: Commands\nprovider_type: script\n%>\necho start\necho <%= @host.no_such_method_here %>\n',
    );
    await ok('job-template', 'import', '--file', 'broken.erb');
    const line = await fails(2, 'job-template', 'preview', '--name', 'Broken Render', '--host', 'deb12.tpl.test');
    expect(line).toMatch(/^Error: Failed rendering template: undefined method 'no_such_method_here'.*line:2, col:\d+/);
    // The excerpt keeps its lines, so the caret stands under the failing call.
    const lines = line.split('\n');
    const failing = lines.find((l) => l.startsWith('>> 2| '))!;
    const caret = lines[lines.indexOf(failing) + 1]!;
    expect(caret.trim()).toBe('^');
    expect(failing.slice(caret.indexOf('^'))).toMatch(/^@host\.no_such_method_here/);
  });
});

describe('template-input and foreign-input-set', () => {
  it('creates, lists, shows, updates and deletes template inputs', async () => {
    const id = String(await templateId('Service Action - Mine'));
    expect(await ok('template-input', 'create', '--template-id', id, '--name', 'hostname', '--input-type', 'user', '--options', 'www.example.com,localhost', '--default', 'localhost')).toMatch(
      /^Template input hostname created \(id \d+\)\.\n$/,
    );
    await ok('template-input', 'create', '--template-id', id, '--name', 'kernel', '--input-type', 'fact', '--fact-name', 'kernelversion', '--advanced');
    const list = await ok('template-input', 'list', '--template-id', id);
    expect(list.split('\n')[1]).toBe('ID | NAME     | INPUT TYPE | REQUIRED');
    expect(list).toMatch(/\| hostname \| user\s+\| no/);
    expect(list).toMatch(/\| kernel\s+\| fact\s+\| no/);
    expect(list).toMatch(/\| action\s+\| user\s+\| yes/);

    const info = await ok('template-input', 'info', '--template', 'Service Action - Mine', '--name', 'hostname');
    expect(info).toMatch(/^Options:\s+www\.example\.com, localhost$/m);
    expect(info).toMatch(/^Default value:\s+localhost$/m);
    const kernel = JSON.parse(await ok('template-input', 'info', '--template-id', id, '--name', 'kernel', '-o', 'json')) as { id: number; fact_name: string; advanced: boolean };
    expect(kernel).toMatchObject({ fact_name: 'kernelversion', advanced: true });

    await ok('template-input', 'update', '--template-id', id, '--id', String(kernel.id), '--new-name', 'kernel_version', '--required');
    expect(await ok('template-input', 'info', '--template-id', id, '--name', 'kernel_version')).toMatch(/^Required:\s+yes$/m);
    expect(await ok('template-input', 'delete', '--template-id', id, '--name', 'kernel_version')).toMatch(/^Template input kernel_version deleted/);

    // Errors: a default outside the options (2), a fact input without a fact name (2), an unknown template (3), a locked template (4).
    expect(await fails(2, 'template-input', 'create', '--template-id', id, '--name', 'x', '--options', 'a,b', '--default', 'c')).toMatch(/not one of its options/);
    expect(await fails(2, 'template-input', 'create', '--template-id', id, '--name', 'y', '--input-type', 'fact')).toMatch(/fact_name/);
    expect(await fails(2, 'template-input', 'create', '--template-id', id, '--name', 'z', '--input-type', 'bogus')).toMatch(/bogus/);
    await fails(3, 'template-input', 'list', '--template-id', '99999');
    await fails(4, 'template-input', 'create', '--template', 'Service Action - Imported', '--name', 'x');
  });

  it('imports another template’s inputs through a foreign input set', async () => {
    const id = String(await templateId('Service Action - Round Trip'));
    await ok('template-input', 'delete', '--template-id', id, '--name', 'action');
    const target = String(await templateId('Service Action - Mine'));
    expect(await ok('foreign-input-set', 'create', '--template-id', id, '--target-template-id', target, '--include', 'action')).toMatch(
      /^Foreign input set \d+ created \(target Service Action - Mine\)\.\n$/,
    );
    const sets = JSON.parse(await ok('foreign-input-set', 'list', '--template-id', id, '-o', 'json')) as { id: number; include_all: boolean; include: string }[];
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ include_all: false, include: 'action' });
    const setId = String(sets[0]!.id);
    expect(await ok('foreign-input-set', 'info', '--template-id', id, '--id', setId)).toMatch(/^Target template:\s+Service Action - Mine$/m);
    // The imported input renders in a preview.
    expect(await ok('job-template', 'preview', '--id', id, '--host', 'deb12.tpl.test', '--inputs', 'action=stop,service=cron')).toContain('service cron stop');

    await ok('foreign-input-set', 'update', '--template-id', id, '--id', setId, '--include-all', '--exclude', 'service,hostname');
    expect(await ok('foreign-input-set', 'info', '--template-id', id, '--id', setId)).toMatch(/^Exclude:\s+service,hostname$/m);
    // Importing "service" twice is refused.
    expect(await fails(2, 'foreign-input-set', 'update', '--template-id', id, '--id', setId, '--exclude', 'hostname')).toMatch(/Duplicated inputs/);
    expect(await ok('foreign-input-set', 'delete', '--template-id', id, '--id', setId)).toBe(`Foreign input set ${setId} deleted.\n`);
  });
});

describe('remote-execution-feature', () => {
  it('lists features and assigns a job template to one', async () => {
    const list = await ok('remote-execution-feature', 'list');
    expect(list.split('\n')[1]).toMatch(/^ID\s+\| NAME\s+\| LABEL\s+\| JOB TEMPLATE$/);
    expect(list).toMatch(/\| run_script\s+\|/);
    expect(await ok('remote-execution-feature', 'update', '--label', 'run_script', '--job-template', 'Service Action - Mine')).toMatch(
      /^Remote execution feature Run Script updated \(id \d+\)\.\n$/,
    );
    const info = await ok('remote-execution-feature', 'info', '--name', 'Run Script');
    expect(info).toMatch(/^Job template:\s+Service Action - Mine$/m);
    expect(info).toMatch(/^Label:\s+run_script$/m);
    const available = await ok('remote-execution-feature', 'available', '--host', 'deb12.tpl.test');
    expect(available).toContain('Service Action - Mine');

    // job-invocation create --feature runs the feature's template.
    const created = await ok('job-invocation', 'create', '--feature', 'run_script', '--search-query', 'name = deb12.tpl.test', '--inputs', 'action=status,service=cron', '--async');
    const jobId = /^Job invocation (\d+) created/.exec(created)?.[1];
    expect(jobId, created).toBeDefined();
    const job = JSON.parse(await ok('job-invocation', 'info', '--id', jobId!, '-o', 'json')) as Record<string, unknown>;
    expect(JSON.stringify(job)).toContain('Service Action - Mine');

    await fails(3, 'remote-execution-feature', 'update', '--label', 'no_such_feature', '--job-template-id', '1');
    await fails(3, 'remote-execution-feature', 'update', '--label', 'run_script', '--job-template', 'No Such Template');
  });
});

describe('operatingsystem', () => {
  it('creates, lists, shows, updates and deletes operating systems', async () => {
    // The fact upload created Debian 12.5.
    expect(await ok('operatingsystem', 'list')).toMatch(/\| Debian 12\.5 \| Debian\s+\| Debian/);
    const created = await ok('operatingsystem', 'create', '--name', 'Alma', '--major', '9', '--minor', '3', '--family', 'RedHat');
    expect(created).toMatch(/^Operating system Alma 9\.3 created \(id \d+\)\.\n$/);
    const osId = /id (\d+)/.exec(created)![1]!;
    const info = await ok('operatingsystem', 'info', '--title', 'Alma 9.3');
    expect(info).toMatch(/^Family:\s+Redhat$/m);
    expect(info).toMatch(/^Major version:\s+9$/m);
    await ok('operatingsystem', 'update', '--title', 'Alma 9.3', '--minor', '4');
    expect(JSON.parse(await ok('operatingsystem', 'info', '--id', osId, '-o', 'json'))).toMatchObject({ title: 'Alma 9.4', family: 'Redhat' });
    expect(await fails(2, 'operatingsystem', 'create', '--name', 'Alma', '--major', '9', '--minor', '4')).toMatch(/already exists/);
    expect(await fails(2, 'operatingsystem', 'create', '--name', 'Bad', '--major', '1', '--family', 'Plan9')).toMatch(/family/);
    expect(await fails(2, 'operatingsystem', 'delete', '--title', 'Debian 12.5')).toMatch(/used by 1 host/);
    expect(await ok('operatingsystem', 'delete', '--title', 'Alma 9.4')).toBe('Operating system Alma 9.4 deleted.\n');
    await fails(3, 'operatingsystem', 'info', '--title', 'Alma 9.4');
  });
});
