/**
 * A 10,000-host job page in a real browser (Debian's chromium via playwright-core). A stand-in
 * proxy accepts the tasks, and their events arrive through the real, signed callback route while
 * the page is open, as a proxy would send them. Measured and printed (no timing assertions: the
 * machine is shared): how long the page takes to show its overview and donut, and its first page
 * of hosts; how long after the last event it shows every host succeeded; the longest and the
 * 95th-percentile gap between animation frames while the hosts finish (the page stays responsive
 * when the gaps stay short); the same page reopened once the job has finished. Asserted: the
 * counts are exact and the hosts table stays paginated. `npm run bench -- --only webpage`
 * records the same measurement (./big-job-page.ts).
 */
import { existsSync } from 'node:fs';

import { tempDir } from '@remex/testkit';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/test-server.ts';
import { type BigJob, CHROMIUM, CHROMIUM_ARGS, buildWeb, followHostsFinishing, hostRows, logIn, openJobPage, startBigJob } from './big-job-page.ts';

const HOSTS = 10_000;

if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`${CHROMIUM} is missing: scripts/install-test-deps.sh installs it`);

describe.skipIf(!existsSync(CHROMIUM))('a 10,000-host job page', () => {
  let t: TestServer;
  let job: BigJob | undefined;
  let context: BrowserContext;
  let page: Page;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const out = await tempDir('remex-web-dist-');
    cleanups.push(() => out.cleanup());
    buildWeb(out.path);
    process.env.REMEX_WEB_DIST = out.path;
    t = await startTestServer('sqlite');
    job = await startBigJob(t.api, t.server.url, (name) => t.server.issueProxyCredential(name), HOSTS);
    const profile = await tempDir('remex-chromium-');
    cleanups.push(() => profile.cleanup());
    context = await chromium.launchPersistentContext(profile.path, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await logIn(page, t.server.url, ADMIN_PASSWORD);
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await job?.proxy.close();
    await t?.stop();
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    delete process.env.REMEX_WEB_DIST;
  });

  it('opens with exact counts and a paginated hosts table, and follows 10,000 hosts finishing', async () => {
    if (!job) throw new Error('no job');
    expect(job.taskIds).toHaveLength(HOSTS);
    const open = await openJobPage(page, t.server.url, job.id, 'In progress', HOSTS);
    expect(await hostRows(page).count()).toBeLessThanOrEqual(100);
    const follow = await followHostsFinishing(page, job);
    const reopen = await openJobPage(page, t.server.url, job.id, 'Succeeded', HOSTS);
    expect(await hostRows(page).count()).toBeLessThanOrEqual(100);
    // The folded outputs fold the first page of hosts and say so.
    await page.getByRole('tab', { name: 'Folded outputs' }).click();
    await page.getByText('Outputs of the first 1,000 of 10,000 hosts').waitFor();
    expect(await page.locator('.remex-output-group').first().getAttribute('data-hosts')).toBe('1000');
    const api = Date.now();
    expect((await t.api('GET', `/api/job_invocations/${job.id}/hosts?per_page=20`)).body.subtotal).toBe(HOSTS);
    const firstPageMs = Date.now() - api;
    process.stderr.write(
      `10,000-host job page: overview and donut in ${open.overviewMs} ms, first hosts page in ${open.firstHostsMs} ms; ` +
        `${HOSTS} hosts' events delivered in ${follow.deliveredMs} ms; all shown succeeded ${follow.catchUpMs} ms after the last event; ` +
        `frame gap p95 ${follow.frameGapP95Ms} ms, max ${follow.frameGapMaxMs} ms over ${follow.frames} frames; ` +
        `finished job reopened: overview ${reopen.overviewMs} ms, first hosts page ${reopen.firstHostsMs} ms; first hosts page from the API in ${firstPageMs} ms\n`,
    );
  }, 600_000);
});
