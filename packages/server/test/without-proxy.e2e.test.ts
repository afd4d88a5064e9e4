/**
 * @module
 * `remote_execution_without_proxy` (manual §4.2) on the real fleet: with no proxy applying to a
 * host (no subnet proxy, `remote_execution_global_proxy` off), its task fails with Foreman's
 * message unless the setting is on; then the installation's built-in runner (the proxy named by
 * `REMEX_BUILTIN_PROXY`, `embedded` under `remex up`) runs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

describe('remote_execution_without_proxy', () => {
  let s: FleetStack;

  beforeAll(async () => {
    // The stack's only proxy plays the built-in runner.
    s = await startFleetStack('sqlite', 1, { REMEX_BUILTIN_PROXY: 'test-proxy' });
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  const setting = async (name: string, value: boolean) => {
    const r = await s.t.api('PUT', `/api/settings/${name}`, { setting: { value } });
    expect(r.status, r.text).toBe(200);
  };
  const run = async () => {
    const host = s.fleet.hosts[0]!.name;
    const r = await s.t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: await templateId(s.t, 'Run Command - Script Default'), host_ids: [host], inputs: { command: 'echo ran' } } });
    expect(r.status, r.text).toBe(201);
    const job = await waitForJob(s.t, r.body.id as number);
    const hosts = (await s.t.api('GET', `/api/job_invocations/${r.body.id as number}/hosts`)).body.results as Array<{ message: string | null; smart_proxy_id?: number | null }>;
    const output = (await s.t.api('GET', `/api/job_invocations/${r.body.id as number}/hosts/${host}`)).body.output as Array<{ output: string }>;
    return { status: job.status_label as string, message: hosts[0]?.message ?? '', output: output.map((l) => l.output).join('') };
  };

  it('fails a host no proxy applies to, unless the setting lets the built-in runner take it', async () => {
    await setting('remote_execution_global_proxy', false);
    const refused = await run();
    expect(refused.status).toBe('failed');
    expect(refused.output + refused.message).toMatch(/Could not use any proxy for the script job/);

    await setting('remote_execution_without_proxy', true);
    const ran = await run();
    expect(ran.status, ran.output).toBe('succeeded');
    expect(ran.output).toContain('ran\n');
  });

  it('reports a proxy asked now: reachable with its version, features and tasks; then down with the reason', async () => {
    const id = ((await s.t.api('GET', '/api/smart_proxies')).body.results as Array<{ id: number; name: string }>).find((p) => p.name === 'test-proxy')!.id;
    const up = await s.t.api('GET', `/api/smart_proxies/${id}/status`);
    expect(up.status, up.text).toBe(200);
    expect(up.body).toMatchObject({ id, name: 'test-proxy', reachable: true, running: 0, queued: 0, error: null });
    expect(up.body.version).toMatch(/^\d+\.\d+/);
    expect(up.body.features).toContain('script');
    await s.proxy.stop();
    const down = await s.t.api('GET', `/api/smart_proxies/${id}/status`);
    expect(down.body).toMatchObject({ reachable: false, running: null, version: null });
    expect(down.body.error).toMatch(/communicate|ECONNREFUSED|fetch failed/);
  });
});
