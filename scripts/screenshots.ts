/**
 * @module
 * Refreshes the web UI screenshots in `docs/screenshots/` against a real server + proxy + sshd
 * fleet (the browser test's stack): `node --import tsx scripts/screenshots.ts` as root (the test
 * sshd fleet needs the users of scripts/install-test-deps.sh) with /usr/bin/chromium installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { tempDir } from '@remex/testkit';
import { chromium } from 'playwright-core';

import { startFleetStack, templateId, waitForJob } from '../packages/server/test/fleet-stack.ts';
import { ADMIN_PASSWORD } from '../packages/server/test/test-server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const shots = `${root}docs/screenshots`;

async function main(): Promise<void> {
  mkdirSync(shots, { recursive: true });
  const out = await tempDir('remex-web-dist-');
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: `${root}packages/web`, env: { ...process.env, REMEX_WEB_OUT_DIR: out.path }, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('vite build failed');
  process.env.REMEX_WEB_DIST = out.path;
  const s = await startFleetStack('sqlite', 12);
  const profile = await tempDir('remex-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const { t } = s;
    const hosts = s.fleet.hosts.map((h) => h.name);
    await t.api('POST', `/api/hosts/${hosts[2]}/parameters`, { parameter: { name: 'probe_exit', value: '1' } });
    const tpl = await templateId(t, 'Run Command - Script Default');
    const job = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: tpl, search_query: 'hostgroup = fleet', inputs: { command: 'printf "\\033[32mup\\033[0m %s\\n" "$(uptime -p 2>/dev/null || echo ok)"; uname -sr' }, description_format: 'Uptime of the fleet' },
    });
    const jobId = (job.body as { id: number }).id;
    await waitForJob(t, jobId, 60_000);
    const page = context.pages()[0] ?? (await context.newPage());
    const base = t.server.url;
    const shot = async (name: string) => {
      await page.waitForTimeout(700);
      await page.screenshot({ path: `${shots}/${name}.png` });
      process.stderr.write(`docs/screenshots/${name}.png\n`);
    };
    await page.goto(`${base}/hosts`);
    await page.getByLabel('Login').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('table[aria-label="Hosts"] tbody tr').first().waitFor();
    await shot('hosts');
    await page.goto(`${base}/job_invocations/${jobId}`);
    await page.locator('li[data-slice="Succeeded"]').waitFor();
    await page.locator('table[aria-label="Hosts of this job"] tbody tr').first().getByRole('button', { name: 'Show output' }).click();
    await shot('job');
    await page.getByRole('tab', { name: 'Folded outputs' }).click();
    await page.locator('.remex-output-group').first().waitFor();
    await shot('job-folded-outputs');
    await page.goto(`${base}/job_invocations/new?search=${encodeURIComponent('hostgroup = fleet')}`);
    await page.getByLabel('Job category').selectOption('Commands');
    await page.getByLabel('Job template').selectOption({ label: 'Run Command - Script Default' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('command').fill('uptime');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('target-count').waitFor();
    await shot('wizard-targets');
    await page.goto(`${base}/job_templates/${tpl}`);
    await page.locator('.cm-editor').waitFor();
    await shot('template-editor');
    await page.getByRole('tab', { name: 'Inputs' }).click();
    await page.locator('table[aria-label="Template inputs"] tbody tr').first().waitFor();
    await page.getByRole('tab', { name: 'Inputs' }).scrollIntoViewIfNeeded();
    await shot('template-inputs');
    await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: tpl, search_query: 'hostgroup = fleet', inputs: { command: 'df -h /' }, recurrence: { cron_line: '0 3 * * *', purpose: 'nightly disk report' } },
    });
    await page.goto(`${base}/recurring_logics`);
    await page.locator('table[aria-label="Recurring logics"] tbody tr').first().waitFor();
    await shot('recurring-logics');
    await page.goto(`${base}/audits?search=${encodeURIComponent('type = job_invocation')}`);
    await page.locator('table[aria-label="Audits"] tbody tr').first().waitFor();
    // The newest audit expanded: its fields before and after.
    await page.locator('table[aria-label="Audits"] > tbody').first().getByRole('button', { name: 'Details' }).click();
    await page.locator('table[aria-label^="Changes of audit"]').waitFor();
    await shot('audits');
    await page.goto(`${base}/smart_proxies`);
    await page.getByText(/Up · /).waitFor();
    await shot('smart-proxies');
    await page.goto(`${base}/settings`);
    await page.locator('table[aria-label="Remote Execution settings"] tbody tr').first().waitFor();
    await shot('settings');
  } finally {
    await context.close();
    await s.stop();
    await profile.cleanup();
    await out.cleanup();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
