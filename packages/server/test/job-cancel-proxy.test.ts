/**
 * @module
 * Cancel against a stand-in proxy on both dialects, for what a real proxy does not do on demand:
 * a proxy that cannot cancel (first cancel answers `cancelled: false`, a second one enforces the
 * cancel on the server: "Cancel enforced"), and a cancel that arrives while the task is still on
 * its way to the proxy (the dispatcher passes it on once the launch is through). Events come in
 * through the real proxy callback route.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerStandIn, type StandInProxy } from './stand-in.ts';
import { startTestServer, type TestServer } from './test-server.ts';

async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe.each(DIALECTS)('cancel through a stand-in proxy on %s', (dialect) => {
  let t: TestServer;
  let proxy: StandInProxy;
  let templateId = 0;
  const launched: Array<{ task_id: number; host_name: string }> = [];
  const cancels: number[] = [];
  let cancelStatus = 200;
  /** While set, `/tasks/launch` waits for it before answering. */
  let launchGate: Promise<void> | null = null;

  const deliver = async (taskId: number, events: Array<{ seq: number; type: string; data: string }>) => {
    const res = await proxy.deliver(events.map((e) => ({ task_id: taskId, ...e })));
    expect(res.status).toBe(200);
  };
  const run = async (host: string): Promise<number> => {
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, targeting_type: 'static_query', host_ids: [host], inputs: { command: 'sleep 100' } } });
    expect(r.status, r.text).toBe(201);
    return r.body.id as number;
  };
  const hostOf = async (id: number) => (await t.api('GET', `/api/job_invocations/${id}/hosts`)).body.results[0] as { job_status: string; message: string | null };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    proxy = await registerStandIn(t, 'stand-in', async (req) => {
      const cancel = /^\/tasks\/(\d+)\/cancel$/.exec(req.url);
      if (req.url === '/tasks/launch') {
        const tasks = (JSON.parse(req.body) as { tasks: Array<{ task_id: number; host_name: string }> }).tasks;
        if (launchGate) await launchGate;
        launched.push(...tasks);
        return { body: { accepted: tasks.map((x) => x.task_id) } };
      }
      if (cancel) {
        cancels.push(Number(cancel[1]));
        return { status: cancelStatus, body: { cancelled: launched.some((l) => l.task_id === Number(cancel[1])) } };
      }
      return undefined;
    });
    for (const name of ['a.cancel.test', 'b.cancel.test']) {
      expect((await t.api('POST', '/api/hosts', { host: { name, ip: '127.0.0.1' } })).status).toBe(201);
    }
    const templates = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    templateId = templates.body.results[0].id as number;
  });

  afterAll(async () => {
    await proxy?.close();
    await t?.stop();
  });

  it('reports a cancel the proxy did not take, then enforces it on a second cancel', async () => {
    const id = await run('a.cancel.test');
    await until('the task to reach the proxy', () => launched.some((l) => l.host_name === 'a.cancel.test'));
    const taskId = launched.find((l) => l.host_name === 'a.cancel.test')!.task_id;
    await deliver(taskId, [{ seq: 1, type: 'started', data: '' }]);
    expect((await hostOf(id)).job_status).toBe('running');

    cancelStatus = 500;
    const first = await t.api('POST', `/api/job_invocations/${id}/cancel`, {});
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ cancelled: false, id, stopped: 0, requested: 0, unreachable: 1 });
    expect(cancels).toContain(taskId);
    expect((await t.api('GET', `/api/job_invocations/${id}`)).body.status_label).toBe('running');

    const second = await t.api('POST', `/api/job_invocations/${id}/cancel`, {});
    expect(second.body).toMatchObject({ cancelled: true, id, stopped: 1 });
    expect(await hostOf(id)).toMatchObject({ job_status: 'cancelled', message: 'Cancel enforced: the task might be still running on the proxy' });
    expect((await t.api('GET', `/api/job_invocations/${id}`)).body).toMatchObject({ status_label: 'cancelled', cancelled: 1, total: 1 });
    // A late exit from the proxy changes nothing.
    await deliver(taskId, [{ seq: 2, type: 'exit', data: '0' }]);
    expect((await hostOf(id)).job_status).toBe('cancelled');
    cancelStatus = 200;
  });

  it('passes on a cancel that came while the task was on its way to the proxy', async () => {
    let open = (): void => undefined;
    launchGate = new Promise<void>((resolve) => (open = resolve));
    const id = await run('b.cancel.test');
    // The dispatcher has claimed the task (planned) and is waiting for the proxy's answer.
    await until('the task to be planned', async () => (await hostOf(id)).job_status === 'planned');
    const before = cancels.length;
    const cancel = await t.api('POST', `/api/job_invocations/${id}/cancel`, {});
    expect(cancel.body).toMatchObject({ cancelled: true, requested: 1 });
    launchGate = null;
    open();
    await until('the launch to go through', () => launched.some((l) => l.host_name === 'b.cancel.test'));
    const taskId = launched.find((l) => l.host_name === 'b.cancel.test')!.task_id;
    // Asked once by the cancel (too early for the proxy), once more by the dispatcher after the launch.
    await until('the cancel to be passed on', () => cancels.slice(before).filter((c) => c === taskId).length >= 2);
    await deliver(taskId, [
      { seq: 1, type: 'started', data: '' },
      { seq: 2, type: 'debug', data: 'The task was cancelled before it started' },
      { seq: 3, type: 'exit', data: 'EXCEPTION' },
    ]);
    expect(await hostOf(id)).toMatchObject({ job_status: 'cancelled', message: 'Task cancelled' });
    await until('the job to stop', async () => (await t.api('GET', `/api/job_invocations/${id}`)).body.status_label === 'cancelled');
  });
});
