/**
 * @module
 * `remex webhook …` against a real server (SQLite): register, list, show, test (a dead URL fails
 * with the reason, logged), deliveries, update, delete; a URL that is not http(s) is refused.
 */
import { describe, expect, it } from 'vitest';

import { useCliServer } from './helpers/cli-suite.ts';

const s = useCliServer();
const { ok } = s;

describe('webhook', () => {
  it('registers, tests, lists deliveries, updates and deletes a webhook', async () => {
    expect(await ok('webhook', 'create', '--name', 'chat', '--url', 'http://127.0.0.1:9/hook', '--events', 'job_failed,job_cancelled', '--headers', 'X-Team=ops')).toMatch(/Webhook chat created/i);
    expect(await ok('webhook', 'list')).toMatch(/chat\s+\|\s+http:\/\/127\.0\.0\.1:9\/hook\s+\|\s+job_failed, job_cancelled\s+\|\s+yes/);
    expect(await ok('webhook', 'info', '--name', 'chat')).toMatch(/^Signed:\s+no$/m);
    expect(await ok('webhook', 'test', '--name', 'chat')).toMatch(/^Ping failed: .*(ECONNREFUSED|fetch failed)/);
    expect(await ok('webhook', 'deliveries', '--name', 'chat')).toMatch(/ping\s+\|\s+failed\s+\|\s+1/);
    await ok('webhook', 'update', '--name', 'chat', '--enabled', 'false');
    expect(await ok('webhook', 'info', '--name', 'chat')).toMatch(/^Enabled:\s+no$/m);
    await ok('webhook', 'delete', '--name', 'chat');
    const r = await s.cli.run('webhook', 'create', '--name', 'bad', '--url', 'file:///etc/passwd', '--events', 'job_failed');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/url must be http:\/\/ or https:\/\//);
  });
});
