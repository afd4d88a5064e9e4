/**
 * @module
 * `remote_execution_transport` end to end on the real fleet: the host parameter (and the
 * setting) choose the OpenSSH transport on the proxy (seen as its ControlMaster process), the
 * other host keeps the proxy's own transport, and an unknown value is a 422 naming the parameter
 * or the setting. `remote_execution_async_ssh` the same way: the host whose parameter says so runs
 * its script detached (its parent is the async wrapper), the other one attached.
 */
import { readdirSync, readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

/** Background OpenSSH masters of the proxy (`ssh: <data dir>/openssh/<name> [mux]`). */
function masters(dataDir: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.startsWith(`ssh: ${dataDir}/openssh/`) && cmdline.includes('[mux]')) out.push(cmdline);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

describe('remote_execution_transport', () => {
  let s: FleetStack;

  beforeAll(async () => {
    s = await startFleetStack('sqlite', 2);
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  const runOn = async (hosts: string[]) => {
    const r = await s.t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(s.t, 'Run Command - Script Default'), host_ids: hosts, inputs: { command: 'echo via-$((20+22))' } },
    });
    expect(r.status, r.text).toBe(201);
    const job = await waitForJob(s.t, r.body.id as number);
    expect(job.status_label).toBe('succeeded');
  };

  it('refuses an unknown transport, naming the parameter or the setting', async () => {
    const host = s.fleet.hosts[0]!.name;
    const param = await s.t.api('POST', `/api/hosts/${host}/parameters`, { parameter: { name: 'remote_execution_transport', value: 'telnet' } });
    expect(param.status).toBe(422);
    expect(param.body.error.message).toContain('remote_execution_transport');
    expect(param.body.error.message).toContain('ssh2, openssh');
    const common = await s.t.api('POST', '/api/common_parameters', { common_parameter: { name: 'remote_execution_transport', value: 'rsh' } });
    expect(common.status).toBe(422);
    const created = await s.t.api('POST', '/api/hosts', { host: { name: 'bad-transport.example.com', host_parameters_attributes: [{ name: 'remote_execution_transport', value: 'x' }] } });
    expect(created.status).toBe(422);
    expect((await s.t.api('GET', '/api/hosts/bad-transport.example.com')).status).toBe(404);
    const setting = await s.t.api('PUT', '/api/settings/remote_execution_transport', { setting: { value: 'telnet' } });
    expect(setting.status).toBe(422);
    expect(setting.body.error.message).toContain('setting remote_execution_transport ');
  });

  it('runs a host over OpenSSH when its parameter says so, the others over the proxy default; the setting switches all', async () => {
    const [one, two] = s.fleet.hosts.map((h) => h.name) as [string, string];
    expect(masters(s.proxyDataDir)).toEqual([]);
    const param = await s.t.api('POST', `/api/hosts/${one}/parameters`, { parameter: { name: 'remote_execution_transport', value: 'openssh' } });
    expect(param.status, param.text).toBe(201);
    await runOn([one, two]);
    // One master: host one went over OpenSSH, host two over ssh2 (the proxy's default).
    expect(masters(s.proxyDataDir)).toHaveLength(1);

    const setting = await s.t.api('PUT', '/api/settings/remote_execution_transport', { setting: { value: 'openssh' } });
    expect(setting.status, setting.text).toBe(200);
    await runOn([one, two]);
    expect(masters(s.proxyDataDir)).toHaveLength(2);
    // Back to each proxy's own choice.
    expect((await s.t.api('PUT', '/api/settings/remote_execution_transport', { setting: { value: '' } })).status).toBe(200);
  });

  it('runs a host detached (async SSH) when its remote_execution_async_ssh says so', async () => {
    const [one, two] = s.fleet.hosts.map((h) => h.name) as [string, string];
    const bad = await s.t.api('POST', `/api/hosts/${one}/parameters`, { parameter: { name: 'remote_execution_async_ssh', value: 'maybe' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('remote_execution_async_ssh');
    const param = await s.t.api('POST', `/api/hosts/${one}/parameters`, { parameter: { name: 'remote_execution_async_ssh', value: 'true' } });
    expect(param.status, param.text).toBe(201);
    const r = await s.t.api('POST', '/api/job_invocations', {
      job_invocation: {
        job_template_id: await templateId(s.t, 'Run Command - Script Default'),
        host_ids: [one, two],
        // The async wrapper records the script's status in rc.new (an attached run embeds this script, whose pattern is not that text).
        inputs: { command: 'tr "\\0" " " < /proc/$PPID/cmdline | grep -c "rc[.]new" || true' },
      },
    });
    expect(r.status, r.text).toBe(201);
    const job = await waitForJob(s.t, r.body.id as number);
    expect(job.status_label).toBe('succeeded');
    const output = async (host: string) =>
      ((await s.t.api('GET', `/api/job_invocations/${r.body.id as number}/hosts/${host}`)).body.output as Array<{ output: string; output_type: string }>)
        .filter((l) => l.output_type === 'stdout')
        .map((l) => l.output)
        .join('');
    expect(await output(one)).toMatch(/^1\n/);
    expect(await output(two)).toMatch(/^0\n/);
  });
});
