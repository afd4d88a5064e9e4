/**
 * @module
 * The task timeline on real SSH hosts (SQLite and PostgreSQL): a host that ran shows planned,
 * claimed by this server, sent to and accepted by the proxy, started, first output and its exit,
 * in that order; a cancelled host shows the cancel asked and its end; a host that could not be
 * sent shows the error's cause.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

type Entry = { at: string; kind: string; detail: string | null };

describe.each(DIALECTS)('task timeline (%s)', (DIALECT) => {
  let s: FleetStack;
  let runCommand: number;

  beforeAll(async () => {
    s = await startFleetStack(DIALECT, 2);
    runCommand = await templateId(s.t, 'Run Command - Script Default');
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  const run = async (command: string, host = s.fleet.hosts[0]!.name) => {
    const r = await s.t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: runCommand, host_ids: [host], inputs: { command } } });
    expect(r.status, r.text).toBe(201);
    return r.body.id as number;
  };
  const taskOf = async (id: number, host = s.fleet.hosts[0]!.name) => {
    const r = await s.t.api('GET', `/api/job_invocations/${id}/hosts/${host}`);
    expect(r.status, r.text).toBe(200);
    return r.body.task as { state: string; result: string; timeline: Entry[] };
  };

  it('records each step of a host that ran, in order, with who took it', async () => {
    const id = await run('echo hello; exit 3');
    await waitForJob(s.t, id);
    const task = await taskOf(id);
    expect(task).toMatchObject({ state: 'stopped', result: 'error' });
    expect(task.timeline.map((e) => e.kind)).toEqual(['planned', 'claimed', 'sent', 'accepted', 'started', 'first_output', 'exit']);
    const by = Object.fromEntries(task.timeline.map((e) => [e.kind, e]));
    expect(by.claimed?.detail).toMatch(/^server \S+/);
    expect(by.sent?.detail).toBe('proxy test-proxy');
    expect(by.accepted?.detail).toBe('proxy test-proxy');
    expect(by.exit?.detail).toMatch(/^exit status 3, error/);
    const times = task.timeline.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('records the cancel asked and how the host ended', async () => {
    const id = await run('sleep 60');
    for (let i = 0; i < 100 && (await taskOf(id)).state !== 'running'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await s.t.api('POST', `/api/job_invocations/${id}/cancel`, {})).status).toBe(200);
    await waitForJob(s.t, id);
    const kinds = (await taskOf(id)).timeline.map((e) => e.kind);
    expect(kinds.slice(0, 5)).toEqual(['planned', 'claimed', 'sent', 'accepted', 'started']);
    expect(kinds).toContain('cancel_requested');
    expect(kinds.at(-1)).toBe('exit');
    expect((await taskOf(id)).result).toBe('cancelled');
  });

  it("records why a host could not be sent (a missing fact fails its render)", async () => {
    const imported = await s.t.api('POST', '/api/job_templates/import', {
      overwrite: true,
      template: ['<%#', 'kind: job_template', 'name: Timeline Fact Probe', 'job_category: Tests', 'provider_type: script', 'template_inputs:', '- name: kernel', '  input_type: fact', '  fact_name: no_such_fact', '  required: true', '%>', "echo <%= input('kernel') %>", ''].join('\n'),
    });
    expect(imported.status, imported.text).toBeLessThan(300);
    const r = await s.t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: imported.body.id, host_ids: [s.fleet.hosts[1]!.name] } });
    expect(r.status, r.text).toBe(201);
    await waitForJob(s.t, r.body.id as number);
    const task = await taskOf(r.body.id as number, s.fleet.hosts[1]!.name);
    expect(task.timeline.map((e) => e.kind)).toEqual(['planned', 'claimed', 'error']);
    expect(task.timeline.at(-1)?.detail).toMatch(/no_such_fact/);
  });
});
