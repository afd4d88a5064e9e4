/**
 * @module
 * The web job page section (`--only webpage`): a job on 10,000 hosts (`REMEX_BENCH_WEB_HOSTS`)
 * in a real server on SQLite, its tasks accepted by a stand-in proxy (no SSH), its page opened
 * in headless chromium (Debian's `/usr/bin/chromium`, playwright-core). Recorded: the time to the
 * overview and donut and to the first page of hosts, how the open page follows every host
 * finishing (catch-up after the last event, frame gaps), the finished job's page reopened, and
 * the hosts API's first page for comparison. The measurement is the one `web-scale.e2e` runs
 * (`packages/web/test/big-job-page.ts`); skipped with a note when chromium is missing.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { tempDir } from '@remex/testkit';
import { chromium } from 'playwright-core';

import { ADMIN_PASSWORD, startTestServer } from '../../packages/server/test/test-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, buildWeb, followHostsFinishing, logIn, openJobPage, startBigJob } from '../../packages/web/test/big-job-page.ts';
import type { BigJob, FollowTiming, OpenTiming } from '../../packages/web/test/big-job-page.ts';
import type { BenchOptions } from '../lib/args.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';

/** What the section records. */
export interface WebPageResult {
  hosts: number;
  open: OpenTiming;
  follow: FollowTiming;
  reopen: OpenTiming;
  apiFirstPageMs: number;
}

/** Measures the job page of a `hosts`-host job. */
export async function measureJobPage(hosts: number, log: (line: string) => void): Promise<WebPageResult> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const previousDist = process.env.REMEX_WEB_DIST;
  try {
    const out = await tempDir('remex-bench-web-');
    cleanups.push(() => out.cleanup());
    buildWeb(out.path);
    process.env.REMEX_WEB_DIST = out.path;
    const t = await startTestServer('sqlite');
    cleanups.push(() => t.stop());
    const t0 = performance.now();
    const job: BigJob = await startBigJob(t.api, t.server.url, (name) => t.server.issueProxyCredential(name), hosts);
    cleanups.push(() => job.proxy.close());
    log(`webpage: ${hosts} hosts imported and their tasks accepted in ${Math.round(performance.now() - t0)} ms`);
    const profile = await tempDir('remex-bench-chromium-');
    cleanups.push(() => profile.cleanup());
    const context = await chromium.launchPersistentContext(profile.path, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    await logIn(page, t.server.url, ADMIN_PASSWORD);
    const open = await openJobPage(page, t.server.url, job.id, 'In progress', hosts);
    log(`webpage: opened in ${open.firstHostsMs} ms`);
    const follow = await followHostsFinishing(page, job);
    const reopen = await openJobPage(page, t.server.url, job.id, 'Succeeded', hosts);
    const a0 = performance.now();
    const first = await t.api('GET', `/api/job_invocations/${job.id}/hosts?per_page=20`);
    const apiFirstPageMs = Math.round(performance.now() - a0);
    if (first.status !== 200) throw new Error(`hosts of the job: HTTP ${first.status}`);
    return { hosts, open, follow, reopen, apiFirstPageMs };
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    if (previousDist === undefined) delete process.env.REMEX_WEB_DIST;
    else process.env.REMEX_WEB_DIST = previousDist;
  }
}

/** The report lines of a result. */
export function webPageReport(r: WebPageResult): string {
  const n = r.hosts.toLocaleString('en');
  return [
    `Job page of a ${n}-host job in headless chromium (stand-in proxy, SQLite), ms from navigation:`,
    `  running job:   overview and donut ${r.open.overviewMs} ms, first hosts page ${r.open.firstHostsMs} ms`,
    `  finished job:  overview and donut ${r.reopen.overviewMs} ms, first hosts page ${r.reopen.firstHostsMs} ms`,
    `  following ${n} hosts finishing: events posted in ${r.follow.deliveredMs} ms, all shown ${r.follow.catchUpMs} ms after the last one,`,
    `    frame gaps p95 ${r.follow.frameGapP95Ms} ms, max ${r.follow.frameGapMaxMs} ms over ${r.follow.frames} frames`,
    `  GET /api/job_invocations/:id/hosts?per_page=20 alone: ${r.apiFirstPageMs} ms`,
  ].join('\n');
}

/** The webpage section (`--only webpage`). */
export const webPageSection: BenchSection = {
  name: 'webpage',
  description: 'web job page of a 10,000-host job in headless chromium (open, follow, reopen)',
  async run(_options: BenchOptions, log): Promise<SectionResult> {
    if (!existsSync(CHROMIUM)) return { text: `${CHROMIUM} is missing (scripts/install-test-deps.sh installs it): skipped`, data: { skipped: 'chromium missing' } };
    const result = await measureJobPage(Number(process.env.REMEX_BENCH_WEB_HOSTS ?? 10_000), log);
    return { text: webPageReport(result), data: result };
  },
};
