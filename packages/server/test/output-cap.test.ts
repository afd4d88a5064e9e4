/**
 * @module
 * Per-host output cap on both dialects (`REMEX_MAX_HOST_OUTPUT_BYTES`): output past the cap is
 * not stored, the crossing event is cut at the cap, one truncation line is stored however often
 * output keeps coming (and retried batches), and the exit status and final state are kept.
 * Events come through the real proxy callback route; the callback refuses bodies over 8 MiB.
 */
import { createServer, type Server } from 'node:http';

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from './test-server.ts';

const HOSTS = ['a.cap.test', 'b.cap.test'];
const LIMIT = 4096;

async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe.each(DIALECTS)('host output cap on %s', (dialect) => {
  let t: TestServer;
  let proxy: Server;
  const launched: Array<{ task_id: number; host_name: string }> = [];
  const seqs = new Map<string, number>();
  let jobId = 0;

  const post = (body: string) =>
    fetch(`${t.server.url}/api/proxy_callbacks/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.server.proxyToken}`, 'content-type': 'application/json' },
      body,
    });
  const deliver = async (host: string, events: Array<{ type: string; data: string; seq?: number }>) => {
    const task = launched.find((l) => l.host_name === host)?.task_id ?? 0;
    const ts = Date.now() / 1000;
    const body = JSON.stringify({
      proxy: 'stand-in',
      events: events.map((e) => {
        const seq = e.seq ?? (seqs.get(host) ?? 0) + 1;
        seqs.set(host, Math.max(seq, seqs.get(host) ?? 0));
        return { task_id: task, seq, timestamp: ts, type: e.type, data: e.data };
      }),
    });
    const res = await post(body);
    expect(res.status, await res.text()).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestServer(dialect, { REMEX_MAX_HOST_OUTPUT_BYTES: String(LIMIT) });
    proxy = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/features') {
          res.end(JSON.stringify({ product: 'remex-proxy', version: '0.0.0', api_version: 1, features: ['script', 'ssh'], providers: ['script'], name: 'stand-in' }));
        } else if (req.url === '/tasks/launch') {
          const tasks = (JSON.parse(body) as { tasks: Array<{ task_id: number; host_name: string }> }).tasks;
          launched.push(...tasks);
          res.end(JSON.stringify({ accepted: tasks.map((x) => x.task_id) }));
        } else {
          res.statusCode = 404;
          res.end('{}');
        }
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    await t.server.registerProxy('stand-in', `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    for (const name of HOSTS) expect((await t.api('POST', '/api/hosts', { host: { name, ip: '127.0.0.1' } })).status).toBe(201);
    const templates = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    const r = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: templates.body.results[0].id, targeting_type: 'static_query', host_ids: HOSTS, inputs: { command: 'true' } },
    });
    expect(r.status).toBe(201);
    jobId = r.body.id as number;
    await until('all tasks to reach the proxy', () => launched.length === HOSTS.length);
    for (const h of HOSTS) await deliver(h, [{ type: 'started', data: '' }]);
  });

  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
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
