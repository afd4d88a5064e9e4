/**
 * @module
 * Output answers are bounded on both dialects: `/outputs` pages by hosts (`page`, `per_page`,
 * at most 1,000) and holds at most 8 Mi characters of output, flagging the hosts left out
 * (`truncated`); the host output endpoint continues after `next_after`; raw output is streamed
 * whole; list `per_page` is clamped to 1,000.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type StandInJob, startStandInJob } from './stand-in-job.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './test-server.ts';

const HOSTS = ['a.page.test', 'b.page.test', 'c.page.test'];
const MB = 1024 * 1024;
const LINE = `${'y'.repeat(1023)}\n`;

type Entry = { host_id: number; complete: boolean; refresh: boolean; output: Array<{ output: string }> | string; truncated?: boolean };
const chars = (e: Entry | undefined) => (typeof e?.output === 'string' ? e.output.length : (e?.output ?? []).reduce((n, l) => n + l.output.length, 0));

describe.each(DIALECTS)('bounded output answers on %s', (dialect) => {
  let t: TestServer;
  let job: StandInJob;

  /** Delivers `mb` MiB of 1 KiB lines to a host, 256 KiB per batch. */
  const fill = async (host: string, mb: number) => {
    for (let i = 0; i < mb * 4; i++) await job.deliver(host, Array.from({ length: 256 }, () => ({ type: 'stdout', data: LINE })));
  };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    job = await startStandInJob(t, HOSTS);
    await fill('a.page.test', 9);
    await fill('b.page.test', 1);
    await job.deliver('b.page.test', [{ type: 'exit', data: '0' }]);
    await job.deliver('c.page.test', [{ type: 'stdout', data: 'c\n' }]);
  }, 300_000);
  afterAll(async () => {
    await job?.close();
    await t?.stop();
  });

  it('/outputs holds at most 8 Mi characters and flags the hosts left out', async () => {
    const all = await t.api('GET', `/api/job_invocations/${job.jobId}/outputs`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, per_page: 1000, truncated: true });
    const [a, b, c] = all.body.outputs as Entry[];
    // Host a (9 MiB) does not fit: it gets what fits, it and the hosts after it are flagged.
    expect(chars(a)).toBeLessThanOrEqual(8 * MB);
    expect(chars(a)).toBeGreaterThan(7 * MB);
    expect(a).toMatchObject({ truncated: true, refresh: true });
    expect(b).toMatchObject({ truncated: true, complete: true, refresh: true, output: [] });
    expect(c).toMatchObject({ truncated: true, output: [] });

    // A page of one host at a time: b and c fit whole.
    const second = await t.api('POST', `/api/job_invocations/${job.jobId}/outputs`, { page: 2, per_page: 1 });
    expect(second.body).toMatchObject({ total: 3, page: 2, per_page: 1, truncated: false });
    const [onlyB] = second.body.outputs as Entry[];
    expect(onlyB).toMatchObject({ complete: true, refresh: false });
    expect(onlyB?.truncated).toBeUndefined();
    expect(chars(onlyB)).toBe(MB + 'Exit status: 0'.length);
    const raw = await t.api('GET', `/api/job_invocations/${job.jobId}/outputs?page=3&per_page=1&raw=true`);
    expect((raw.body.outputs as Entry[])[0]).toMatchObject({ output: 'c\n', complete: false, refresh: true });

    const clamped = await t.api('GET', `/api/job_invocations/${job.jobId}/outputs?per_page=5000`);
    expect(clamped.body.per_page).toBe(1000);
    const hosts = await t.api('GET', '/api/hosts?per_page=all');
    expect(hosts.body.per_page).toBe(1000);
  });

  it('the host output endpoint continues after next_after; raw output is whole', async () => {
    const first = await t.api('GET', `/api/job_invocations/${job.jobId}/hosts/a.page.test`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ truncated: true, refresh: true, complete: false });
    const got = first.body.output as Array<{ output: string }>;
    expect(got.length).toBeLessThanOrEqual(8 * 1024);
    const rest = await t.api('GET', `/api/job_invocations/${job.jobId}/hosts/a.page.test?after=${first.body.next_after}`);
    expect(rest.body.truncated).toBeUndefined();
    expect(got.length + (rest.body.output as unknown[]).length).toBe(9 * 1024);
    expect((await t.api('GET', `/api/job_invocations/${job.jobId}/hosts/a.page.test?after=x`)).status).toBe(422);

    const raw = await fetch(`${t.server.url}/api/job_invocations/${job.jobId}/hosts/a.page.test/raw`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` } });
    expect(raw.status).toBe(200);
    expect((await raw.text()).length).toBe(9 * MB);
  });
});
