/**
 * A proxy that refuses the server's tasks (here: it answers 401 to `/tasks/launch`, as a proxy
 * whose token was changed after registration does) fails each host with a message saying so
 * and why, not with a bare "proxy is down".
 */
import { createServer, type Server } from 'node:http';

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from './test-server.ts';

describe.each(DIALECTS)('a proxy refusing tasks on %s', (dialect) => {
  let t: TestServer;
  let proxy: Server;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    proxy = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/features') {
        res.end(JSON.stringify({ product: 'remex-proxy', version: '0.0.0', api_version: 1, features: ['script', 'ssh'], providers: ['script'], name: 'refuser' }));
      } else if (req.url === '/tasks/count') {
        res.end(JSON.stringify({ running: 0, queued: 0 }));
      } else {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: { message: 'Invalid bearer token' } }));
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    await t.server.registerProxy('refuser', `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    expect((await t.api('POST', '/api/hosts', { host: { name: 'h1.example.com' } })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => proxy?.close(resolve));
  });

  it('fails the host saying which proxy refused and why', async () => {
    const tpl = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: tpl.body.results[0].id, search_query: 'name = h1.example.com', inputs: { command: 'true' } } });
    expect(r.status, r.text).toBe(201);
    for (let i = 0; i < 200; i++) {
      const job = await t.api('GET', `/api/job_invocations/${r.body.id}?include_hosts=false`);
      if (job.body.status_label !== 'queued' && job.body.status_label !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const host = (await t.api('GET', `/api/job_invocations/${r.body.id}/hosts`)).body.results[0] as { job_status: string; message: string | null } | undefined;
    expect(host?.job_status).toBe('error');
    expect(host?.message).toMatch(/^Proxy refuser refused the task: HTTP 401 .*Invalid bearer token/);
    expect(host?.message).not.toContain(t.server.proxyToken);
  });
});
