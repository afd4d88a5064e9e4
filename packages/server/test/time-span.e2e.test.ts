/**
 * @module
 * `concurrency_control[time_span]` on real SSH hosts: the host starts, as each host's own clock
 * records them, are spread over the window; hosts the concurrency level keeps from starting
 * inside it end cancelled saying so; a time span that is not a positive number of seconds is
 * refused. No timing is asserted beyond the spread the window guarantees.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

describe.each(DIALECTS)('time span (%s)', (DIALECT) => {
  let s: FleetStack;
  let runCommand: number;

  beforeAll(async () => {
    s = await startFleetStack(DIALECT, 4);
    runCommand = await templateId(s.t, 'Run Command - Script Default');
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  const create = (command: string, concurrency: Record<string, unknown>, hosts = s.fleet.hosts.length) =>
    s.t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: runCommand, host_ids: s.fleet.hosts.slice(0, hosts).map((h) => h.name), inputs: { command }, concurrency_control: concurrency },
    });
  const hostsOf = async (id: number) =>
    (await s.t.api('GET', `/api/job_invocations/${id}/hosts?per_page=100`)).body.results as Array<{ name: string; job_status: string; message: string | null }>;
  const outputOf = async (id: number, host: string) =>
    ((await s.t.api('GET', `/api/job_invocations/${id}/hosts/${host}`)).body.output as Array<{ output: string; output_type: string }>)
      .filter((l) => l.output_type === 'stdout')
      .map((l) => l.output)
      .join('');

  it('spreads the host starts over the window (measured on the hosts)', async () => {
    // 4 hosts over 6 s: slots 1.5 s apart, so the last start is at least 4.5 s after the first.
    const r = await create('date +%s.%N', { time_span: 6 });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ time_span: 6 });
    const id = r.body.id as number;
    expect(await waitForJob(s.t, id)).toMatchObject({ status_label: 'succeeded', succeeded: 4 });
    // The first line of each host's output is its clock at the start (then Remex's exit line).
    const starts = await Promise.all(s.fleet.hosts.map(async (h) => Number((await outputOf(id, h.name)).split('\n')[0])));
    starts.sort((a, b) => a - b);
    for (const t of starts) expect(Number.isFinite(t)).toBe(true);
    // Lateness can only push a start later, never earlier: the spread is at least the slots'.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(4.4);
  });

  it('cancels the hosts that could not start inside the window', async () => {
    // One at a time and each takes 4 s: only the first starts inside a 2 s window.
    const r = await create('sleep 4; echo done', { concurrency_level: 1, time_span: 2 }, 3);
    expect(r.status, r.text).toBe(201);
    const id = r.body.id as number;
    await waitForJob(s.t, id);
    const hosts = await hostsOf(id);
    expect(hosts.filter((h) => h.job_status === 'success')).toHaveLength(1);
    const cancelled = hosts.filter((h) => h.job_status === 'cancelled');
    expect(cancelled).toHaveLength(2);
    for (const h of cancelled) expect(h.message).toBe("Could not start within the job's time span of 2 seconds");
  });

  it('refuses a time span that is not a positive number of seconds, creating nothing', async () => {
    const before = (await s.t.api('GET', '/api/job_invocations')).body.total as number;
    for (const span of [0, -5, 'soon']) {
      const r = await create('true', { time_span: span });
      expect(r.status, r.text).toBe(422);
      expect(r.text).toMatch(/time_span/);
    }
    expect((await s.t.api('GET', '/api/job_invocations')).body.total).toBe(before);
  });
});
