/**
 * End to end in a real browser (Debian's chromium driven by playwright-core) against a real
 * server + proxy + sshd fleet: log in, search hosts, run a job from the wizard, watch its output
 * arrive, see identical outputs folded, filter the failed hosts.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from '../../server/test/fleet-stack.ts';
import { startFleetStack, templateId } from '../../server/test/fleet-stack.ts';
import { ADMIN_PASSWORD } from '../../server/test/test-server.ts';
import { browserAvailable, buildWebUi, launchBrowser } from './browser-harness.ts';

const HOSTS = 20;
const FAILING = [1, 5];
const PROBE = ['echo "<%= input(\'message\') %>"', 'echo "to stderr" >&2', "exit <%= host_param('probe_exit', '0') %>", ''].join('\n');
// Off CI a machine without Debian's chromium skips the browser test (scripts/install-test-deps.sh
// installs it); under CI a missing browser is a failure, never a silent skip.
describe.skipIf(!browserAvailable())('web UI in a browser', () => {
  let s: FleetStack;
  let context: BrowserContext;
  let page: Page;
  const cleanups: Array<() => Promise<void>> = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Build the UI once into a temp dir, and make the server serve it.
    cleanups.push(await buildWebUi());

    s = await startFleetStack('sqlite', HOSTS);
    const { t } = s;
    for (const i of FAILING) {
      expect((await t.api('POST', `/api/hosts/${s.fleet.hosts[i]!.name}/parameters`, { parameter: { name: 'probe_exit', value: '3' } })).status).toBe(201);
    }
    const tpl = await t.api('POST', '/api/job_templates', {
      job_template: { name: 'UI probe', job_category: 'UI tests', provider_type: 'script', template: PROBE, template_inputs_attributes: [{ name: 'message', input_type: 'user', required: true, description: 'What to say' }] },
    });
    expect(tpl.status, tpl.text).toBe(201);

    const browser = await launchBrowser();
    context = browser.context;
    cleanups.push(browser.cleanup);
  });

  afterAll(async () => {
    await s?.stop();
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('logs in, searches hosts, runs a job from the wizard, follows it, folds outputs, filters failures', async () => {
    const started = Date.now();
    // A fresh tab per attempt (a retry starts logged out, like the first attempt).
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    const base = s.t.server.url;
    const hosts = s.fleet.hosts.map((h) => h.name);

    // Log in (a wrong password first).
    await page.goto(`${base}/hosts`);
    await page.getByLabel('Login').fill('admin');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByText('wrong login or password').count()).toBe(1);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    // A browser session (ADR 0010): an HttpOnly, SameSite=Strict cookie; nothing in web storage.
    await page.getByRole('button', { name: 'User menu' }).waitFor();
    expect((await context.cookies(base)).map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([{ name: 'remex_session', httpOnly: true, sameSite: 'Strict' }]);
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);

    // Search hosts: the query lands in the URL and the table shows the one match.
    const hostRows = page.locator('table[aria-label="Hosts"] tbody tr');
    await expect.poll(() => hostRows.count()).toBe(HOSTS);
    const search = page.getByRole('combobox', { name: 'Search Hosts' });
    await search.fill(`name = ${hosts[3]}`);
    await search.press('Escape');
    await search.press('Enter');
    await expect.poll(() => hostRows.count()).toBe(1);
    expect(await hostRows.first().textContent()).toContain(hosts[3]);
    expect(decodeURIComponent(page.url().replace(/\+/g, ' '))).toContain(`search=name = ${hosts[3]}`);

    // Bulk select on the hosts list → "Schedule remote job" pre-fills the wizard's targets.
    await page.goto(`${base}/hosts`);
    await expect.poll(() => hostRows.count()).toBe(HOSTS);
    await hostRows.nth(0).getByRole('checkbox').check();
    await hostRows.nth(2).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Schedule remote job (2)' }).click();
    await page.waitForURL(/\/job_invocations\/new\?/);
    expect(new URL(page.url()).searchParams.get('search')).toBe(`name ^ (${hosts[0]}, ${hosts[2]})`);

    // Dark mode follows the system.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('pf-v6-theme-dark'))).toBe(true);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('pf-v6-theme-dark'))).toBe(false);

    // The wizard: category → template → inputs → targets → schedule → advanced → review → run.
    await page.goto(`${base}/job_invocations/new`);
    await page.getByLabel('Job category').selectOption('UI tests');
    await page.getByLabel('Job template').selectOption({ label: 'UI probe' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('What to say').waitFor();
    await page.getByLabel('message').fill('same everywhere <b>bold?</b>');
    await page.getByRole('button', { name: 'Next' }).click();
    const target = page.getByRole('combobox', { name: 'Host search query' });
    await target.fill('hostgroup = fleet');
    await expect.poll(() => page.getByTestId('target-count').textContent()).toBe(`${HOSTS} hosts match`);
    await page.getByRole('button', { name: 'Next' }).click(); // → schedule
    await page.getByRole('button', { name: 'Next' }).click(); // → advanced
    await page.getByRole('button', { name: 'Next' }).click(); // → review
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL(/\/job_invocations\/\d+/);

    // Live progress over the stream: the donut's legend reaches the final counts.
    const legend = (slice: string) => page.locator(`li[data-slice="${slice}"]`).textContent();
    await expect.poll(() => legend('Succeeded'), { timeout: 60_000 }).toBe(`Succeeded: ${HOSTS - FAILING.length}`);
    await expect.poll(() => legend('Failed'), { timeout: 30_000 }).toBe(`Failed: ${FAILING.length}`);

    // One host's output: the input echoed as text (not markup), stderr marked.
    const jobRows = page.locator('table[aria-label="Hosts of this job"] tbody tr');
    await expect.poll(() => jobRows.count()).toBe(HOSTS);
    await jobRows.filter({ hasText: hosts[0]! }).getByRole('button', { name: 'Show output' }).click();
    const log = page.getByRole('log', { name: `Output of ${hosts[0]}` });
    await expect.poll(() => log.textContent()).toContain('same everywhere <b>bold?</b>');
    expect(await log.locator('b').count()).toBe(0);
    expect(await log.locator('[data-stream="stderr"]').first().textContent()).toContain('to stderr');

    // Filter the failed hosts (Foreman's status chips; the filter goes to the URL).
    await page.getByRole('button', { name: 'Failed', exact: true }).click();
    await expect.poll(() => jobRows.count()).toBe(FAILING.length);
    expect(page.url()).toContain('status=failed');
    expect((await jobRows.allTextContents()).join(' ')).toContain(hosts[FAILING[0]!]);

    // Identical outputs folded: the succeeded hosts in one group, the failed ones in another.
    await page.getByRole('tab', { name: 'Folded outputs' }).click();
    const groups = page.locator('.remex-output-group');
    await expect.poll(() => groups.count()).toBe(2);
    expect(await groups.nth(0).getAttribute('data-hosts')).toBe(String(HOSTS - FAILING.length));
    expect(await groups.nth(1).getAttribute('data-hosts')).toBe(String(FAILING.length));
    expect(await groups.nth(1).textContent()).toContain(hosts[FAILING[1]!]);

    // Rerun the failed hosts: a new job on those hosts only, followed live like the first.
    const jobIdOf = (u: URL) => Number(/^\/job_invocations\/(\d+)$/.exec(u.pathname)?.[1] ?? NaN);
    const firstId = jobIdOf(new URL(page.url()));
    await page.getByRole('button', { name: 'Rerun failed', exact: true }).click();
    await page.waitForURL((u) => jobIdOf(u) > firstId);
    await expect.poll(() => legend('Succeeded'), { timeout: 60_000 }).toBe('Succeeded: 0');
    await expect.poll(() => legend('Failed'), { timeout: 60_000 }).toBe(`Failed: ${FAILING.length}`);
    await expect.poll(() => jobRows.count()).toBe(FAILING.length);

    // A host's page lists its jobs; the template editor previews with inputs; settings and proxies render.
    await page.goto(`${base}/hosts/${hosts[FAILING[0]!]}`);
    await expect.poll(() => page.locator('table[aria-label="Jobs of this host"] tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.goto(`${base}/job_templates?search=${encodeURIComponent('name = "UI probe"')}`);
    await page.getByRole('link', { name: 'UI probe' }).click();
    await page.locator('.cm-editor').waitFor();
    await page.getByLabel('Host (name or id)').fill(hosts[FAILING[0]!]!);
    await page.getByLabel('message', { exact: true }).fill('previewed');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByLabel('Rendered template').textContent()).toContain('echo "previewed"');
    expect(await page.getByLabel('Rendered template').textContent()).toContain('exit 3');
    await page.goto(`${base}/settings`);
    await expect.poll(() => page.locator('table[aria-label="Remote Execution settings"] tbody tr').count()).toBeGreaterThan(3);
    await page.goto(`${base}/smart_proxies`);
    await expect.poll(() => page.locator('table[aria-label="Smart proxies"] tbody tr').first().textContent()).toContain('test-proxy');
    // The list's live status: up, its version and tasks.
    expect(await page.locator('table[aria-label="Smart proxies"] tbody tr').first().textContent()).toMatch(/Up · \d+\.\d+[^·]* · \d+ running, \d+ queued/);

    // Log out from the user menu: the session ends and a reload asks to log in again.
    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.getByLabel('Login').waitFor();
    await page.goto(`${base}/hosts`);
    await page.getByLabel('Login').waitFor();

    expect(pageErrors.filter((e) => /Content Security Policy|Uncaught/i.test(e))).toEqual([]);
    process.stderr.write(`web UI browser test: ${((Date.now() - started) / 1000).toFixed(1)} s in the browser\n`);
  });

  it('sets up a recurring job from the wizard (weekly preset, repeat N times, purpose) with a time span', async () => {
    const { t } = s;
    const base = t.server.url;
    await context.clearCookies();
    const tab = await context.newPage();
    tab.setDefaultTimeout(30_000);
    await tab.goto(`${base}/job_invocations/new`);
    await tab.getByLabel('Login').fill('admin');
    await tab.getByLabel('Password').fill(ADMIN_PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();
    await tab.getByLabel('Job category').selectOption('UI tests');
    await tab.getByLabel('Job template').selectOption({ label: 'UI probe' });
    await tab.getByRole('button', { name: 'Next' }).click();
    await tab.getByLabel('message').fill('weekly hello');
    await tab.getByRole('button', { name: 'Next' }).click();
    await tab.getByRole('combobox', { name: 'Host search query' }).fill('hostgroup = fleet');
    await tab.getByRole('button', { name: 'Next' }).click(); // → schedule
    await tab.getByLabel('Set up recurring execution').check();
    await tab.getByLabel('Repeats').selectOption('weekly');
    await tab.getByLabel('At time').fill('22:30');
    await tab.getByLabel('Days of the week').fill('1,3');
    await tab.getByLabel('Repeat N times').fill('4');
    await tab.getByLabel('Purpose').fill('ui-weekly');
    await tab.getByRole('button', { name: 'Next' }).click(); // → advanced
    await tab.getByLabel('Time span (seconds)').fill('30');
    await tab.getByRole('button', { name: 'Next' }).click(); // → review
    await expect.poll(() => tab.getByText('Recurring: weekly at 22:30 on 1,3, 4 times (ui-weekly)').count()).toBe(1);
    await tab.getByRole('button', { name: 'Run' }).click();
    await tab.waitForURL(/\/job_invocations\/\d+/);
    const id = Number(/\/job_invocations\/(\d+)/.exec(tab.url())?.[1]);
    const job = (await t.api('GET', `/api/job_invocations/${id}`)).body;
    expect(job).toMatchObject({ mode: 'recurring', status_label: 'queued', time_span: 30, recurrence: { cron_line: '30 22 * * 1,3', max_iteration: 4, purpose: 'ui-weekly', state: 'active' } });
    expect((await t.api('POST', `/api/recurring_logics/${job.recurrence.id as number}/cancel`, {})).status).toBe(200);
    await tab.close();
  });

  it('cancels a running job from its page', async () => {
    const { t } = s;
    const base = t.server.url;
    const sleepers = [s.fleet.hosts[6]!.name, s.fleet.hosts[7]!.name];
    const r = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), host_ids: sleepers, inputs: { command: 'echo sleeping; sleep 120' }, description_format: 'UI cancel test' },
    });
    expect(r.status, r.text).toBe(201);
    // Start logged out whatever the first test left behind.
    await context.clearCookies();
    const tab = await context.newPage();
    tab.setDefaultTimeout(30_000);
    await tab.goto(`${base}/job_invocations/${r.body.id}`);
    await tab.getByLabel('Login').fill('admin');
    await tab.getByLabel('Password').fill(ADMIN_PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();
    // Both hosts have started (their output arrived over the stream), then cancel.
    await tab.getByRole('button', { name: 'Show output' }).first().click();
    await expect.poll(() => tab.getByRole('log').first().textContent(), { timeout: 30_000 }).toContain('sleeping');
    await tab.getByRole('button', { name: 'Cancel job' }).click();
    const legend = (slice: string) => tab.locator(`li[data-slice="${slice}"]`).textContent();
    await expect.poll(() => legend('Cancelled'), { timeout: 45_000 }).toBe(`Cancelled: ${sleepers.length}`);
    expect(await legend('Succeeded')).toBe('Succeeded: 0');
    await expect.poll(() => tab.getByRole('button', { name: 'Rerun all', exact: true }).isEnabled()).toBe(true);
    await tab.close();
  });

  it('manages users: creates one with a role, shows its token once, revokes it; roles show their filters', async () => {
    const base = s.t.server.url;
    await context.clearCookies();
    const tab = await context.newPage();
    tab.setDefaultTimeout(30_000);
    await tab.goto(`${base}/users`);
    await tab.getByLabel('Login').fill('admin');
    await tab.getByLabel('Password').fill(ADMIN_PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();

    // Create a user with the Viewer role.
    await tab.getByRole('button', { name: 'Create user' }).click();
    const dialog = tab.getByRole('dialog');
    await dialog.getByLabel('Login').fill('uma');
    await dialog.getByLabel('Password').fill('uma-password-1');
    await dialog.getByLabel('Viewer').check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await tab.waitForURL(/\/users\/\d+$/);
    await tab.getByRole('heading', { level: 1, name: 'uma' }).waitFor();
    expect(await tab.getByLabel('Viewer').isChecked()).toBe(true);

    // A token: shown once, works as Bearer with the role's permissions, then revoked.
    await tab.getByLabel('Name').fill('ci');
    await tab.getByRole('button', { name: 'Create token' }).click();
    const shown = tab.getByRole('textbox', { name: 'New token' });
    await shown.waitFor({ timeout: 5000 }).catch(async (e: unknown) => {
      throw new Error(`no token shown; page: ${(await tab.locator('main').textContent()) ?? ''}`, { cause: e });
    });
    const token = await shown.inputValue();
    expect(token).toMatch(/^remex_pat_/);
    const as = { authorization: `Bearer ${token}` };
    expect((await fetch(`${base}/api/hosts`, { headers: as })).status).toBe(200);
    expect((await fetch(`${base}/api/job_invocations`, { method: 'POST', headers: { ...as, 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
    const row = tab.locator('table[aria-label="Personal access tokens"] tbody tr', { hasText: 'ci' });
    await expect.poll(() => row.textContent()).toContain('active');
    await tab.getByRole('button', { name: 'Revoke ci' }).click();
    await expect.poll(() => row.textContent()).toContain('revoked');
    expect((await fetch(`${base}/api/hosts`, { headers: as })).status).toBe(401);
    // Reloaded, the page never shows the token again.
    await tab.reload();
    await tab.getByRole('heading', { level: 1, name: 'uma' }).waitFor();
    expect(await tab.getByText(token).count()).toBe(0);

    // Roles: the built-in REX user role lists its filters.
    await tab.goto(`${base}/roles`);
    await tab.getByRole('link', { name: 'Remote Execution User' }).click();
    await expect.poll(() => tab.locator('table[aria-label="Filters"]').textContent()).toContain('create_job_invocations');
    await tab.close();
  });
});
