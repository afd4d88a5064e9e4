/**
 * @module
 * The REX manual's §4.3 "Permission delegation" end to end on real SSH hosts (ADR 0011): a user
 * whose role lets them run only "Run Command - Script Default", and only on
 * `*.staging.example.com`, targets `name ~ *`; the staging hosts run, every other host fails
 * with the missing permission's message. Removing the role between scheduling a future job and
 * its start makes its hosts fail at run time (tasks are authorized just before dispatch).
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import type { TestUser } from './authz-helpers.ts';
import { createUser, openServerStore, setRoles } from './authz-helpers.ts';
import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

const STAGING = ['web1.staging.example.com', 'web2.staging.example.com'];
const DELEGATED = 'name = "Run Command - Script Default" and host.name ~ *.staging.example.com';

describe.each(DIALECTS)('permission delegation on real hosts (%s)', (dialect) => {
  let s: FleetStack;
  let store: Store;
  let user: TestUser;
  let roleId: number;

  beforeAll(async () => {
    s = await startFleetStack(dialect, 3);
    const { t, fleet } = s;
    store = openServerStore(t);
    // Staging and production names on the fleet's real sshd addresses.
    const named = [...STAGING, 'db1.prod.example.com'];
    for (const [i, name] of named.entries()) {
      const r = await t.api('POST', '/api/hosts', { host: { name, ip: fleet.hosts[i]!.address } });
      expect(r.status, r.text).toBe(201);
    }
    const clone = await t.api('POST', `/api/roles/${encodeURIComponent('Remote Execution User')}/clone`, { role: { name: 'Staging runner' } });
    expect(clone.status, clone.text).toBe(201);
    roleId = clone.body.id as number;
    const detail = await t.api('GET', `/api/roles/${roleId}`);
    const filter = (detail.body.filters as { id: number; resource_type: string }[]).find((f) => f.resource_type === 'TemplateInvocation')!;
    const narrowed = await t.api('PUT', `/api/filters/${filter.id}`, { filter: { search: DELEGATED } });
    expect(narrowed.status, narrowed.text).toBe(200);
    user = await createUser(t, store, 'delegate', ['Staging runner']);
  }, 300_000);
  afterAll(async () => {
    await store?.destroy();
    await s?.stop();
  });

  /** Output lines of `host` in job `id` (as admin). */
  async function output(id: number, host: string): Promise<string> {
    const r = await s.t.api('GET', `/api/job_invocations/${id}/hosts/${host}`);
    return ((r.body.output ?? []) as { output: string }[]).map((l) => l.output).join('');
  }

  it('runs only on the hosts the filter allows; the others fail naming the permission', async () => {
    const { t, fleet } = s;
    const job = await user.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), search_query: 'name ~ *', inputs: { command: 'echo delegated' } },
    });
    expect(job.status, job.text).toBe(201);
    const all = (await t.api('GET', '/api/hosts?per_page=all')).body.results as { name: string }[];
    expect(job.body.total_hosts ?? job.body.succeeded + job.body.failed + job.body.pending).toBe(all.length);
    const done = await waitForJob(t, job.body.id as number);
    expect(done).toMatchObject({ succeeded: STAGING.length, failed: all.length - STAGING.length });
    for (const host of STAGING) expect(await output(job.body.id as number, host)).toContain('delegated');
    for (const host of ['db1.prod.example.com', ...fleet.hosts.map((h) => h.name)]) {
      const text = await output(job.body.id as number, host);
      expect(text).toContain('Missing one of the required permissions: create_template_invocations');
      expect(text).not.toContain('delegated');
    }
    // Another template is not delegated at all.
    const other = await user.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Service Action - Script Default'), search_query: 'name ~ *.staging.example.com', inputs: { action: 'status', service: 'sshd' } },
    });
    if (other.status === 201) {
      const stopped = await waitForJob(t, other.body.id as number);
      expect(stopped).toMatchObject({ succeeded: 0, failed: STAGING.length });
    } else {
      expect(other.status, other.text).toBe(422);
    }
  }, 300_000);

  it('fails the hosts of a future job at run time when the role is removed before it starts', async () => {
    const { t } = s;
    const startAt = new Date(Date.now() + 5000).toISOString();
    const job = await user.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), search_query: 'name ~ *.staging.example.com', inputs: { command: 'echo too-late' }, scheduling: { start_at: startAt } },
    });
    expect(job.status, job.text).toBe(201);
    await setRoles(store, user.id, []);
    const done = await waitForJob(t, job.body.id as number);
    expect(done).toMatchObject({ succeeded: 0, failed: STAGING.length });
    for (const host of STAGING) {
      const text = await output(job.body.id as number, host);
      expect(text).toContain('Missing one of the required permissions');
      expect(text).not.toContain('too-late');
    }
    await setRoles(store, user.id, ['Staging runner']);
  }, 300_000);
});
