/**
 * @module
 * The big-job page measurement shared by `web-scale.e2e.test.ts` (a test: counts asserted, times
 * printed) and the bench's `webpage` section (times recorded): a job on N imported hosts whose
 * tasks a stand-in proxy accepts (no SSH), its page opened in headless chromium, then every
 * host's events delivered through the real, signed callback route while the page follows them.
 * Nothing here asserts a time.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { type StandInProxy, startStandInProxy } from '@remex/testkit';
import type { Page } from 'playwright-core';

import type { ApiAnswer } from '../../server/test/test-server.ts';

/** Debian's chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags of a quiet headless chromium (no sandbox: tests and the bench run as root). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Calls the API as admin (as `TestServer.api`). */
export type AdminApi = (method: string, path: string, body?: unknown) => Promise<ApiAnswer>;

/** Builds the web UI into `outDir` (served by a server started with `REMEX_WEB_DIST=outDir`). */
export function buildWeb(outDir: string): void {
  const webRoot = fileURLToPath(new URL('..', import.meta.url));
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: webRoot, env: { ...process.env, REMEX_WEB_OUT_DIR: outDir }, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr}`);
}

/** Logs `page` in as admin through the login form (any page of the UI shows it). */
export async function logIn(page: Page, base: string, password: string): Promise<void> {
  await page.goto(`${base}/hosts`);
  await page.getByLabel('Login').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'User menu' }).waitFor();
}

/** A created big job, its tasks accepted by the stand-in proxy. */
export interface BigJob {
  id: number;
  /** Task ids the proxy accepted, ascending. */
  taskIds: number[];
  proxy: StandInProxy;
}

async function ok(answer: Promise<ApiAnswer>, what: string, status: number): Promise<ApiAnswer> {
  const a = await answer;
  if (a.status !== status) throw new Error(`${what}: HTTP ${a.status} ${a.text}`);
  return a;
}

/**
 * Registers a stand-in proxy, imports `hosts` hosts (`scale-00000.example.com` …) and runs
 * `echo ok` on all of them; resolves once the proxy has accepted every task.
 * @param issueCredential - the server's `issueProxyCredential`
 */
export async function startBigJob(api: AdminApi, serverUrl: string, issueCredential: (name: string) => Promise<string>, hosts: number): Promise<BigJob> {
  const launched: number[] = [];
  const proxy = await startStandInProxy(serverUrl, 'stand-in', await issueCredential('stand-in'), (req) => {
    if (req.url !== '/tasks/launch') return undefined;
    const tasks = (JSON.parse(req.body) as { tasks: Array<{ task_id: number }> }).tasks;
    launched.push(...tasks.map((x) => x.task_id));
    return { body: { accepted: tasks.map((x) => x.task_id) } };
  });
  try {
    await ok(api('POST', '/api/smart_proxies', { smart_proxy: { name: 'stand-in', url: proxy.url } }), 'register the stand-in proxy', 201);
    const rows = Array.from({ length: hosts }, (_, i) => ({ name: `scale-${String(i).padStart(5, '0')}.example.com`, ip: '192.0.2.1' }));
    await ok(api('POST', '/api/hosts/import', { hosts: rows }), 'import hosts', 200);
    const found = await ok(api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`), 'find Run Command', 200);
    const templateId = (found.body as { results: Array<{ id: number }> }).results[0]?.id;
    const created = await ok(api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, search_query: 'name ~ scale-*', inputs: { command: 'echo ok' } } }), 'create the job', 201);
    const until = Date.now() + 300_000;
    while (launched.length < hosts && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    if (launched.length < hosts) throw new Error(`the stand-in proxy got ${launched.length} of ${hosts} tasks`);
    return { id: (created.body as { id: number }).id, taskIds: [...launched].sort((a, b) => a - b), proxy };
  } catch (e) {
    await proxy.close();
    throw e;
  }
}

/** The donut legend entry of `slice` once it reads `count` hosts. */
function legend(page: Page, slice: string, count: number) {
  return page.locator(`li[data-slice="${slice}"]`, { hasText: new RegExp(`^${slice}: ${count}$`) });
}

/** The rows of the job page's hosts table. */
export function hostRows(page: Page) {
  return page.locator('table[aria-label="Hosts of this job"] tbody tr');
}

/** How long the job page took to show its overview and donut, and its first page of hosts (ms from navigation). */
export interface OpenTiming {
  overviewMs: number;
  firstHostsMs: number;
}

/** Opens the page of job `id` and waits until the donut shows `count` hosts in `slice` and the hosts table has rows. */
export async function openJobPage(page: Page, base: string, id: number, slice: string, count: number): Promise<OpenTiming> {
  const start = Date.now();
  await page.goto(`${base}/job_invocations/${id}`);
  const times = await Promise.all([
    legend(page, slice, count)
      .waitFor({ timeout: 120_000 })
      .then(() => Date.now() - start),
    hostRows(page)
      .first()
      .waitFor({ timeout: 120_000 })
      .then(() => Date.now() - start),
  ]);
  return { overviewMs: times[0], firstHostsMs: times[1] };
}

/** How the open page followed every host finishing. */
export interface FollowTiming {
  /** Time to POST every host's events (3 per host) to the callback route. */
  deliveredMs: number;
  /** From the last event to the donut showing every host succeeded. */
  catchUpMs: number;
  /** Gaps between animation frames meanwhile (short gaps: the page stayed responsive). */
  frameGapP95Ms: number;
  frameGapMaxMs: number;
  frames: number;
}

/**
 * Page scripts that record the gaps between animation frames, as text: a function given to
 * `page.evaluate` would carry the `__name` helper tsx adds to named functions, undefined in the page.
 */
const FRAME_GAPS_START = `(() => {
  const w = window;
  w.__gaps = [];
  w.__last = performance.now();
  w.__stop = false;
  const tick = (now) => {
    w.__gaps.push(now - w.__last);
    w.__last = now;
    if (!w.__stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
const FRAME_GAPS_STOP = `(() => {
  window.__stop = true;
  return window.__gaps;
})()`;

/** Delivers started, stdout and exit 0 for every task of `job`, `batch` tasks per POST, while the open page follows. */
export async function followHostsFinishing(page: Page, job: BigJob, batch = 250): Promise<FollowTiming> {
  await page.evaluate(FRAME_GAPS_START);
  const start = Date.now();
  for (let i = 0; i < job.taskIds.length; i += batch) {
    const events = job.taskIds.slice(i, i + batch).flatMap((task) => [
      { task_id: task, seq: 1, type: 'started', data: '' },
      { task_id: task, seq: 2, type: 'stdout', data: 'ok\n' },
      { task_id: task, seq: 3, type: 'exit', data: '0' },
    ]);
    const res = await job.proxy.deliver(events);
    if (res.status !== 200) throw new Error(`event delivery: HTTP ${res.status}`);
  }
  const deliveredMs = Date.now() - start;
  const lastEvent = Date.now();
  await legend(page, 'Succeeded', job.taskIds.length).waitFor({ timeout: 120_000 });
  const catchUpMs = Date.now() - lastEvent;
  const gaps = await page.evaluate<number[]>(FRAME_GAPS_STOP);
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    deliveredMs,
    catchUpMs,
    frameGapP95Ms: Math.round(sorted[Math.floor(sorted.length * 0.95)] ?? 0),
    frameGapMaxMs: Math.round(sorted.at(-1) ?? 0),
    frames: gaps.length,
  };
}
