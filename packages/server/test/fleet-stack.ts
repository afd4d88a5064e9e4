/**
 * @module
 * Test helper: a real server + a real proxy + a real sshd fleet, wired together the way
 * `remex up` does it, with global parameters pointing at the fleet.
 */
import { loadProxyConfig, startProxy } from '@remex/proxy';
import type { RunningProxy } from '@remex/proxy';
import type { Dialect, SshFleet } from '@remex/testkit';
import { TEST_USER, startSshFleet, tempDir } from '@remex/testkit';
import { expect } from 'vitest';

import type { ApiAnswer, TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

/** Server, proxy and fleet of one test file. */
export interface FleetStack {
  t: TestServer;
  proxy: RunningProxy;
  fleet: SshFleet;
  proxyDataDir: string;
  stop(): Promise<void>;
}

/** Starts the stack with `hosts` fleet hosts registered (name, ip = loopback address); `env` goes to the server config. */
export async function startFleetStack(dialect: Dialect, hosts: number, env: Record<string, string> = {}): Promise<FleetStack> {
  const fleet = await startSshFleet({ hosts });
  const t = await startTestServer(dialect, env);
  const dir = await tempDir('remex-proxy-');
  const proxy = await startProxy(
    loadProxyConfig({
      env: {},
      overrides: { name: 'test-proxy', listenHost: '127.0.0.1', listenPort: 0, serverUrl: t.server.url, token: t.server.proxyToken, dataDir: dir.path, logLevel: 'warn' },
    }),
  );
  await fleet.authorize(proxy.publicKey);
  await t.server.registerProxy('test-proxy', proxy.url);
  for (const [name, value] of [
    ['remote_execution_connect_by_ip', 'true'],
    ['remote_execution_ssh_user', TEST_USER.name],
    ['remote_execution_effective_user', TEST_USER.name],
    ['remote_execution_ssh_port', String(fleet.port)],
  ]) {
    expect((await t.api('POST', '/api/common_parameters', { common_parameter: { name, value } })).status).toBe(201);
  }
  const imported = await t.api('POST', '/api/hosts/import', { hosts: fleet.hosts.map((h) => ({ name: h.name, ip: h.address, hostgroup: 'fleet' })) });
  expect(imported.status).toBe(200);
  return {
    t,
    proxy,
    fleet,
    proxyDataDir: dir.path,
    async stop() {
      await proxy.stop().catch(() => undefined);
      await t.stop();
      await fleet.stop();
      await dir.cleanup();
    },
  };
}

/** Polls a job until it stops; returns its last JSON. */
export async function waitForJob(t: TestServer, id: number, timeoutMs = 120_000): Promise<ApiAnswer['body']> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await t.api('GET', `/api/job_invocations/${id}?include_hosts=false`);
    if (r.status !== 200) throw new Error(`job ${id}: HTTP ${r.status} ${r.text}`);
    if (!['queued', 'running'].includes(r.body.status_label as string)) return r.body;
    if (Date.now() > until) throw new Error(`job ${id} did not finish: ${r.text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Id of the template named `name`. */
export async function templateId(t: TestServer, name: string): Promise<number> {
  const r = await t.api('GET', `/api/job_templates?search=${encodeURIComponent(`name = "${name}"`)}`);
  const id = r.body?.results?.[0]?.id as number | undefined;
  if (id === undefined) throw new Error(`template ${name} not found`);
  return id;
}
