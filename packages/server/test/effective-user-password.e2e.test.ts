/**
 * @module
 * `ssh[effective_user_password]` end to end on the real fleet: the job's password is answered to
 * `sudo` on the host (the SSH user remex-other may run commands as remex-test only with its own
 * password), a wrong one fails the host with sudo's message and nothing hangs, a rerun keeps it,
 * and the password is stored sealed and never appears in an answer, an audit or a stored row.
 */
import { OTHER_USER, startSshFleet, TEST_USER } from '@remex/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../src/db/database.ts';
import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

describe('effective user password (sudo) on real hosts', () => {
  let s: FleetStack;
  let host: string;

  beforeAll(async () => {
    s = await startFleetStack('sqlite', 2);
    host = s.fleet.hosts[1]!.name;
    // This host is reached as remex-other (by password); its scripts run as remex-test through sudo.
    for (const [name, value] of [
      ['remote_execution_ssh_user', OTHER_USER.name],
      ['remote_execution_ssh_password', OTHER_USER.password],
    ]) {
      expect((await s.t.api('POST', `/api/hosts/${host}/parameters`, { parameter: { name, value } })).status).toBe(201);
    }
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  const run = async (password: string) => {
    const r = await s.t.api('POST', '/api/job_invocations', {
      job_invocation: {
        job_template_id: await templateId(s.t, 'Run Command - Script Default'),
        host_ids: [host],
        inputs: { command: 'id -un' },
        ssh: { effective_user: TEST_USER.name, effective_user_password: password },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.text).not.toContain(password);
    return r.body.id as number;
  };
  const output = async (id: number) =>
    ((await s.t.api('GET', `/api/job_invocations/${id}/hosts/${host}`)).body.output as Array<{ output: string }>).map((l) => l.output).join('');

  it('answers sudo with the job password; a wrong one fails the host with sudo\'s message; a rerun keeps it', async () => {
    const good = await run(OTHER_USER.password);
    expect((await waitForJob(s.t, good)).status_label).toBe('succeeded');
    expect(await output(good)).toContain(`${TEST_USER.name}\n`);

    const bad = await run('Not-The-Passw0rd');
    expect((await waitForJob(s.t, bad)).status_label).toBe('failed');
    expect(await output(bad)).toMatch(/incorrect password/);

    const rerun = await s.t.api('POST', `/api/job_invocations/${good}/rerun`, {});
    expect(rerun.status, rerun.text).toBe(201);
    expect((await waitForJob(s.t, rerun.body.id as number)).status_label).toBe('succeeded');
  });

  it('answers su on a terminal when the host says su (remote_execution_effective_user_method); a wrong password fails with su\'s message', async () => {
    const other = s.fleet.hosts[0]!.name;
    for (const [name, value] of [
      ['remote_execution_ssh_user', OTHER_USER.name],
      ['remote_execution_ssh_password', OTHER_USER.password],
      ['remote_execution_effective_user_method', 'su'],
    ]) {
      expect((await s.t.api('POST', `/api/hosts/${other}/parameters`, { parameter: { name, value } })).status).toBe(201);
    }
    const job = async (password: string) => {
      const r = await s.t.api('POST', '/api/job_invocations', {
        job_invocation: {
          job_template_id: await templateId(s.t, 'Run Command - Script Default'),
          host_ids: [other],
          inputs: { command: 'id -un' },
          ssh: { effective_user: TEST_USER.name, effective_user_password: password },
        },
      });
      expect(r.status, r.text).toBe(201);
      const id = r.body.id as number;
      const ended = await waitForJob(s.t, id);
      const out = ((await s.t.api('GET', `/api/job_invocations/${id}/hosts/${other}`)).body.output as Array<{ output: string }>).map((l) => l.output).join('');
      expect(out).not.toContain(password);
      return { status: ended.status_label as string, out };
    };
    const good = await job(TEST_USER.password);
    expect(good.status, good.out).toBe('succeeded');
    expect(good.out).toContain(`${TEST_USER.name}\n`);
    const bad = await job('Not-The-Su-Passw0rd');
    expect(bad.status).toBe('failed');
    expect(bad.out).toMatch(/su did not accept the effective user password for remex-test: su: Authentication failure/);
  });

  it("logs in with the job's own SSH password (`password`), which wins over the host's parameter; a wrong or missing one fails the host", async () => {
    // An sshd that authorizes no key: only a password logs in there.
    const passwordOnly = await startSshFleet({ hosts: 1, authorizedKeys: [], namePrefix: 'pwonly' });
    try {
      const target = passwordOnly.hosts[0]!;
      const created = await s.t.api('POST', '/api/hosts', {
        host: { name: target.name, ip: target.address, host_parameters_attributes: [{ name: 'remote_execution_ssh_port', value: String(passwordOnly.port) }] },
      });
      expect(created.status, created.text).toBe(201);
      const job = async (password: string | undefined) => {
        const r = await s.t.api('POST', '/api/job_invocations', {
          job_invocation: {
            job_template_id: await templateId(s.t, 'Run Command - Script Default'),
            host_ids: [target.name],
            inputs: { command: 'id -un' },
            ssh_user: OTHER_USER.name,
            ssh: { effective_user: OTHER_USER.name },
            ...(password === undefined ? {} : { password }),
          },
        });
        expect(r.status, r.text).toBe(201);
        if (password !== undefined) expect(r.text).not.toContain(password);
        const id = r.body.id as number;
        const ended = await waitForJob(s.t, id);
        const out = ((await s.t.api('GET', `/api/job_invocations/${id}/hosts/${target.name}`)).body.output as Array<{ output: string }>).map((l) => l.output).join('');
        return { status: ended.status_label as string, out };
      };
      const good = await job(OTHER_USER.password);
      expect(good.status, good.out).toBe('succeeded');
      expect(good.out).toContain(`${OTHER_USER.name}\n`);
      expect((await job(undefined)).status).toBe('failed');
      // With the right password as the host's parameter, the job's wrong one is the one used.
      const param = await s.t.api('POST', `/api/hosts/${target.name}/parameters`, { parameter: { name: 'remote_execution_ssh_password', value: OTHER_USER.password } });
      expect(param.status, param.text).toBe(201);
      expect((await job(undefined)).status).toBe('succeeded');
      expect((await job('Wrong-SSH-Passw0rd')).status).toBe('failed');
    } finally {
      await passwordOnly.stop();
    }
  });

  it('never shows or stores the password in clear (answers, audits, rows)', async () => {
    const answers = [await s.t.api('GET', '/api/job_invocations?per_page=100'), await s.t.api('GET', '/api/audits?per_page=1000')];
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.text).not.toContain(OTHER_USER.password);
      expect(a.text).not.toContain('Not-The-Passw0rd');
      expect(a.text).not.toContain('Not-The-Su-Passw0rd');
      expect(a.text).not.toContain(TEST_USER.password);
      expect(a.text).not.toContain('Wrong-SSH-Passw0rd');
    }
    const store = openStore(s.t.database.url);
    try {
      const rows = await sql<Record<string, unknown>>`SELECT * FROM job_invocations`.execute(store.db);
      const audits = await sql<Record<string, unknown>>`SELECT * FROM audits`.execute(store.db);
      const raw = JSON.stringify([rows.rows, audits.rows]);
      expect(raw).not.toContain(OTHER_USER.password);
      expect(raw).not.toContain('Not-The-Passw0rd');
      expect(raw).not.toContain('Wrong-SSH-Passw0rd');
      // The two jobs with an SSH password of their own hold it sealed.
      const sshSealed = rows.rows.map((r) => r.ssh_password).filter((v) => v !== null);
      expect(sshSealed).toHaveLength(2);
      for (const v of sshSealed) expect(v).toMatch(/^enc:v1:/);
      expect(raw).not.toContain('Not-The-Su-Passw0rd');
      expect(raw).not.toContain(TEST_USER.password);
      // The five jobs with a password (sudo good, bad, rerun; su good, bad) hold it sealed; the others hold none.
      const sealed = rows.rows.map((r) => r.effective_user_password).filter((v) => v !== null);
      expect(sealed).toHaveLength(5);
      for (const v of sealed) expect(v).toMatch(/^enc:v1:/);
    } finally {
      await store.destroy();
    }
  });
});
