/**
 * The administrative screens in a real browser (Debian's chromium via playwright-core) against a
 * real server, proxy and sshd fleet: template inputs and foreign input sets edited on the template
 * page, revisions with their diff, export then import, Foreman's "Rerun…" prefilled wizard, the
 * audit log with the changes just made, and the recurring logics page with cancel.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from '../../server/test/fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from '../../server/test/fleet-stack.ts';
import { browserAvailable, buildWebUi, launchBrowser, logIn } from './browser-harness.ts';

describe.skipIf(!browserAvailable())('administrative screens in a browser', () => {
  let s: FleetStack;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let probeId: number;
  const cleanups: Array<() => Promise<void>> = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    cleanups.push(await buildWebUi());
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
    const browser = await launchBrowser();
    context = browser.context;
    cleanups.push(browser.cleanup);
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/job_templates/${probeId}`);
    await logIn(page);
  });

  afterAll(async () => {
    await s?.stop();
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
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
    await sets.first().getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => sets.count()).toBe(0);

    // The wizard shows the new input as a select with its options.
    await page.goto(`${base}/job_invocations/new`);
    await page.getByLabel('Job category').selectOption('Admin tests');
    await page.getByLabel('Job template').selectOption({ label: 'Admin probe' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('How to greet').waitFor();
    await page.getByLabel('greeting').selectOption('hi');
  });

  it('shows revisions with a line diff, and exports then imports a template', async () => {
    expect((await s.t.api('PUT', `/api/job_templates/${probeId}`, { job_template: { template: 'echo "<%= input(\'message\') %>"\necho "<%= input(\'greeting\') %>"\n' } })).status).toBe(200);
    await page.goto(`${base}/job_templates/${probeId}`);
    await page.getByRole('tab', { name: 'Revisions' }).click();
    const diff = page.getByLabel('Revision diff');
    await expect.poll(() => diff.textContent()).toContain(`+ echo "<%= input('greeting') %>"`);
    expect(await diff.textContent()).toContain(`  echo "<%= input('message') %>"`);

    await page.getByRole('tab', { name: 'Export / import' }).click();
    await page.getByRole('button', { name: 'Export' }).click();
    const exported = page.getByLabel('Exported template');
    await expect.poll(() => exported.textContent()).toContain('name: Admin probe');
    const text = (await exported.textContent()) ?? '';
    await page.getByLabel('Template to import (ERB with its metadata header)').fill(text.replace('name: Admin probe', 'name: Admin probe imported'));
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
      job_invocation: { job_template_id: probeId, search_query: 'hostgroup = fleet', inputs: { message: 'first run', greeting: 'hello' }, concurrency_control: { concurrency_level: 3 } },
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
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next' }).click(); // → schedule, advanced, review
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL((url) => /\/job_invocations\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${first}`));
    const second = Number(/\/job_invocations\/(\d+)/.exec(page.url())?.[1]);
    const job = (await s.t.api('GET', `/api/job_invocations/${second}`)).body;
    expect(job).toMatchObject({ template_id: probeId, inputs: { message: 'second run', greeting: 'hello' }, concurrency_level: 3, targeting: { search_query: 'hostgroup = fleet' } });
    expect((await waitForJob(s.t, second)).status_label).toBe('succeeded');
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

  it('lists audits with the changes made, searchable', async () => {
    await page.goto(`${base}/audits?search=${encodeURIComponent('type = job_template and action = update')}`);
    const rows = page.locator('table[aria-label="Audits"] tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const texts = await rows.allTextContents();
    expect(texts.some((t) => t.includes('Admin probe') && t.includes('template') && t.includes('admin'))).toBe(true);
  });

  it('cancels a recurring logic from its page and links the job to it', async () => {
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
