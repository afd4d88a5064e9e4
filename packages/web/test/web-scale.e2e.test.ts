/**
 * A 10,000-host job page in a real browser (Debian's chromium via playwright-core). A stand-in
 * proxy accepts the tasks, and their events arrive through the real, signed callback route while
 * the page is open, as a proxy would send them. Measured and printed (no timing assertions: the
 * machine is shared): how long the page takes to show its overview, donut and first page of
 * hosts; how long after the last event it shows every host succeeded; and the longest and the
 * 95th-percentile gap between animation frames while the hosts finish (the page stays responsive
 * when the gaps stay short). Asserted: the counts are exact and the hosts table stays paginated.
 */
import { type StandInProxy, startStandInProxy } from '@remex/testkit';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { templateId } from '../../server/test/fleet-stack.ts';
import { startTestServer, type TestServer } from '../../server/test/test-server.ts';
import { browserAvailable, buildWebUi, launchBrowser, logIn } from './browser-harness.ts';

const HOSTS = 10_000;
/** Tasks per event batch (3 events each: started, stdout, exit). */
const BATCH = 250;

describe.skipIf(!browserAvailable())('a 10,000-host job page', () => {
  let t: TestServer;
  let proxy: StandInProxy;
  let context: BrowserContext;
  let page: Page;
  const launched: number[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    cleanups.push(await buildWebUi());
    t = await startTestServer('sqlite');
    proxy = await startStandInProxy(t.server.url, 'stand-in', await t.server.issueProxyCredential('stand-in'), (req) => {
      if (req.url !== '/tasks/launch') return undefined;
      const tasks = (JSON.parse(req.body) as { tasks: Array<{ task_id: number }> }).tasks;
      launched.push(...tasks.map((x) => x.task_id));
      return { body: { accepted: tasks.map((x) => x.task_id) } };
    });
    expect((await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'stand-in', url: proxy.url } })).status).toBe(201);
    const rows = Array.from({ length: HOSTS }, (_, i) => ({ name: `scale-${String(i).padStart(5, '0')}.example.com`, ip: '192.0.2.1' }));
    const imported = await t.api('POST', '/api/hosts/import', { hosts: rows });
    expect(imported.status, imported.text).toBe(200);
    const browser = await launchBrowser();
    context = browser.context;
    cleanups.push(browser.cleanup);
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${t.server.url}/hosts`);
    await logIn(page);
  }, 300_000);

  afterAll(async () => {
    await proxy?.close();
    await t?.stop();
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('opens with exact counts and a paginated hosts table, and follows 10,000 hosts finishing', async () => {
    const created = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), search_query: 'name ~ scale-*', inputs: { command: 'echo ok' } },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as number;
    const until = Date.now() + 120_000;
    while (launched.length < HOSTS && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(launched).toHaveLength(HOSTS);

    const legend = (slice: string) => page.locator(`li[data-slice="${slice}"]`).textContent();
    const hostRows = page.locator('table[aria-label="Hosts of this job"] tbody tr');
    const openStart = Date.now();
    await page.goto(`${t.server.url}/job_invocations/${id}`);
    await expect.poll(() => legend('In progress'), { timeout: 60_000, interval: 20 }).toBe(`In progress: ${HOSTS}`);
    await expect.poll(() => hostRows.count(), { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    const openMs = Date.now() - openStart;
    expect(await hostRows.count()).toBeLessThanOrEqual(100);

    // Frame gaps while the hosts finish.
    await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __last: number; __stop: boolean };
      w.__gaps = [];
      w.__last = performance.now();
      w.__stop = false;
      const tick = (now: number) => {
        w.__gaps.push(now - w.__last);
        w.__last = now;
        if (!w.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const deliverStart = Date.now();
    const ids = [...launched].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += BATCH) {
      const events = ids.slice(i, i + BATCH).flatMap((task) => [
        { task_id: task, seq: 1, type: 'started', data: '' },
        { task_id: task, seq: 2, type: 'stdout', data: 'ok\n' },
        { task_id: task, seq: 3, type: 'exit', data: '0' },
      ]);
      const res = await proxy.deliver(events);
      expect(res.status).toBe(200);
    }
    const deliveredMs = Date.now() - deliverStart;
    const lastEvent = Date.now();
    await expect.poll(() => legend('Succeeded'), { timeout: 120_000, interval: 50 }).toBe(`Succeeded: ${HOSTS}`);
    const catchUpMs = Date.now() - lastEvent;
    const gaps = await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __stop: boolean };
      w.__stop = true;
      return w.__gaps;
    });
    const sorted = [...gaps].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    const max = sorted[sorted.length - 1] ?? 0;
    const api = Date.now();
    expect((await t.api('GET', `/api/job_invocations/${id}/hosts?per_page=20`)).body.subtotal).toBe(HOSTS);
    const firstPageMs = Date.now() - api;
    process.stderr.write(
      `10,000-host job page: opened (overview, donut, first hosts page) in ${openMs} ms; ${HOSTS} hosts' events delivered in ${deliveredMs} ms; ` +
        `all shown succeeded ${catchUpMs} ms after the last event; frame gap p95 ${Math.round(p95)} ms, max ${Math.round(max)} ms over ${gaps.length} frames; ` +
        `first hosts page from the API in ${firstPageMs} ms\n`,
    );
    expect(await hostRows.count()).toBeLessThanOrEqual(100);
  }, 600_000);
});
