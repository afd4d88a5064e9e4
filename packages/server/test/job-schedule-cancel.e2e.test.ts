/**
 * Scheduling, cancel and rerun of job invocations on both dialects, with a real server, a real
 * proxy and a real sshd fleet: a future job stays queued until its time (a dynamic one resolves
 * its hosts then), the host output answers `delayed` meanwhile, `start_before` cancels hosts not
 * started in time, recurring jobs and bad dates are refused; cancel of a scheduled job and of a
 * running `sleep` (no process left behind); rerun of all hosts and of the failed ones only,
 * hidden input values included.
 */
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';
import type { TestServer } from './test-server.ts';

const run = promisify(execFile);

const RERUN_PROBE = [
  '<%#',
  'kind: job_template',
  'name: Rerun probe',
  'job_category: Tests',
  'provider_type: script',
  'template_inputs:',
  '- name: token',
  '  input_type: user',
  '  required: true',
  '  hidden_value: true',
  '%>',
  "echo token=<%= input('token') %>",
  "exit <%= host_param('rerun_exit', '0') %>",
  '',
].join('\n');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `cond` (every 200 ms, up to `ms`); returns its last value. */
async function poll<T>(ms: number, get: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (done(v) || Date.now() > until) return v;
    await sleep(200);
  }
}

async function hostsOf(t: TestServer, id: number): Promise<Array<{ name: string; job_status: string; message: string | null }>> {
  const r = await t.api('GET', `/api/job_invocations/${id}/hosts?per_page=100`);
  expect(r.status, r.text).toBe(200);
  return r.body.results;
}

/** Command lines of this machine's processes (the fleet's sshd runs here). */
async function processes(): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'args']);
  return stdout.split('\n');
}

describe.each(DIALECTS)('scheduled, cancelled and rerun jobs on real SSH hosts (%s)', (DIALECT) => {
  let s: FleetStack;
  let runCommand: number;

  const create = (body: Record<string, unknown>) => s.t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: runCommand, targeting_type: 'static_query', ...body } });
  const addHost = async (name: string, fleetIndex: number) => {
    const r = await s.t.api('POST', '/api/hosts', { host: { name, ip: s.fleet.hosts[fleetIndex]!.address } });
    expect(r.status, r.text).toBe(201);
  };

  beforeAll(async () => {
    s = await startFleetStack(DIALECT, 3);
    runCommand = await templateId(s.t, 'Run Command - Script Default');
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('refuses bad recurrences and bad schedules with 422 naming the field, and creates nothing', async () => {
    const { t, fleet } = s;
    const before = (await t.api('GET', '/api/job_invocations')).body.total;
    const base = { search_query: `name = ${fleet.hosts[0]!.name}`, inputs: { command: 'true' } };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ recurrence: { cron_line: '*/5 * * *' } }, /recurrence\.cron_line .* has 4 fields/],
      [{ recurrence: { max_iteration: 3 } }, /recurrence\.cron_line is required/],
      [{ cron_line: '0 24 * * *' }, /field 2 \(hour\) '24'/],
      [{ recurrence: { cron_line: '0 4 * * *', max_iteration: -1 } }, /recurrence\.max_iteration/],
      [{ scheduling: { start_at: 'next tuesday' } }, /scheduling\.start_at/],
      [{ scheduling: { start_at: '2030-02-31 10:00' } }, /scheduling\.start_at/],
      [{ scheduling: { start_at: '2030-01-01T10:00:00Z', start_before: 'soon' } }, /scheduling\.start_before/],
      [{ scheduling: { start_at: '2030-01-02T10:00:00Z', start_before: '2030-01-01T10:00:00Z' } }, /start_before .* must not be before scheduling\.start_at/],
      [{ scheduling: { start_before: '2001-01-01 00:00' } }, /start_before .* already past/],
      [{ scheduling: 'tomorrow' }, /scheduling must be an object/],
    ];
    for (const [extra, message] of cases) {
      const r = await create({ ...base, ...extra });
      expect(r.status, JSON.stringify(extra)).toBe(422);
      expect(r.body.error.message).toMatch(message);
    }
    expect((await t.api('GET', '/api/job_invocations')).body.total).toBe(before);
  });

  it('keeps a future job queued until its time, answers delayed output meanwhile, and resolves a dynamic query when it starts', async () => {
    const { t } = s;
    await addHost('sched-early.test', 0);
    // Far enough ahead that creating the jobs and the checks below end before it even on a loaded
    // machine (they assert that the jobs are still queued).
    const startAtMs = Date.now() + 10_000;
    const startAt = new Date(startAtMs).toISOString();
    const dynamic = await create({ targeting_type: 'dynamic_query', search_query: 'name ~ sched-', inputs: { command: 'echo ran on $(hostname)' }, scheduling: { start_at: startAt } });
    expect(dynamic.status, dynamic.text).toBe(201);
    const fixed = await create({ search_query: 'name ~ sched-', inputs: { command: 'true' }, start_at: startAt });
    expect(fixed.status, fixed.text).toBe(201);
    for (const job of [dynamic.body, fixed.body]) {
      expect(job).toMatchObject({ mode: 'future', scheduling: { start_at: startAt, start_before: null }, status: 2, status_label: 'queued', start_at: startAt, started_at: null, total: 'N/A' });
      expect(job.task.state).toBe('scheduled');
    }
    expect(fixed.body.total_hosts).toBe(1);

    const delayed = await t.api('GET', `/api/job_invocations/${dynamic.body.id}/hosts/sched-early.test`);
    expect(delayed.body).toEqual({ complete: false, refresh: true, output: [], delayed: true, start_at: startAt });
    expect((await t.api('GET', `/api/job_invocations/${fixed.body.id}/hosts/sched-early.test`)).body).toMatchObject({ delayed: true, start_at: startAt });
    expect((await t.api('GET', `/api/job_invocations/${fixed.body.id}/hosts/nope.test`)).status).toBe(404);

    // A host added after the job was created: the dynamic job will run on it, the static one not.
    await addHost('sched-late.test', 1);
    let sawQueued = false;
    for (;;) {
      const r = await t.api('GET', `/api/job_invocations/${dynamic.body.id}?include_hosts=false`);
      if (Date.now() >= startAtMs) break;
      // The answer was made before this moment, so while the time is ahead it must be queued.
      expect(r.body).toMatchObject({ status_label: 'queued', started_at: null });
      sawQueued = true;
      await sleep(250);
    }
    expect(sawQueued).toBe(true);

    const ran = await waitForJob(t, dynamic.body.id as number);
    expect(ran).toMatchObject({ status_label: 'succeeded', total: 2, succeeded: 2, mode: 'future', total_hosts: 2 });
    expect(new Date(ran.started_at as string).getTime()).toBeGreaterThanOrEqual(startAtMs);
    expect((await hostsOf(t, dynamic.body.id as number)).map((h) => h.name).sort()).toEqual(['sched-early.test', 'sched-late.test']);
    const out = await t.api('GET', `/api/job_invocations/${dynamic.body.id}/hosts/sched-late.test`);
    expect(out.body.delayed).toBeUndefined();
    expect(out.body.output.at(-1).output).toBe('Exit status: 0');
    expect(await waitForJob(t, fixed.body.id as number)).toMatchObject({ status_label: 'succeeded', total: 1 });

    // A rerun of the dynamic job keeps its query (and runs now).
    const again = await t.api('POST', `/api/job_invocations/${dynamic.body.id}/rerun`, {});
    expect(again.status, again.text).toBe(201);
    expect(again.body).toMatchObject({ mode: 'immediate', targeting: { targeting_type: 'dynamic_query', search_query: 'name ~ sched-' } });
    expect(again.body.scheduling).toBeUndefined();
    expect(await waitForJob(t, again.body.id as number)).toMatchObject({ status_label: 'succeeded', total: 2 });
  });

  it('cancels a scheduled job entirely, static or dynamic, and refuses to cancel it twice', async () => {
    const { t, fleet } = s;
    const later = new Date(Date.now() + 3600_000).toISOString();
    const fixed = await create({ search_query: `name ^ (${fleet.hosts[0]!.name}, ${fleet.hosts[1]!.name})`, inputs: { command: 'true' }, scheduling: { start_at: later } });
    const dynamic = await create({ targeting_type: 'dynamic_query', search_query: 'name ~ fleet', inputs: { command: 'true' }, scheduling: { start_at: later } });
    for (const r of [fixed, dynamic]) expect(r.status, r.text).toBe(201);
    // `awaiting` narrows the page and the subtotal, never the total (Foreman's hosts list).
    const awaiting = async () => (await t.api('GET', `/api/job_invocations/${fixed.body.id}/hosts?awaiting=true`)).body as { total: number; subtotal: number; results: unknown[] };
    expect(await awaiting()).toMatchObject({ total: 2, subtotal: 2 });
    expect((await t.api('GET', `/api/job_invocations/${fixed.body.id}/hosts?awaiting=true&search=${encodeURIComponent(`name = ${fleet.hosts[0]!.name}`)}`)).body).toMatchObject({ total: 2, subtotal: 1 });

    const cancelled = await t.api('POST', `/api/job_invocations/${fixed.body.id}/cancel`, {});
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ cancelled: true, id: fixed.body.id });
    const job = (await t.api('GET', `/api/job_invocations/${fixed.body.id}`)).body;
    expect(job).toMatchObject({ status: 4, status_label: 'cancelled', total: 2, cancelled: 2, pending: 0, succeeded: 0, failed: 0 });
    expect(job.targeting.hosts.map((h: { job_status: string }) => h.job_status)).toEqual(['cancelled', 'cancelled']);
    expect(job.task).toMatchObject({ state: 'stopped', cancellable: false });
    expect(await awaiting()).toMatchObject({ total: 2, subtotal: 0, results: [] });
    expect((await t.api('GET', `/api/job_invocations/${fixed.body.id}/hosts`)).body).toMatchObject({ total: 2, subtotal: 2 });

    expect((await t.api('POST', `/api/job_invocations/${dynamic.body.id}/cancel?force=false`)).body).toMatchObject({ cancelled: true });
    expect((await t.api('GET', `/api/job_invocations/${dynamic.body.id}`)).body).toMatchObject({ status_label: 'cancelled', total: 0 });

    const twice = await t.api('POST', `/api/job_invocations/${fixed.body.id}/cancel`, {});
    expect(twice.status).toBe(422);
    expect(twice.body.error.message).toBe('The job could not be cancelled.');
    expect((await t.api('POST', '/api/job_invocations/99999/cancel', {})).status).toBe(404);
  });

  it('cancels hosts that could not start before start_before', async () => {
    const { t, fleet } = s;
    const startBefore = new Date(Date.now() + 2500).toISOString();
    const r = await create({
      host_ids: [fleet.hosts[0]!.name, fleet.hosts[1]!.name],
      inputs: { command: 'sleep 6' },
      concurrency_control: { concurrency_level: 1 },
      scheduling: { start_before: startBefore },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ mode: 'immediate' });
    await waitForJob(t, r.body.id as number);
    // With one host at a time, the second could not start before the deadline (whether or not
    // the first did).
    const second = (await hostsOf(t, r.body.id as number)).find((h) => h.name === fleet.hosts[1]!.name);
    expect(second).toMatchObject({ job_status: 'cancelled', message: `Execution plan could not be started before set time (${startBefore})` });
  });

  it('cancels a running job on its proxy: hosts end cancelled and no remote process is left', async () => {
    const { t, fleet } = s;
    const marker = `37.${randomInt(100_000, 999_999)}`;
    const r = await create({ host_ids: [fleet.hosts[0]!.name, fleet.hosts[1]!.name], inputs: { command: `echo started; sleep ${marker}` } });
    expect(r.status, r.text).toBe(201);
    const id = r.body.id as number;
    const running = await poll(30_000, () => hostsOf(t, id), (hs) => hs.every((h) => h.job_status === 'running'));
    expect(running.map((h) => h.job_status)).toEqual(['running', 'running']);
    const sleeping = await poll(10_000, processes, (ps) => ps.filter((l) => l.includes(`sleep ${marker}`)).length >= 2);
    expect(sleeping.filter((l) => l.includes(`sleep ${marker}`)).length).toBeGreaterThanOrEqual(2);

    const cancel = await t.api('POST', `/api/job_invocations/${id}/cancel`, { force: false });
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.body).toMatchObject({ cancelled: true, id, requested: 2 });
    // Far less than the 37 s the command would sleep.
    const job = await waitForJob(t, id, 20_000);
    expect(job).toMatchObject({ status: 4, status_label: 'cancelled', cancelled: 2, succeeded: 0, failed: 0, pending: 0, total: 2 });
    for (const h of await hostsOf(t, id)) expect(h).toMatchObject({ job_status: 'cancelled', message: 'Task cancelled' });
    const out = await t.api('GET', `/api/job_invocations/${id}/hosts/${fleet.hosts[0]!.name}`);
    const text = (out.body.output as Array<{ output: string }>).map((l) => l.output).join('');
    expect(text).toContain('started');
    expect(text).toContain('The task was cancelled');
    const left = await poll(10_000, processes, (ps) => !ps.some((l) => l.includes(`sleep ${marker}`)));
    expect(left.filter((l) => l.includes(`sleep ${marker}`))).toEqual([]);
    expect((await t.api('POST', `/api/job_invocations/${id}/cancel`, {})).status).toBe(422);
  });

  it('cancels only the hosts a search picks; the others run on', async () => {
    const { t, fleet } = s;
    const marker = `39.${randomInt(100_000, 999_999)}`;
    const [a, b] = [fleet.hosts[0]!.name, fleet.hosts[1]!.name];
    const r = await create({ host_ids: [a, b], inputs: { command: `sleep ${marker}` } });
    expect(r.status, r.text).toBe(201);
    const id = r.body.id as number;
    await poll(30_000, () => hostsOf(t, id), (hs) => hs.every((h) => h.job_status === 'running'));
    const one = await t.api('POST', `/api/job_invocations/${id}/cancel`, { search: `name = ${a}` });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({ total: 1, skipped: [] });
    expect(one.body.cancelled).toHaveLength(1);
    const hosts = await poll(20_000, () => hostsOf(t, id), (hs) => hs.some((h) => h.job_status === 'cancelled'));
    expect(Object.fromEntries(hosts.map((h) => [h.name, h.job_status]))).toEqual({ [a]: 'cancelled', [b]: 'running' });
    expect((await t.api('GET', `/api/job_invocations/${id}?include_hosts=false`)).body.status_label).toBe('running');
    // No host matches: nothing is cancelled, nothing is skipped; a bad search is a 422.
    expect((await t.api('POST', `/api/job_invocations/${id}/cancel`, { search: 'name = nobody.example.com' })).body).toEqual({ total: 0, cancelled: [], skipped: [] });
    expect((await t.api('POST', `/api/job_invocations/${id}/cancel`, { search: 'nope = 1' })).status).toBe(422);
    expect((await t.api('POST', `/api/job_invocations/${id}/cancel`, {})).body).toMatchObject({ cancelled: true, requested: 1 });
    expect(await waitForJob(t, id, 20_000)).toMatchObject({ status_label: 'cancelled', cancelled: 2, total: 2 });
  });

  it('aborts a running job with force: hosts stop at once as failed and the remote process is stopped too', async () => {
    const { t, fleet } = s;
    const marker = `38.${randomInt(100_000, 999_999)}`;
    const r = await create({ host_ids: [fleet.hosts[2]!.name], inputs: { command: `sleep ${marker}` } });
    expect(r.status, r.text).toBe(201);
    const id = r.body.id as number;
    const running = await poll(30_000, () => hostsOf(t, id), (hs) => hs.every((h) => h.job_status === 'running'));
    expect(running.map((h) => h.job_status)).toEqual(['running']);

    const abort = await t.api('POST', `/api/job_invocations/${id}/cancel`, { force: true });
    expect(abort.body).toMatchObject({ cancelled: true, id, stopped: 1, requested: 1 });
    // Stopped by the server itself, without waiting for the proxy.
    expect((await t.api('GET', `/api/job_invocations/${id}?include_hosts=false`)).body).toMatchObject({ status_label: 'failed', failed: 1, total: 1 });
    expect(await hostsOf(t, id)).toMatchObject([{ job_status: 'error', message: 'Task aborted: the task might be still running on the proxy' }]);
    const left = await poll(10_000, processes, (ps) => !ps.some((l) => l.includes(`sleep ${marker}`)));
    expect(left.filter((l) => l.includes(`sleep ${marker}`))).toEqual([]);
    // The proxy's late exit does not change the result.
    await poll(5000, () => t.api('GET', `/api/job_invocations/${id}/hosts/${fleet.hosts[2]!.name}`), (o) => (o.body.output as Array<{ output: string }>).some((l) => l.output.startsWith('Exit status')));
    expect(await hostsOf(t, id)).toMatchObject([{ job_status: 'error', message: 'Task aborted: the task might be still running on the proxy' }]);
  });

  it('reruns a job on all its hosts or on the failed ones only, with the same (hidden) input values', async () => {
    const { t, fleet } = s;
    const imported = await t.api('POST', '/api/job_templates/import', { template: RERUN_PROBE, overwrite: true });
    expect(imported.status, imported.text).toBeLessThan(300);
    const failing = fleet.hosts[2]!.name;
    expect((await t.api('POST', `/api/hosts/${failing}/parameters`, { parameter: { name: 'rerun_exit', value: '4' } })).status).toBe(201);
    const names = fleet.hosts.map((h) => h.name);
    const first = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: imported.body.id, targeting_type: 'static_query', host_ids: names, inputs: { token: 'hush-42' }, concurrency_control: { concurrency_level: 2 }, execution_timeout_interval: 120 },
    });
    expect(first.status, first.text).toBe(201);
    expect(await waitForJob(t, first.body.id as number)).toMatchObject({ status_label: 'failed', succeeded: 2, failed: 1 });

    const all = await t.api('POST', `/api/job_invocations/${first.body.id}/rerun`, {});
    expect(all.status, all.text).toBe(201);
    expect(all.body.id).not.toBe(first.body.id);
    expect(all.body).toMatchObject({ template_id: imported.body.id, inputs: { token: '*****' }, concurrency_level: 2, execution_timeout_interval: 120, total_hosts: 3, targeting: { targeting_type: 'static_query' } });
    expect(await waitForJob(t, all.body.id as number)).toMatchObject({ status_label: 'failed', succeeded: 2, failed: 1, total: 3 });
    expect((await hostsOf(t, all.body.id as number)).map((h) => h.name)).toEqual(names);
    const raw = await fetch(`${t.server.url}/api/job_invocations/${all.body.id}/hosts/${names[0]}/raw`, { headers: { authorization: `Basic ${Buffer.from('admin:test-admin-pw').toString('base64')}` } });
    expect(await raw.text()).toContain('token=hush-42');

    const failed = await t.api('POST', `/api/job_invocations/${first.body.id}/rerun`, { failed_only: true });
    expect(failed.status, failed.text).toBe(201);
    expect(failed.body).toMatchObject({ total_hosts: 1, targeting: { targeting_type: 'static_query', search_query: `name ^ (${failing})` } });
    expect(await waitForJob(t, failed.body.id as number)).toMatchObject({ status_label: 'failed', failed: 1, total: 1 });
    expect((await hostsOf(t, failed.body.id as number)).map((h) => h.name)).toEqual([failing]);

    const succeeded = await t.api('POST', `/api/job_invocations/${first.body.id}/rerun?succeeded_only=true`);
    expect(succeeded.status, succeeded.text).toBe(201);
    expect(succeeded.body.total_hosts).toBe(2);
    await waitForJob(t, succeeded.body.id as number);

    // Nothing failed: nothing to rerun.
    const none = await t.api('POST', `/api/job_invocations/${succeeded.body.id}/rerun`, { failed_only: true });
    expect(none.status).toBe(422);
    expect(none.body.error.message).toMatch(/no failed hosts/);
    expect((await t.api('POST', `/api/job_invocations/${first.body.id}/rerun`, { failed_only: true, succeeded_only: true })).status).toBe(422);
  });
});
