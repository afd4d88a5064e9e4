/**
 * @module
 * Key distribution: every host gets the injected parameter `remote_execution_ssh_keys` (keys set
 * on it, its groups or globally, then every proxy's key), and the shipped job "Distribute SSH keys
 * - Script Default" (snippet `remote_execution_ssh_keys`) installs them into the SSH user's
 * authorized_keys on a real host reached by password, once only however often it runs.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

import { OTHER_USER } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

const EXTRA_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExtraKeyForTheDistributionTest0000000000 extra@test';
const FILE = `${OTHER_USER.home}/.ssh/authorized_keys`;

describe('SSH key distribution', () => {
  let s: FleetStack;
  let host: string;
  let before: string | null;

  beforeAll(async () => {
    before = existsSync(FILE) ? readFileSync(FILE, 'utf8') : null;
    s = await startFleetStack('sqlite', 2);
    host = s.fleet.hosts[1]!.name;
    for (const [name, value] of [
      ['remote_execution_ssh_user', OTHER_USER.name],
      ['remote_execution_ssh_password', OTHER_USER.password],
      ['remote_execution_effective_user', OTHER_USER.name],
      ['remote_execution_ssh_keys', EXTRA_KEY],
    ]) {
      expect((await s.t.api('POST', `/api/hosts/${host}/parameters`, { parameter: { name, value } })).status).toBe(201);
    }
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
    // The real account's file goes back to what it was.
    if (before === null) rmSync(FILE, { force: true });
    else writeFileSync(FILE, before);
  });

  it('injects remote_execution_ssh_keys: the host\'s own keys, then every proxy\'s', async () => {
    const shown = await s.t.api('GET', `/api/hosts/${host}`);
    const param = (shown.body.all_parameters as { name: string; value: string }[]).find((p) => p.name === 'remote_execution_ssh_keys');
    expect(param?.value.split('\n')).toEqual([EXTRA_KEY, s.proxy.publicKey.trim()]);
  });

  it('installs the keys for the SSH user with the shipped job, once however often it runs', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await s.t.api('POST', '/api/job_invocations', {
        job_invocation: { job_template_id: await templateId(s.t, 'Distribute SSH keys - Script Default'), host_ids: [host] },
      });
      expect(r.status, r.text).toBe(201);
      const job = await waitForJob(s.t, r.body.id as number);
      const out = await s.t.api('GET', `/api/job_invocations/${r.body.id}/hosts/${host}`);
      const text = (out.body.output as { output: string }[]).map((l) => l.output).join('');
      expect(job.status_label, text).toBe('succeeded');
      expect(text).toContain(`2 key(s) in ${OTHER_USER.home}/.ssh/authorized_keys`);
    }
    const lines = readFileSync(FILE, 'utf8').split('\n');
    expect(lines.filter((l) => l === EXTRA_KEY)).toHaveLength(1);
    expect(lines.filter((l) => l === s.proxy.publicKey.trim())).toHaveLength(1);
  });
});
