/**
 * @module
 * Test helper: a real server + a real proxy + a real sshd fleet, wired together the way
 * `remex up` does it, with global parameters pointing at the fleet.
 */
import { loadProxyConfig, startProxy } from '@remex/proxy';
import type { RunningProxy } from '@remex/proxy';
import type { Dialect, SshFleet } from '@remex/testkit';
import { RUN_LEDGER_KEY, fleetImportHosts, fleetParameters, recordRebuild, startSshFleet, tempDir } from '@remex/testkit';
import { expect, inject } from 'vitest';

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

/** Attempts at a stack whose smoke job succeeds (see {@link startFleetStack}). */
const STACK_ATTEMPTS = 3;

/**
 * Starts the stack with `hosts` fleet hosts registered (name, ip = loopback address); `env` goes
 * to the server config. A smoke job (`true` on the first host) proves the stack works before any
 * test relies on it: on a shared, loaded machine a whole fleet was seen to fail every host (and so
 * every test of a file); such a stack is rebuilt. Each rebuild is printed and
 * recorded in the run ledger of `@remex/testkit`; the global teardown fails a run with more than one.
 */
export async function startFleetStack(dialect: Dialect, hosts: number, env: Record<string, string> = {}): Promise<FleetStack> {
  let problem = '';
  for (let attempt = 1; attempt <= STACK_ATTEMPTS; attempt++) {
    const stack = await buildFleetStack(dialect, hosts, env);
    const found = await smokeProblem(stack).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    if (found === null) return stack;
    problem = found;
    await stack.stop();
    if (attempt < STACK_ATTEMPTS) recordRebuild(inject(RUN_LEDGER_KEY), `fleet-stack (${dialect})`, `attempt ${attempt} of ${STACK_ATTEMPTS}: the smoke job failed: ${problem}`);
  }
  throw new Error(`no working fleet stack after ${STACK_ATTEMPTS} attempts: ${problem}`);
}

/** Runs `true` on the first fleet host; null when it succeeded, else what the host said. */
async function smokeProblem(s: FleetStack): Promise<string | null> {
  const host = s.fleet.hosts[0];
  if (!host) return null;
  const r = await s.t.api('POST', '/api/job_invocations', {
    job_invocation: { job_template_id: await templateId(s.t, 'Run Command - Script Default'), host_ids: [host.name], inputs: { command: 'true' }, description_format: 'fleet-stack smoke test' },
  });
  if (r.status !== 201) return `HTTP ${r.status} ${r.text}`;
  const job = await waitForJob(s.t, r.body.id as number, 60_000);
  if (job.status_label === 'succeeded') return null;
  const out = await s.t.api('GET', `/api/job_invocations/${r.body.id}/hosts/${host.name}`);
  const lines = ((out.body?.output ?? []) as Array<{ output: string }>).map((l) => l.output.trim()).join(' | ');
  return `job ${job.status_label as string}: ${lines}`;
}

async function buildFleetStack(dialect: Dialect, hosts: number, env: Record<string, string>): Promise<FleetStack> {
  const fleet = await startSshFleet({ hosts });
  const t = await startTestServer(dialect, env);
  const dir = await tempDir('remex-proxy-');
  const token = await t.server.issueProxyCredential('test-proxy');
  const proxy = await startProxy(
    loadProxyConfig({
      env: {},
      overrides: { name: 'test-proxy', listenHost: '127.0.0.1', listenPort: 0, plainHttp: true, serverUrl: t.server.url, token, dataDir: dir.path, logLevel: 'warn' },
    }),
  );
  await fleet.authorize(proxy.publicKey);
  await t.server.registerProxy('test-proxy', proxy.url);
  for (const [name, value] of fleetParameters(fleet)) {
    expect((await t.api('POST', '/api/common_parameters', { common_parameter: { name, value } })).status).toBe(201);
  }
  const imported = await t.api('POST', '/api/hosts/import', { hosts: fleetImportHosts(fleet, 'fleet') });
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
