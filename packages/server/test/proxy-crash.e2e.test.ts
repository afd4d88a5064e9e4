import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { SshFleet, TempDir } from '@remex/testkit';
import { fleetImportHosts, fleetParameters, freePort, startSshFleet, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { templateId, waitForJob } from './fleet-stack.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** The proxy as its own OS process, so the test can kill -9 it. */
function spawnProxy(configFile: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'packages/proxy/src/main.ts'), '--config', configFile], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('kill -9 of the proxy in the middle of a job', () => {
  let t: TestServer;
  let fleet: SshFleet;
  let dir: TempDir;
  let child: ChildProcess | null = null;
  let proxyUrl = '';
  let configFile = '';

  const startChild = async () => {
    child = spawnProxy(configFile);
    return waitUntil('proxy to listen', async () => ((await fetch(`${proxyUrl}/features`)).ok ? true : null));
  };

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 10 });
    t = await startTestServer('sqlite');
    dir = await tempDir('remex-crash-');
    const port = await freePort();
    proxyUrl = `http://127.0.0.1:${port}`;
    configFile = path.join(dir.path, 'proxy.yml');
    await writeFile(
      configFile,
      [`name: crashy`, `listen: 127.0.0.1:${port}`, 'plain_http: true', `server_url: ${t.server.url}`, `token: ${await t.server.issueProxyCredential('crashy')}`, `data_dir: ${path.join(dir.path, 'data')}`, `log_level: warn`, ''].join('\n'),
    );
    await startChild();
    await fleet.authorize(await (await fetch(`${proxyUrl}/ssh/pubkey`)).text());
    await t.server.registerProxy('crashy', proxyUrl);
    for (const [name, value] of fleetParameters(fleet)) {
      await t.api('POST', '/api/common_parameters', { common_parameter: { name, value } });
    }
    await t.api('POST', '/api/hosts/import', { hosts: fleetImportHosts(fleet) });
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await t?.stop();
    await fleet?.stop();
    await dir?.cleanup();
  });

  it('loses and doubles no line, and ends the cut tasks in error saying why', async () => {
    const job = await t.api('POST', '/api/job_invocations', {
      job_invocation: {
        job_template_id: await templateId(t, 'Run Command - Script Default'),
        targeting_type: 'static_query',
        host_ids: fleet.hosts.map((h) => h.name),
        inputs: { command: 'i=1; while [ $i -le 60 ]; do echo "line $i"; i=$((i+1)); sleep 0.05; done' },
      },
    });
    expect(job.status).toBe(201);
    const id = job.body.id as number;
    const first = fleet.hosts[0]!.name;
    await waitUntil('output in flight', async () => {
      const out = await t.api('GET', `/api/job_invocations/${id}/hosts/${first}`);
      return (out.body.output as unknown[]).length >= 3 ? true : null;
    });
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    await startChild();

    const done = await waitForJob(t, id);
    expect(done).toMatchObject({ status_label: 'failed', total: 10, failed: 10 });
    const hosts = await t.api('GET', `/api/job_invocations/${id}/hosts?per_page=50`);
    for (const h of hosts.body.results as Array<{ name: string; job_status: string; message: string }>) {
      expect(h.job_status).toBe('error');
      expect(h.message).toMatch(/proxy restarted while this task was running/i);
      const out = await t.api('GET', `/api/job_invocations/${id}/hosts/${h.name}`);
      const lines = out.body.output as Array<{ output_type: string; output: string }>;
      const text = lines.filter((l) => l.output_type === 'stdout' && !l.output.startsWith('Exit status')).map((l) => l.output).join('');
      const got = text.split('\n').filter((l) => l !== '');
      // Contiguous from line 1, each exactly once: nothing lost in the middle, nothing doubled.
      expect(got).toEqual(got.map((_, i) => `line ${i + 1}`));
      expect(lines.at(-1)?.output).toBe('Exit status: EXCEPTION');
    }
    const firstOut = await t.api('GET', `/api/job_invocations/${id}/hosts/${first}`);
    expect((firstOut.body.output as unknown[]).length).toBeGreaterThanOrEqual(3);
  });
});
