/**
 * @module
 * Webhooks against a real local HTTP receiver (SQLite and PostgreSQL): a job finishing on real
 * SSH hosts is delivered as `job_succeeded`, signed (the receiver checks the HMAC over
 * "<t>.<body>"); a receiver answering 500 sees the same delivery again with backoff until it
 * answers 200; the test action sends a ping at once; bad input is refused and the secret never
 * shown; a disabled webhook gets nothing.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

const SECRET = 'whsec-Very-Secret-42';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A receiver that answers each request with the next status of `plan` (then 200). */
async function receiver(): Promise<{ url: string; got: Received[]; plan: number[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const plan: number[] = [];
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const status = plan.shift() ?? 200;
      got.push({ headers: req.headers, body: Buffer.concat(parts).toString('utf8'), status });
      res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, plan, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Checks the signature header as a receiver must. */
function verified(r: Received): boolean {
  const header = String(r.headers['x-remex-signature'] ?? '');
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const expected = createHmac('sha256', SECRET).update(`${m[1]}.${r.body}`).digest('hex');
  return expected === m[2] && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
}

async function until<T>(get: () => T | Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(DIALECTS)('webhooks (%s)', (DIALECT) => {
  let s: FleetStack;
  let rx: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    rx = await receiver();
    s = await startFleetStack(DIALECT, 2);
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
    await rx?.close();
  });

  it('delivers a finished job, signed, and retries after a 500 until the receiver takes it', async () => {
    const created = await s.t.api('POST', '/api/webhooks', { webhook: { name: 'ci', url: rx.url, events: ['job_succeeded', 'job_failed'], secret: SECRET, http_headers: { 'X-Team': 'ops' } } });
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain(SECRET);
    expect(created.body).toMatchObject({ name: 'ci', has_secret: true, enabled: true, http_headers: { 'X-Team': 'ops' } });
    // A credential header is shown masked, and sent back as shown it keeps its value.
    const withToken = await s.t.api('PUT', `/api/webhooks/${created.body.id as number}`, { webhook: { http_headers: { 'X-Team': 'ops', Authorization: 'Bearer tok-123' } } });
    expect(withToken.body.http_headers).toEqual({ 'X-Team': 'ops', Authorization: '*****' });
    expect(withToken.text).not.toContain('tok-123');
    expect((await s.t.api('PUT', `/api/webhooks/${created.body.id as number}`, { webhook: { http_headers: withToken.body.http_headers } })).status).toBe(200);
    const hookId = created.body.id as number;

    rx.plan.push(500);
    const r = await s.t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: await templateId(s.t, 'Run Command - Script Default'), host_ids: s.fleet.hosts.map((h) => h.name), inputs: { command: 'true' } } });
    expect(r.status, r.text).toBe(201);
    await waitForJob(s.t, r.body.id as number);
    // The first attempt got 500; the second (after the backoff) got 200: the same delivery twice.
    const got = await until(() => rx.got.filter((g) => g.headers['x-remex-event'] === 'job_succeeded'), (g) => g.length >= 2);
    expect(got).toHaveLength(2);
    expect(got.map((g) => g.status)).toEqual([500, 200]);
    expect(got[0]!.headers['x-remex-delivery']).toBe(got[1]!.headers['x-remex-delivery']);
    for (const g of got) {
      expect(verified(g)).toBe(true);
      expect(g.headers['x-team']).toBe('ops');
      expect(g.headers.authorization).toBe('Bearer tok-123');
      expect(g.headers['content-type']).toBe('application/json');
    }
    const body = JSON.parse(got[1]!.body) as { event: string; job: { id: number; result: string; hosts: Record<string, number> } };
    expect(body).toMatchObject({ event: 'job_succeeded', job: { id: r.body.id, result: 'success', hosts: { success: 2 } } });
    // A tampered body does not verify.
    expect(verified({ ...got[1]!, body: got[1]!.body.replace('success', 'error') })).toBe(false);

    const log = await until(async () => (await s.t.api('GET', `/api/webhooks/${hookId}/deliveries`)).body, (b) => b.results?.[0]?.state === 'delivered');
    expect(log.results[0]).toMatchObject({ event: 'job_succeeded', state: 'delivered', attempts: 2, last_status_code: 200, last_error: null });
    // Both lists search in the API's search language.
    const search = async (path: string, q: string) => (await s.t.api('GET', `${path}?search=${encodeURIComponent(q)}`)).body as { subtotal: number };
    expect((await search('/api/webhooks', 'name = ci and enabled = true')).subtotal).toBe(1);
    expect((await search('/api/webhooks', 'url ~ nowhere.example')).subtotal).toBe(0);
    expect((await search(`/api/webhooks/${hookId}/deliveries`, 'state = delivered and status_code = 200')).subtotal).toBe(1);
    expect((await s.t.api('GET', `/api/webhooks?search=${encodeURIComponent('colour = red')}`)).status).toBe(422);
    expect(JSON.stringify(log)).not.toContain(SECRET);
    // Audited, with the secret and the headers masked.
    const audits = await s.t.api('GET', `/api/audits?search=${encodeURIComponent('type = webhook')}`);
    expect(audits.body.subtotal).toBeGreaterThanOrEqual(2);
    expect(audits.text).not.toContain(SECRET);
    expect(audits.text).not.toContain('tok-123');
  });

  it('sends a test ping at once and logs it; a dead URL is logged failed with the reason', async () => {
    const hook = (await s.t.api('GET', '/api/webhooks/ci')).body as { id: number };
    const before = rx.got.length;
    const ping = await s.t.api('POST', `/api/webhooks/${hook.id}/test`, {});
    expect(ping.status, ping.text).toBe(200);
    expect(ping.body).toMatchObject({ event: 'ping', state: 'delivered', attempts: 1, last_status_code: 200 });
    expect(rx.got.length).toBe(before + 1);
    expect(verified(rx.got.at(-1)!)).toBe(true);

    const dead = await s.t.api('POST', '/api/webhooks', { webhook: { name: 'dead', url: 'http://127.0.0.1:9/nothing', events: ['job_failed'] } });
    expect(dead.status, dead.text).toBe(201);
    const failed = await s.t.api('POST', `/api/webhooks/${dead.body.id as number}/test`, {});
    expect(failed.body).toMatchObject({ event: 'ping', state: 'failed', last_status_code: null });
    expect(failed.body.last_error).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('delivers host_task_finished once per host of a job', async () => {
    const hook = await s.t.api('POST', '/api/webhooks', { webhook: { name: 'per-host', url: rx.url, events: ['host_task_finished'] } });
    expect(hook.status, hook.text).toBe(201);
    const r = await s.t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: await templateId(s.t, 'Run Command - Script Default'), host_ids: s.fleet.hosts.map((h) => h.name), inputs: { command: 'exit 0' } } });
    await waitForJob(s.t, r.body.id as number);
    const got = await until(() => rx.got.filter((g) => g.headers['x-remex-event'] === 'host_task_finished' && (JSON.parse(g.body) as { task: { job_invocation_id: number } }).task.job_invocation_id === r.body.id), (g) => g.length >= 2);
    expect(got.map((g) => (JSON.parse(g.body) as { task: { host_name: string; result: string; exit_status: string } }).task).sort((x, y) => x.host_name.localeCompare(y.host_name))).toEqual(
      s.fleet.hosts.map((h) => expect.objectContaining({ host_name: h.name, result: 'success', exit_status: '0' })),
    );
    expect(got[0]!.headers['x-remex-signature']).toBeUndefined();
    expect((await s.t.api('DELETE', `/api/webhooks/${hook.body.id as number}`)).status).toBe(200);
  });

  it('refuses bad input naming the field, and creates nothing', async () => {
    const before = (await s.t.api('GET', '/api/webhooks')).body.total as number;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'x', url: 'ftp://example.com/h', events: ['job_failed'] }, /url must be http:\/\/ or https:\/\//],
      [{ name: 'x', url: 'not a url', events: ['job_failed'] }, /is not a URL/],
      [{ name: 'x', url: 'http://u:p@127.0.0.1/h', events: ['job_failed'] }, /must not carry a user or password/],
      [{ name: 'x', url: 'http://127.0.0.1/h', events: ['job_exploded'] }, /unknown event 'job_exploded'/],
      [{ name: 'x', url: 'http://127.0.0.1/h', events: ['job_failed'], http_headers: { 'X-Remex-Signature': 'forged' } }, /set by Remex and cannot be overridden/],
      [{ name: 'x', url: 'http://127.0.0.1/h', events: ['job_failed'], http_headers: { Host: 'evil' } }, /cannot be overridden/],
      [{ name: 'ci', url: 'http://127.0.0.1/h', events: ['job_failed'] }, /already been taken/],
    ];
    for (const [webhook, message] of cases) {
      const r = await s.t.api('POST', '/api/webhooks', { webhook });
      expect(r.status, r.text).toBe(422);
      expect(r.body.error.message).toMatch(message);
    }
    expect((await s.t.api('GET', '/api/webhooks')).body.total).toBe(before);
  });

  it('sends nothing for a disabled webhook; deleting it drops its log', async () => {
    const hook = (await s.t.api('GET', '/api/webhooks/ci')).body as { id: number };
    expect((await s.t.api('PUT', `/api/webhooks/${hook.id}`, { webhook: { enabled: false } })).body.enabled).toBe(false);
    const before = rx.got.length;
    const logged = (await s.t.api('GET', `/api/webhooks/${hook.id}/deliveries?search=${encodeURIComponent('event = job_succeeded')}`)).body.subtotal as number;
    const r = await s.t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: await templateId(s.t, 'Run Command - Script Default'), host_ids: [s.fleet.hosts[0]!.name], inputs: { command: 'true' } } });
    await waitForJob(s.t, r.body.id as number);
    // A disabled webhook gets no deliveries (as GitHub's inactive hooks): none queued, none sent.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(rx.got.length).toBe(before);
    expect((await s.t.api('GET', `/api/webhooks/${hook.id}/deliveries?search=${encodeURIComponent('event = job_succeeded')}`)).body.subtotal).toBe(logged);
    expect((await s.t.api('DELETE', `/api/webhooks/${hook.id}`)).status).toBe(200);
    expect((await s.t.api('GET', `/api/webhooks/${hook.id}/deliveries`)).status).toBe(404);
  });
});
