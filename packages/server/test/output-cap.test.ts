/**
 * @module
 * Per-host output cap on both dialects (`REMEX_MAX_HOST_OUTPUT_BYTES`): output past the cap is
 * not stored, the crossing event is cut at the cap, one truncation line is stored however often
 * output keeps coming (and retried batches), and the exit status and final state are kept.
 * Events come through the real proxy callback route; the callback refuses bodies over 8 MiB.
 */

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type StandInJob, startStandInJob } from './stand-in-job.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const HOSTS = ['a.cap.test', 'b.cap.test'];
const LIMIT = 4096;

describe.each(DIALECTS)('host output cap on %s', (dialect) => {
  let t: TestServer;
  let job: StandInJob;
  let jobId = 0;
  const deliver: StandInJob['deliver'] = (host, events) => job.deliver(host, events);
  const post = (body: string) => job.post(body);

  beforeAll(async () => {
    t = await startTestServer(dialect, { REMEX_MAX_HOST_OUTPUT_BYTES: String(LIMIT) });
    job = await startStandInJob(t, HOSTS);
    jobId = job.jobId;
  });

  afterAll(async () => {
    await job?.close();
    await t?.stop();
  });

  it('stores at most the cap per host, one truncation line, and the exit status', async () => {
    // 3,000 bytes, then 3,000 more (cut to 1,096 at the cap, on a character boundary), then more.
    await deliver('a.cap.test', [{ type: 'stdout', data: 'a'.repeat(3000) }]);
    await deliver('a.cap.test', [{ type: 'stderr', data: `${'b'.repeat(1095)}é${'c'.repeat(1904)}` }, { type: 'stdout', data: 'dropped\n' }]);
    for (let i = 0; i < 5; i++) await deliver('a.cap.test', [{ type: 'stdout', data: 'x'.repeat(2000) }]);
    // A retried batch (same seq numbers) changes nothing.
    await deliver('a.cap.test', [{ type: 'stdout', data: 'a'.repeat(3000), seq: 2 }, { type: 'stdout', data: 'x'.repeat(2000), seq: 5 }]);
    await deliver('a.cap.test', [{ type: 'debug', data: 'Timeout for execution passed, stopping the job' }, { type: 'exit', data: '124' }]);
    await deliver('b.cap.test', [{ type: 'stdout', data: 'small\n' }, { type: 'exit', data: '0' }]);

    const a = await t.api('GET', `/api/job_invocations/${jobId}/hosts/a.cap.test`);
    expect(a.status).toBe(200);
    const lines = a.body.output as Array<{ output_type: string; output: string }>;
    expect(lines.map((l) => l.output_type)).toEqual(['stdout', 'stderr', 'debug', 'debug', 'stdout']);
    expect(lines[0]?.output).toBe('a'.repeat(3000));
    expect(lines[1]?.output).toBe('b'.repeat(1095));
    expect(lines[2]?.output).toBe('[output truncated: over 4096 bytes]\n');
    expect(lines[3]?.output).toBe('Timeout for execution passed, stopping the job');
    expect(lines[4]?.output).toBe('Exit status: 124');
    expect(a.body.complete).toBe(true);
    const raw = await t.api('GET', `/api/job_invocations/${jobId}/hosts/a.cap.test/raw`);
    expect(Buffer.byteLength(raw.text)).toBeLessThanOrEqual(LIMIT);
    const hosts = await t.api('GET', `/api/job_invocations/${jobId}/hosts`);
    const byName = new Map((hosts.body.results as Array<{ name: string; job_status: string }>).map((h) => [h.name, h.job_status]));
    expect(byName.get('a.cap.test')).toBe('error');
    expect(byName.get('b.cap.test')).toBe('success');
    const b = await t.api('GET', `/api/job_invocations/${jobId}/hosts/b.cap.test`);
    expect((b.body.output as Array<{ output: string }>).map((l) => l.output)).toEqual(['small\n', 'Exit status: 0']);
  });

  it('refuses callback bodies over 8 MiB with 413', async () => {
    const res = await post(JSON.stringify({ proxy: 'stand-in', events: [{ task_id: 1, seq: 99, type: 'stdout', data: 'x'.repeat(9 * 1024 * 1024), timestamp: 1 }] }));
    expect(res.status).toBe(413);
  });
});
