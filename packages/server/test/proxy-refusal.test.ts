/**
 * A proxy that refuses the server's tasks (here: it answers 401 to `/tasks/launch`, as a proxy
 * whose credential was changed after registration does) fails each host with a message saying so
 * and why, not with a bare "proxy is down".
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerStandIn, type StandInProxy } from './stand-in.ts';
import { startTestServer, type TestServer } from './test-server.ts';

describe.each(DIALECTS)('a proxy refusing tasks on %s', (dialect) => {
  let t: TestServer;
  let proxy: StandInProxy;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    proxy = await registerStandIn(t, 'refuser', (req) => {
      if (req.url !== '/tasks/launch') return undefined;
      return { status: 401, body: { error: { message: 'Invalid signature' } } };
    });
    expect((await t.api('POST', '/api/hosts', { host: { name: 'h1.example.com' } })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await proxy?.close();
  });

  const runOnH1 = async () => {
    const tpl = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: tpl.body.results[0].id, search_query: 'name = h1.example.com', inputs: { command: 'true' } } });
    expect(r.status, r.text).toBe(201);
    for (let i = 0; i < 200; i++) {
      const job = await t.api('GET', `/api/job_invocations/${r.body.id}?include_hosts=false`);
      if (job.body.status_label !== 'queued' && job.body.status_label !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return (await t.api('GET', `/api/job_invocations/${r.body.id}/hosts`)).body.results[0] as { job_status: string; message: string | null } | undefined;
  };

  it('fails the host saying which proxy refused and why', async () => {
    const host = await runOnH1();
    expect(host?.job_status).toBe('error');
    expect(host?.message).toMatch(/^Proxy refuser refused the task: HTTP 401 .*Invalid signature/);
  });
});
