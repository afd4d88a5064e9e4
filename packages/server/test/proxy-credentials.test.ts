/**
 * Per-proxy credentials (ADR 0007), with stand-in proxies on loopback: the server never sends a
 * secret to a URL that does not prove it holds the credential; a proxy's events count only for the
 * tasks it was given; callbacks need a fresh, untampered signature of a registered proxy; a launch
 * answer not signed by the proxy fails the task.
 */
import { EVENTS_CALLBACK_PATH, parseProxyCredential, signMessage } from '@remex/common';
import { DIALECTS, signedPost, type StandInRequest, startStandInProxy } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../src/db/database.ts';
import { hashPassword } from '../src/users/password-hash.ts';
import { registerStandIn, type StandInProxy } from './stand-in.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './test-server.ts';

async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Everything a stand-in received, as one text (headers and bodies). */
function everything(received: StandInRequest[]): string {
  return received.map((r) => `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n');
}

describe.each(DIALECTS)('per-proxy credentials on %s', (dialect) => {
  let t: TestServer;
  let a: StandInProxy;
  let b: StandInProxy;
  let unsignedLaunch = false;
  const launchedOnA: Array<{ task_id: number; host_name: string }> = [];
  let templateId = 0;
  const others: StandInProxy[] = [];

  beforeAll(async () => {
    t = await startTestServer(dialect);
    a = await registerStandIn(t, 'proxy-a', (req) => {
      if (req.url !== '/tasks/launch') return undefined;
      const tasks = (JSON.parse(req.body) as { tasks: Array<{ task_id: number; host_name: string }> }).tasks;
      launchedOnA.push(...tasks);
      return { body: { accepted: tasks.map((x) => x.task_id) }, unsigned: unsignedLaunch };
    });
    expect((await t.api('POST', '/api/hosts', { host: { name: 'a1.cred.test', ip: '127.0.0.1' } })).status).toBe(201);
    const templates = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    templateId = templates.body.results[0].id as number;
  });

  afterAll(async () => {
    for (const p of [a, b, ...others]) await p?.close();
    await t?.stop();
  });

  const run = async (): Promise<{ jobId: number; taskId: number }> => {
    const before = launchedOnA.length;
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, targeting_type: 'static_query', host_ids: ['a1.cred.test'], inputs: { command: 'sleep 100' } } });
    expect(r.status, r.text).toBe(201);
    await until('the task to reach proxy A', () => launchedOnA.length > before);
    return { jobId: r.body.id as number, taskId: launchedOnA.at(-1)!.task_id };
  };
  const hostOf = async (jobId: number) => (await t.api('GET', `/api/job_invocations/${jobId}/hosts`)).body.results[0] as { job_status: string; message: string | null };

  it('issues a credential once; the API never shows it again', async () => {
    const issued = await t.api('POST', '/api/smart_proxies/credentials', { smart_proxy: { name: 'later' } });
    expect(issued.status, issued.text).toBe(201);
    const { secret } = parseProxyCredential(issued.body.credential as string);
    const listed = await t.api('GET', '/api/smart_proxies');
    const one = await t.api('GET', '/api/smart_proxies/proxy-a');
    expect(one.body).toMatchObject({ name: 'proxy-a', credential_configured: true });
    for (const r of [listed, one]) expect(r.text).not.toMatch(/[0-9a-f]{64}/);
    expect(listed.text).not.toContain(secret);
  });

  it('lets only administrators issue credentials', async () => {
    const store = openStore(t.database.url);
    try {
      await store.db.insertInto('users').values({ login: 'operator', password_hash: await hashPassword('operator-pw'), admin: 0, created_at: new Date().toISOString() }).execute();
    } finally {
      await store.destroy();
    }
    const asOperator = { authorization: `Basic ${Buffer.from('operator:operator-pw').toString('base64')}` };
    const r = await t.api('POST', '/api/smart_proxies/credentials', { smart_proxy: { name: 'mine' } }, asOperator);
    expect(r.status, r.text).toBe(403);
    expect(r.text).not.toMatch(/[0-9a-f]{64}/);
    // Registering needs create_smart_proxies, which a user without roles does not hold.
    const reg = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'mine', url: a.url } }, asOperator);
    expect(reg.status).toBe(403);
    expect(reg.body.error.message).toBe('Missing one of the required permissions: create_smart_proxies');
  });

  it('refuses a URL whose server answers like a Remex proxy but does not hold the credential, and never sends it the secret', async () => {
    const issued = await t.api('POST', '/api/smart_proxies/credentials', { smart_proxy: { name: 'proxy-x' } });
    const token = issued.body.credential as string;
    const fake = await startStandInProxy(t.server.url, 'proxy-x', null);
    others.push(fake);
    const r = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'proxy-x', url: fake.url } });
    expect(r.status, r.text).toBe(422);
    expect(r.body.error.message).toMatch(/does not prove it holds the credential issued for 'proxy-x'/);
    expect(r.text).not.toContain(token);
    // It was asked for its features, its public key and one signed request; none carried the secret.
    expect(fake.received.map((q) => `${q.method} ${q.url}`)).toEqual(['GET /features', 'GET /ssh/pubkey', 'GET /tasks/count']);
    const seen = everything(fake.received);
    expect(seen).not.toContain(parseProxyCredential(token).secret);
    expect(seen).not.toContain(token);
    expect(fake.received[2]?.headers.authorization).toMatch(/^Remex-HMAC key="[0-9a-f]{16}"/);
    expect((await t.api('GET', '/api/smart_proxies/proxy-x')).status).toBe(404);
  });

  it('refuses a proxy configured with another credential, and a name nothing was issued for', async () => {
    const issued = await t.api('POST', '/api/smart_proxies/credentials', { smart_proxy: { name: 'proxy-y' } });
    expect(issued.status).toBe(201);
    const wrong = await startStandInProxy(t.server.url, 'proxy-y', await t.server.issueProxyCredential('unrelated'));
    others.push(wrong);
    const r = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'proxy-y', url: wrong.url } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/refused the credential issued for 'proxy-y' \(HTTP 401\)/);
    const none = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'never-issued', url: wrong.url } });
    expect(none.status).toBe(422);
    expect(none.body.error.message).toMatch(/No credential was issued for proxy 'never-issued'/);
  });

  it("drops events a proxy forges for another proxy's task; the job is unchanged", async () => {
    b = await registerStandIn(t, 'proxy-b');
    const { jobId, taskId } = await run();
    const started = await a.deliver([{ task_id: taskId, seq: 1, type: 'started', data: '' }]);
    expect(started.status).toBe(200);
    expect(await started.json()).toEqual({ stored: 1, duplicates: 0 });
    expect((await hostOf(jobId)).job_status).toBe('running');

    const forged = await b.deliver([
      { task_id: taskId, seq: 2, type: 'stdout', data: 'forged\n' },
      { task_id: taskId, seq: 3, type: 'exit', data: '0' },
    ]);
    expect(forged.status).toBe(200);
    expect(await forged.json()).toEqual({ stored: 0, duplicates: 0 });
    expect((await hostOf(jobId)).job_status).toBe('running');
    expect((await t.api('GET', `/api/job_invocations/${jobId}`)).body.status_label).toBe('running');
    const output = await t.api('GET', `/api/job_invocations/${jobId}/hosts/a1.cred.test`);
    expect(JSON.stringify(output.body.output)).not.toContain('forged');

    // The real proxy's same sequence numbers are still taken.
    const real = await a.deliver([
      { task_id: taskId, seq: 2, type: 'stdout', data: 'real\n' },
      { task_id: taskId, seq: 3, type: 'exit', data: '0' },
    ]);
    expect(await real.json()).toEqual({ stored: 2, duplicates: 0 });
    expect((await hostOf(jobId)).job_status).toBe('success');
  });

  it('refuses callbacks that are unsigned, Basic, stale, tampered, replayed or of an unknown credential', async () => {
    const { taskId } = await run();
    const token = await t.server.issueProxyCredential('proxy-a');
    // A credential issued but not yet proven by a registration does not authenticate.
    const body = JSON.stringify({ proxy: 'proxy-a', events: [{ task_id: taskId, seq: 1, type: 'started', data: '', timestamp: Date.now() / 1000 }] });
    const post = (headers: Record<string, string>) => fetch(`${t.server.url}${EVENTS_CALLBACK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    for (const r of [await post({}), await post({ authorization: basic }), await post({ authorization: `Bearer ${token}` }), await signedPost(t.server.url, token, EVENTS_CALLBACK_PATH, body)]) {
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: { name: string } }).error.name).toBe('AuthenticationError');
    }
    // Proxy A's own credential: stale, tampered and replayed requests fail; a fresh one passes once.
    const stale = await signedPost(t.server.url, a.token, EVENTS_CALLBACK_PATH, body, { now: Date.now() - 301_000 });
    expect(stale.status).toBe(401);
    const tampered = await signedPost(t.server.url, a.token, EVENTS_CALLBACK_PATH, body, { tamper: (x) => x.replace('"started"', '"exit"') });
    expect(tampered.status).toBe(401);
    const authorization = await signMessage(parseProxyCredential(a.token), { kind: 'request', method: 'POST', path: EVENTS_CALLBACK_PATH, body });
    expect((await signedPost(t.server.url, a.token, EVENTS_CALLBACK_PATH, body, { authorization })).status).toBe(200);
    const replayed = await signedPost(t.server.url, a.token, EVENTS_CALLBACK_PATH, body, { authorization });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { error: { message: string } }).error.message).toMatch(/replayed/);
  });

  it('rotates a credential: the new one replaces the old only once the proxy proves it', async () => {
    const r = await registerStandIn(t, 'proxy-r');
    others.push(r);
    const old = r.token;
    const next = (await t.api('POST', '/api/smart_proxies/credentials', { smart_proxy: { name: 'proxy-r' } })).body.credential as string;
    const early = await t.api('PUT', '/api/smart_proxies/proxy-r/refresh');
    expect(early.status).toBe(422);
    expect(early.body.error.message).toMatch(/refused the credential issued for 'proxy-r'/);
    expect((await r.deliver([])).status).toBe(200);
    r.useToken(next);
    const done = await t.api('PUT', '/api/smart_proxies/proxy-r/refresh');
    expect(done.status, done.text).toBe(200);
    expect((await r.deliver([])).status).toBe(200);
    const body = JSON.stringify({ proxy: 'proxy-r', events: [] });
    expect((await signedPost(t.server.url, old, EVENTS_CALLBACK_PATH, body)).status).toBe(401);
  });

  it('fails the task when the answer to a launch is not signed with the proxy credential', async () => {
    unsignedLaunch = true;
    try {
      const { jobId } = await run();
      await until('the host to fail', async () => (await hostOf(jobId)).job_status === 'error');
      expect((await hostOf(jobId)).message).toMatch(/Proxy proxy-a refused the task: its answer is not signed with proxy proxy-a's credential/);
    } finally {
      unsignedLaunch = false;
    }
  });
});

describe.each(DIALECTS)('a proxy registered before per-proxy credentials on %s', (dialect) => {
  let t: TestServer;
  let legacy: StandInProxy;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    legacy = await startStandInProxy(t.server.url, 'legacy', null, () => ({ body: { accepted: [] } }));
    // As migration 0009 leaves it: registered, no credential.
    const store = openStore(t.database.url);
    try {
      const now = new Date().toISOString();
      await store.db.insertInto('smart_proxies').values({ name: 'legacy', url: legacy.url, features: '["script","ssh"]', pubkey: null, credential_key_id: null, credential: null, created_at: now, updated_at: now }).execute();
    } finally {
      await store.destroy();
    }
    expect((await t.api('POST', '/api/hosts', { host: { name: 'l1.cred.test', ip: '127.0.0.1' } })).status).toBe(201);
  });

  afterAll(async () => {
    await legacy?.close();
    await t?.stop();
  });

  it('is not sent tasks, which fail saying how to give it a credential; refresh without one is refused', async () => {
    expect((await t.api('GET', '/api/smart_proxies/legacy')).body).toMatchObject({ credential_configured: false });
    const templates = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templates.body.results[0].id, targeting_type: 'static_query', host_ids: ['l1.cred.test'], inputs: { command: 'true' } } });
    expect(r.status, r.text).toBe(201);
    const hostOf = async () => (await t.api('GET', `/api/job_invocations/${r.body.id}/hosts`)).body.results[0] as { job_status: string; message: string | null };
    await until('the host to fail', async () => (await hostOf()).job_status === 'error');
    expect((await hostOf()).message).toMatch(/proxy legacy has no credential .*remex proxy-registration credential --name legacy/);
    expect(legacy.received.filter((q) => q.url === '/tasks/launch')).toEqual([]);
    const refresh = await t.api('PUT', '/api/smart_proxies/legacy/refresh');
    expect(refresh.status).toBe(422);
    expect(refresh.body.error.message).toMatch(/No credential was issued for proxy 'legacy'/);
  });
});
