/**
 * The administrative screens in a real browser (Debian's chromium via playwright-core) against a
 * real server, proxy and sshd fleet: template inputs and foreign input sets edited on the template
 * page, revisions with their diff, export then import, Foreman's "Rerun…" prefilled wizard, the
 * audit log with the changes just made, and the recurring logics page with cancel.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { tempDir } from '@remex/testkit';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from '../../server/test/fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from '../../server/test/fleet-stack.ts';
import { ADMIN_PASSWORD } from '../../server/test/test-server.ts';
import { failedHostsQuery } from '../src/features/job-wizard/failed-hosts.ts';

const CHROMIUM = '/usr/bin/chromium';
const webRoot = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`${CHROMIUM} is missing: scripts/install-test-deps.sh installs it`);

describe.skipIf(!existsSync(CHROMIUM))('administrative screens in a browser', () => {
  let s: FleetStack;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let probeId: number;
  const cleanups: Array<() => Promise<void>> = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const out = await tempDir('remex-web-dist-');
    cleanups.push(() => out.cleanup());
    const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: webRoot, env: { ...process.env, REMEX_WEB_OUT_DIR: out.path }, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    process.env.REMEX_WEB_DIST = out.path;
    s = await startFleetStack('sqlite', 2);
    base = s.t.server.url;
    const tpl = await s.t.api('POST', '/api/job_templates', {
      job_template: {
        name: 'Admin probe',
        job_category: 'Admin tests',
        provider_type: 'script',
        template: 'echo "<%= input(\'message\') %>"\n',
        template_inputs_attributes: [{ name: 'message', input_type: 'user', required: true }],
      },
    });
    expect(tpl.status, tpl.text).toBe(201);
    probeId = tpl.body.id as number;
    const profile = await tempDir('remex-chromium-');
    cleanups.push(() => profile.cleanup());
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/job_templates/${probeId}`);
    await page.getByLabel('Login').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'User menu' }).waitFor();
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await s?.stop();
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    delete process.env.REMEX_WEB_DIST;
  });

  it('edits template inputs and foreign input sets; the wizard then asks for the new input', async () => {
    await page.goto(`${base}/job_templates/${probeId}`);
    const inputs = page.locator('table[aria-label="Template inputs"] tbody tr');
    await expect.poll(() => inputs.count()).toBe(1);
    await page.getByLabel('Input name').fill('greeting');
    await page.getByLabel('Options (one per line)').fill('hello\nhi');
    await page.getByLabel('Description').fill('How to greet');
    await page.getByRole('button', { name: 'Add input' }).click();
    await expect.poll(() => inputs.count()).toBe(2);
    expect(await inputs.filter({ hasText: 'greeting' }).textContent()).toContain('hello, hi');
    await page.getByRole('button', { name: 'Edit input greeting' }).click();
    await page.getByLabel('Required').check();
    await page.getByRole('button', { name: 'Save input' }).click();
    await expect.poll(async () => (await s.t.api('GET', `/api/job_templates/${probeId}`)).body.template_inputs.find((i: { name: string }) => i.name === 'greeting')?.required).toBe(true);

    await page.getByRole('tab', { name: 'Foreign input sets' }).click();
    await page.getByLabel('Target template').selectOption({ label: 'Run Command - Script Default' });
    await page.getByRole('button', { name: 'Add foreign input set' }).click();
    const sets = page.locator('table[aria-label="Foreign input sets"] tbody tr');
    await expect.poll(() => sets.count()).toBe(1);
    expect(await sets.first().textContent()).toContain('Run Command - Script Default');
    expect(await sets.first().locator('td').nth(1).textContent()).toBe('all');
    await page.getByRole('button', { name: 'Edit foreign input set Run Command - Script Default' }).click();
    await page.getByLabel('Include all inputs').uncheck();
    await page.getByLabel('Include (comma separated)').fill('command');
    await page.getByLabel('Set description').fill('The command too');
    await page.getByRole('button', { name: 'Save foreign input set' }).click();
    await expect.poll(() => sets.first().locator('td').nth(1).textContent()).toBe('command');
    expect(await sets.first().textContent()).toContain('The command too');
    // The preview form asks for the borrowed input too.
    await page.getByLabel('command', { exact: true }).waitFor();
    expect((await s.t.api('GET', `/api/templates/${probeId}/foreign_input_sets`)).body.results).toMatchObject([{ include_all: false, include: 'command', description: 'The command too' }]);

    // The wizard shows the new input as a select with its options, and the borrowed 'command'.
    await page.goto(`${base}/job_invocations/new`);
    await page.getByLabel('Job category').selectOption('Admin tests');
    await page.getByLabel('Job template').selectOption({ label: 'Admin probe' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('How to greet').waitFor();
    await page.getByLabel('greeting').selectOption('hi');
    await page.getByLabel('command', { exact: true }).waitFor();

    await page.goto(`${base}/job_templates/${probeId}`);
    await page.getByRole('tab', { name: 'Foreign input sets' }).click();
    await sets.first().getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => sets.count()).toBe(0);
  });

  it('shows revisions with a line diff, and exports then imports a template', async () => {
    expect((await s.t.api('PUT', `/api/job_templates/${probeId}`, { job_template: { template: 'echo "<%= input(\'message\') %>"\necho "<%= input(\'greeting\') %>"\n' } })).status).toBe(200);
    await page.goto(`${base}/job_templates/${probeId}`);
    await page.getByRole('tab', { name: 'Revisions' }).click();
    const diff = page.getByLabel('Revision diff');
    await expect.poll(() => diff.textContent()).toContain(`+ echo "<%= input('greeting') %>"`);
    expect(await diff.textContent()).toContain(`  echo "<%= input('message') %>"`);

    await page.getByRole('tab', { name: 'Export / import' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('Admin_probe.erb');
    const downloaded = await readFile(await file.path(), 'utf8');
    const exported = page.getByLabel('Exported template');
    await expect.poll(() => exported.textContent()).toContain('name: Admin probe');
    const text = (await exported.textContent()) ?? '';
    expect(downloaded).toBe(text);
    expect(downloaded).toBe((await s.t.api('GET', `/api/job_templates/${probeId}/export`)).text);
    // Imported from a file, as Foreman's import form takes it.
    await page.getByLabel('Template file').setInputFiles({ name: 'probe.erb', mimeType: 'text/plain', buffer: Buffer.from(downloaded.replace('name: Admin probe', 'name: Admin probe imported')) });
    await expect.poll(() => page.getByLabel('Template to import (ERB with its metadata header)').inputValue()).toContain('name: Admin probe imported');
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL((url) => /\/job_templates\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${probeId}`));
    await page.getByRole('heading', { name: /Admin probe imported/ }).waitFor();
    const imported = await s.t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Admin probe imported"')}`);
    expect(imported.body.subtotal).toBe(1);
    const full = await s.t.api('GET', `/api/job_templates/${imported.body.results[0].id as number}`);
    expect(full.body.template).toContain(`input('greeting')`);
  });

  it('reruns a job through the wizard prefilled with its template, inputs and targets', async () => {
    const created = await s.t.api('POST', '/api/job_invocations', {
      job_invocation: {
        job_template_id: probeId,
        search_query: 'hostgroup = fleet',
        inputs: { message: 'first run', greeting: 'hello' },
        concurrency_control: { concurrency_level: 3 },
        execution_timeout_interval: 120,
        description_format: 'Probe says %{message}',
      },
    });
    expect(created.status, created.text).toBe(201);
    const first = created.body.id as number;
    await waitForJob(s.t, first);
    await page.goto(`${base}/job_invocations/${first}`);
    await page.getByRole('button', { name: 'Edit and rerun…' }).click();
    await page.waitForURL(/\/job_invocations\/new\?rerun=/);
    await page.getByRole('heading', { name: `Rerun job ${first}` }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click(); // → inputs
    await expect.poll(() => page.getByLabel('message').inputValue()).toBe('first run');
    await page.getByLabel('message').fill('second run');
    await page.getByRole('button', { name: 'Next' }).click(); // → targets
    await expect.poll(() => page.getByRole('combobox', { name: 'Host search query' }).inputValue()).toBe('hostgroup = fleet');
    for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Next' }).click(); // → schedule, advanced
    expect(await page.getByLabel('Description template').inputValue()).toBe('Probe says %{message}');
    expect(await page.getByLabel('Timeout to kill').inputValue()).toBe('120');
    await page.getByRole('button', { name: 'Next' }).click(); // → review
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL((url) => /\/job_invocations\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${first}`));
    const second = Number(/\/job_invocations\/(\d+)/.exec(page.url())?.[1]);
    const job = (await s.t.api('GET', `/api/job_invocations/${second}`)).body;
    expect(job).toMatchObject({
      template_id: probeId,
      inputs: { message: 'second run', greeting: 'hello' },
      concurrency_level: 3,
      execution_timeout_interval: 120,
      description_format: 'Probe says %{message}',
      description: 'Probe says second run',
      targeting: { search_query: 'hostgroup = fleet' },
    });
    expect((await waitForJob(s.t, second)).status_label).toBe('succeeded');
  });

  it('reruns only the failed hosts through the prefilled wizard', async () => {
    const failing = s.fleet.hosts[0]?.name ?? '';
    const tpl = await s.t.api('POST', '/api/job_templates', {
      job_template: {
        name: 'Admin failer',
        job_category: 'Admin tests',
        provider_type: 'script',
        template: 'test "<%= @host.name %>" != "<%= input(\'fail_on\') %>"\n',
        template_inputs_attributes: [{ name: 'fail_on', input_type: 'user', required: true }],
      },
    });
    expect(tpl.status, tpl.text).toBe(201);
    const created = await s.t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: tpl.body.id, search_query: 'hostgroup = fleet', inputs: { fail_on: failing } } });
    expect(created.status, created.text).toBe(201);
    const first = created.body.id as number;
    expect(await waitForJob(s.t, first)).toMatchObject({ status_label: 'failed', failed: 1, succeeded: 1 });
    // The host search a rerun of many failed hosts targets picks exactly them.
    const picked = await s.t.api('GET', `/api/hosts?search=${encodeURIComponent(failedHostsQuery(first))}`);
    expect((picked.body.results as Array<{ name: string }>).map((h) => h.name)).toEqual([failing]);
    await page.goto(`${base}/job_invocations/${first}`);
    await page.getByRole('button', { name: 'Edit and rerun failed…' }).click();
    await page.waitForURL(/\/job_invocations\/new\?rerun=\d+&failed_only=1/);
    await page.getByRole('button', { name: 'Next' }).click(); // → inputs
    await expect.poll(() => page.getByLabel('fail_on').inputValue()).toBe(failing);
    await page.getByLabel('fail_on').fill('no such host');
    await page.getByRole('button', { name: 'Next' }).click(); // → targets: the failed host only
    expect(await page.getByLabel('Host names (comma separated)').inputValue()).toBe(failing);
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next' }).click(); // → schedule, advanced, review
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL((url) => /\/job_invocations\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${first}`));
    const second = Number(/\/job_invocations\/(\d+)/.exec(page.url())?.[1]);
    expect(await waitForJob(s.t, second)).toMatchObject({ status_label: 'succeeded', total_hosts: 1, succeeded: 1 });
    const hosts = (await s.t.api('GET', `/api/job_invocations/${second}/hosts`)).body.results as Array<{ name: string }>;
    expect(hosts.map((h) => h.name)).toEqual([failing]);
  });

  it('schedules a future job from the wizard, and searches hosts with autocompletion', async () => {
    await page.goto(`${base}/job_invocations/new`);
    await page.getByLabel('Job category').selectOption('Admin tests');
    await page.getByLabel('Job template').selectOption({ label: 'Admin probe' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('message', { exact: true }).fill('later');
    await page.getByLabel('greeting', { exact: true }).selectOption('hello');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('combobox', { name: 'Host search query' }).fill('hostgroup = fleet');
    await page.getByRole('button', { name: 'Next' }).click(); // → schedule
    await page.getByLabel('Schedule future execution').check();
    const inAnHour = new Date(Date.now() + 3600_000);
    const local = new Date(inAnHour.getTime() - inAnHour.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('Start at').fill(local);
    await page.getByRole('button', { name: 'Next' }).click(); // → advanced
    await page.getByRole('button', { name: 'Next' }).click(); // → review
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL(/\/job_invocations\/\d+$/);
    const id = Number(/\/job_invocations\/(\d+)/.exec(page.url())?.[1]);
    const job = (await s.t.api('GET', `/api/job_invocations/${id}`)).body;
    expect(job).toMatchObject({ mode: 'future', status_label: 'queued' });
    expect(Math.abs(Date.parse(job.start_at as string) - inAnHour.getTime())).toBeLessThan(61_000);
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await expect.poll(async () => (await s.t.api('GET', `/api/job_invocations/${id}`)).body.status_label).toBe('cancelled');

    // Autocompletion on the hosts search: fields first, then values.
    await page.goto(`${base}/hosts`);
    const search = page.getByRole('combobox', { name: 'Search Hosts' });
    await search.fill('hostg');
    const suggestions = page.getByRole('listbox', { name: 'Search Hosts: suggestions' });
    await suggestions.getByRole('option', { name: /hostgroup/ }).first().click();
    await expect.poll(() => search.inputValue()).toMatch(/^hostgroup/);
    await search.fill('hostgroup = ');
    await expect.poll(() => suggestions.getByRole('option').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('fleet')]));
  });

  it('lists audits, searchable, each expanding to its fields before and after', async () => {
    await page.goto(`${base}/audits?search=${encodeURIComponent('type = job_template and action = update and name = "Admin probe"')}`);
    const rows = page.locator('table[aria-label="Audits"] > tbody');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    // The template text changed by the revisions test: a line diff when expanded.
    const update = rows.filter({ has: page.locator('td[data-label="Changed fields"]', { hasText: /\btemplate\b/ }) }).first();
    expect(await update.locator('tr').first().textContent()).toMatch(/admin.*update.*job_template.*Admin probe/);
    await update.getByRole('button', { name: 'Details' }).click();
    const diff = update.getByLabel('Diff of template');
    await expect.poll(() => diff.textContent()).toContain(`+ echo "<%= input('greeting') %>"`);
    expect(await diff.textContent()).toContain(`  echo "<%= input('message') %>"`);

    // An input edited in the first test: its required flag (stored as 0 or 1, audited as a boolean), off before, on after.
    await page.goto(`${base}/audits?search=${encodeURIComponent('name = greeting and action = update')}`);
    const edit = rows.first();
    await edit.getByRole('button', { name: 'Details' }).click();
    const required = edit.locator('table[aria-label^="Changes of audit"] tr').filter({ hasText: 'required' });
    await expect.poll(() => required.locator('td').allTextContents()).toEqual(['required', 'false', 'true']);

    // The request id lists every audit of that request.
    const request = edit.locator('a[title^="Every audit of request"]');
    const title = (await request.getAttribute('title')) ?? '';
    await request.click();
    await page.waitForURL(/search=request_uuid/);
    const uuid = title.replace('Every audit of request ', '');
    await expect.poll(() => page.getByRole('combobox', { name: 'Search Audits' }).inputValue()).toBe(`request_uuid = "${uuid}"`);
    await expect.poll(() => rows.locator('a[title^="Every audit of request"]').evaluateAll((links) => links.map((a) => a.getAttribute('title')))).toEqual([title]);
  });

  it('disables, enables and cancels a recurring logic from its page, linked from the job', async () => {
    const created = await s.t.api('POST', '/api/job_invocations', {
      job_invocation: {
        job_template_id: await templateId(s.t, 'Run Command - Script Default'),
        search_query: 'hostgroup = fleet',
        inputs: { command: 'true' },
        recurrence: { cron_line: '0 3 * * *', purpose: 'ui-nightly' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const logic = created.body.recurrence.id as number;
    await page.goto(`${base}/job_invocations/${created.body.id as number}`);
    await page.getByRole('link', { name: /0 3 \* \* \*/ }).click();
    await page.waitForURL(/\/recurring_logics/);
    const row = page.locator('table[aria-label="Recurring logics"] tbody tr').filter({ hasText: 'ui-nightly' });
    await expect.poll(() => row.textContent()).toContain('active');
    await page.getByRole('button', { name: `Disable recurring logic ${logic}` }).click();
    await expect.poll(() => row.textContent()).toContain('disabled');
    expect((await s.t.api('GET', `/api/recurring_logics/${logic}`)).body.state).toBe('disabled');
    await page.getByRole('button', { name: `Enable recurring logic ${logic}` }).click();
    await expect.poll(() => row.textContent()).toContain('active');
    await page.getByRole('button', { name: `Cancel recurring logic ${logic}` }).click();
    await expect.poll(() => row.textContent()).toContain('cancelled');
    expect((await s.t.api('GET', `/api/recurring_logics/${logic}`)).body.state).toBe('cancelled');
  });

  it('switches the organization context: the hosts list shows that organization (and hosts in none)', async () => {
    const org = await s.t.api('POST', '/api/organizations', { organization: { name: 'Blue team' } });
    expect(org.status, org.text).toBe(201);
    const other = await s.t.api('POST', '/api/organizations', { organization: { name: 'Red team' } });
    const [first, second] = s.fleet.hosts;
    expect((await s.t.api('PUT', `/api/hosts/${first!.name}`, { host: { organization_id: org.body.id as number } })).status).toBe(200);
    expect((await s.t.api('PUT', `/api/hosts/${second!.name}`, { host: { organization_id: other.body.id as number } })).status).toBe(200);
    await page.goto(`${base}/hosts`);
    const rows = page.locator('table[aria-label="Hosts"] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('combobox', { name: 'Organization' }).selectOption({ label: 'Blue team' });
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(first!.name)]);
    await page.getByRole('combobox', { name: 'Organization' }).selectOption({ label: 'Any organization' });
    await expect.poll(() => rows.count()).toBe(2);
    for (const h of [first!, second!]) expect((await s.t.api('PUT', `/api/hosts/${h.name}`, { host: { organization_id: null } })).status).toBe(200);
  });

  it('edits settings in place: text, switch, and a wrong value refused on its row', async () => {
    await page.goto(`${base}/settings`);
    const workDir = page.getByRole('textbox', { name: 'remote_execution_remote_working_dir', exact: true });
    await workDir.fill('/var/tmp/remex-ui');
    await page.getByRole('button', { name: 'Save remote_execution_remote_working_dir' }).click();
    await expect.poll(async () => (await s.t.api('GET', '/api/settings/remote_execution_remote_working_dir')).body.value).toBe('/var/tmp/remex-ui');
    const fallback = page.getByRole('switch', { name: 'remote_execution_fallback_proxy' });
    const before = (await s.t.api('GET', '/api/settings/remote_execution_fallback_proxy')).body.value as boolean;
    await fallback.click({ force: true });
    await expect.poll(async () => (await s.t.api('GET', '/api/settings/remote_execution_fallback_proxy')).body.value).toBe(!before);
    await page.getByRole('textbox', { name: 'remote_execution_ssh_port', exact: true }).fill('not-a-port');
    await page.getByRole('button', { name: 'Save remote_execution_ssh_port' }).click();
    await expect.poll(() => page.getByText(/Value of setting remote_execution_ssh_port .*not-a-port/).count()).toBe(1);
    expect((await s.t.api('GET', '/api/settings/remote_execution_ssh_port')).body.value).toBe(22);
    expect((await s.t.api('PUT', '/api/settings/remote_execution_remote_working_dir', { setting: { value: '/var/tmp' } })).status).toBe(200);
    expect(pageErrors.filter((e) => /Uncaught|Content Security Policy/i.test(e))).toEqual([]);
  });
});
