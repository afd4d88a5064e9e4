import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

describe('execution control on real hosts', () => {
  let s: FleetStack;
  beforeAll(async () => {
    s = await startFleetStack('sqlite', 12);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('never runs more hosts at once than the concurrency level', async () => {
    const { t, fleet } = s;
    const dir = `/var/tmp/remex-conc-${randomBytes(4).toString('hex')}`;
    // Each run registers itself in a shared directory, records how many runs it sees, then leaves.
    const command = `mkdir -p ${dir}/live; touch ${dir}/live/$$; ls ${dir}/live | wc -l >> ${dir}/seen; sleep 0.4; rm -f ${dir}/live/$$`;
    const job = await t.api('POST', '/api/job_invocations', {
      job_invocation: {
        job_template_id: await templateId(t, 'Run Command - Script Default'),
        targeting_type: 'static_query',
        search_query: 'hostgroup = fleet',
        inputs: { command },
        concurrency_control: { concurrency_level: 3 },
      },
    });
    expect(job.status, job.text).toBe(201);
    expect(job.body.concurrency_level).toBe(3);
    expect(await waitForJob(t, job.body.id as number)).toMatchObject({ status_label: 'succeeded', succeeded: 12 });
    const check = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), targeting_type: 'static_query', host_ids: [fleet.hosts[0]!.name], inputs: { command: `cat ${dir}/seen; rm -rf ${dir}` } },
    });
    await waitForJob(t, check.body.id as number);
    const out = await t.api('GET', `/api/job_invocations/${check.body.id}/hosts/${fleet.hosts[0]!.name}`);
    const seen = (out.body.output as Array<{ output_type: string; output: string }>)
      .filter((l) => l.output_type === 'stdout' && !l.output.startsWith('Exit status'))
      .map((l) => l.output)
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(Number);
    expect(seen).toHaveLength(12);
    expect(Math.max(...seen)).toBeLessThanOrEqual(3);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(2);
  });

  it('serves output incrementally with since=', async () => {
    const { t, fleet } = s;
    const host = fleet.hosts[1]!.name;
    const job = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), targeting_type: 'static_query', host_ids: [host], inputs: { command: 'echo one; sleep 0.3; echo two' } },
    });
    await waitForJob(t, job.body.id as number);
    const all = (await t.api('GET', `/api/job_invocations/${job.body.id}/hosts/${host}`)).body.output as Array<{ output: string; timestamp: number }>;
    expect(all.map((l) => l.output)).toEqual(['one\n', 'two\n', 'Exit status: 0']);
    const later = await t.api('GET', `/api/job_invocations/${job.body.id}/hosts/${host}?since=${all[0]!.timestamp}`);
    expect(later.body.output.map((l: { output: string }) => l.output)).toEqual(['two\n', 'Exit status: 0']);
    const bad = await t.api('GET', `/api/job_invocations/${job.body.id}/hosts/${host}?since=yesterday`);
    expect(bad.status).toBe(422);
  });
});
