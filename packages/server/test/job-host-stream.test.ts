/**
 * @module
 * `GET /api/job_invocations/:id/stream?host_id=` on both dialects: a real server, a stand-in
 * proxy that accepts tasks, and events delivered through the real proxy callback route. The
 * stream carries exactly the host output endpoint's line sets (other hosts' left out), resumes
 * after `Last-Event-ID`, ends with `done` when the host's task stops (while another host still
 * runs), and refuses hosts that are not targets of the job. The whole-job stream without output
 * (`outputs=false`, what the web job page follows) carries progress and done only.
 */

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerStandIn, type StandInProxy } from './stand-in.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './test-server.ts';

interface StreamEvent {
  event: string;
  id: number | undefined;
  data: Record<string, unknown>;
}

/** Reads a whole stream (it must end by itself) into its events. */
async function readStream(t: TestServer, path: string, lastEventId?: number): Promise<StreamEvent[]> {
  const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const res = await fetch(`${t.server.url}${path}`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const blocks = (await res.text()).split('\n\n').filter((b) => b.includes('event: '));
  return blocks.map((b) => {
    const field = (name: string) => b.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
    const id = field('id');
    return { event: field('event') ?? '', id: id === undefined ? undefined : Number(id), data: JSON.parse(field('data') ?? 'null') as Record<string, unknown> };
  });
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe.each(DIALECTS)('job stream filtered by host on %s', (dialect) => {
  let t: TestServer;
  let proxy: StandInProxy;
  const launched: Array<{ task_id: number; host_name: string }> = [];
  let jobId = 0;
  const task = (host: string) => launched.find((l) => l.host_name === host)?.task_id ?? 0;

  const deliver = async (host: string, events: Array<{ seq: number; type: string; data: string; timestamp: number }>) => {
    const res = await proxy.deliver(events.map((e) => ({ task_id: task(host), ...e })));
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    proxy = await registerStandIn(t, 'stand-in', (req) => {
      if (req.url !== '/tasks/launch') return undefined;
      const tasks = (JSON.parse(req.body) as { tasks: Array<{ task_id: number; host_name: string }> }).tasks;
      launched.push(...tasks);
      return { body: { accepted: tasks.map((x) => x.task_id) } };
    });
    for (const name of ['a.stream.test', 'b.stream.test', 'c.stream.test']) {
      expect((await t.api('POST', '/api/hosts', { host: { name, ip: '127.0.0.1' } })).status).toBe(201);
    }
    const templates = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    const r = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: templates.body.results[0].id, targeting_type: 'static_query', host_ids: ['a.stream.test', 'b.stream.test'], inputs: { command: 'true' } },
    });
    expect(r.status).toBe(201);
    jobId = r.body.id as number;
    await until('both tasks to reach the proxy', () => launched.length === 2);
  });

  afterAll(async () => {
    await proxy?.close();
    await t?.stop();
  });

  it('follows one host live, ends when it stops, and resumes after Last-Event-ID', async () => {
    const path = `/api/job_invocations/${jobId}/stream?host_id=a.stream.test`;
    const live = readStream(t, path);
    const ts = Date.now() / 1000;
    await deliver('a.stream.test', [
      { seq: 1, type: 'started', data: '', timestamp: ts },
      { seq: 2, type: 'stdout', data: 'a1\n', timestamp: ts + 0.001 },
    ]);
    await deliver('b.stream.test', [
      { seq: 1, type: 'started', data: '', timestamp: ts },
      { seq: 2, type: 'stdout', data: 'b1\n', timestamp: ts + 0.001 },
    ]);
    await deliver('a.stream.test', [{ seq: 3, type: 'stderr', data: 'a2\n', timestamp: ts + 0.001 }]);
    await deliver('a.stream.test', [
      { seq: 4, type: 'stdout', data: 'a3\n', timestamp: ts + 0.002 },
      { seq: 5, type: 'exit', data: '4', timestamp: ts + 0.002 },
    ]);
    const events = await live;

    const outputs = events.filter((e) => e.event === 'output');
    const endpoint = await t.api('GET', `/api/job_invocations/${jobId}/hosts/a.stream.test`);
    expect(outputs.map(({ data: { output_type, output, timestamp } }) => ({ output_type, output, timestamp }))).toEqual(endpoint.body.output);
    expect(outputs.map((e) => e.data.output)).toEqual(['a1\n', 'a2\n', 'a3\n', 'Exit status: 4']);
    const ids = outputs.map((e) => e.id ?? 0);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const last = events.at(-1);
    expect(last?.event).toBe('done');
    expect(last?.data).toMatchObject({ host_name: 'a.stream.test', job_status: 'error', exit_status: '4' });
    expect(events.some((e) => e.event === 'progress')).toBe(false);

    // Host b still runs; a reconnect after the second line gets the rest only, then done.
    expect((await t.api('GET', `/api/job_invocations/${jobId}`)).body.status_label).toBe('running');
    const resumed = await readStream(t, path, ids[1]);
    expect(resumed.filter((e) => e.event === 'output').map((e) => e.data.output)).toEqual(['a3\n', 'Exit status: 4']);
    expect(resumed.at(-1)?.event).toBe('done');
  });

  it('leaves output out of the whole-job stream with outputs=false (a finished job ends at once with done)', async () => {
    const ts = Date.now() / 1000;
    await deliver('b.stream.test', [{ seq: 3, type: 'exit', data: '0', timestamp: ts }]);
    for (let i = 0; i < 100 && (await t.api('GET', `/api/job_invocations/${jobId}?include_hosts=false`)).body.status_label === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const full = await readStream(t, `/api/job_invocations/${jobId}/stream`);
    expect(full.filter((e) => e.event === 'output').map((e) => e.data.output)).toEqual(['a1\n', 'b1\n', 'a2\n', 'a3\n']);
    const lean = await readStream(t, `/api/job_invocations/${jobId}/stream?outputs=false`);
    expect(lean.map((e) => e.event)).toEqual(['progress', 'done']);
    expect(lean.at(-1)?.data).toMatchObject({ total: 2 });
    expect((await t.api('GET', `/api/job_invocations/${jobId}/stream?outputs=maybe`)).status).toBe(422);
  });

  it('answers 404 for a host that is not a target of the job', async () => {
    const other = await t.api('GET', `/api/job_invocations/${jobId}/stream?host_id=c.stream.test`);
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe(`Host 'c.stream.test' is not a target of job invocation ${jobId}`);
    expect((await t.api('GET', `/api/job_invocations/${jobId}/stream?host_id=nope.test`)).status).toBe(404);
  });
});
