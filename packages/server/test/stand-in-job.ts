/**
 * @module
 * Test helper: a stand-in proxy (testkit's, holding its own credential; accepts every task)
 * registered with a test server, a running job on some hosts through it, and delivery of events for those hosts
 * through the real proxy callback route.
 */
import { EVENTS_CALLBACK_PATH } from '@remex/common';
import { signedPost } from '@remex/testkit';
import { expect } from 'vitest';

import type { StandInProxy } from './stand-in.ts';
import { registerStandIn } from './stand-in.ts';

import type { TestServer } from './test-server.ts';

/** A job whose tasks a stand-in proxy accepted. */
export interface StandInJob {
  jobId: number;
  /** Task id of a host of the job. */
  task(host: string): number;
  /** POSTs a callback body as the proxy; answers the response. */
  post(body: string): Promise<Response>;
  /** Delivers events of one host (seq numbers count up per host unless given); expects 200. */
  deliver(host: string, events: Array<{ type: string; data: string; seq?: number }>): Promise<void>;
  /** Stops the stand-in proxy. */
  close(): Promise<void>;
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Creates the hosts, the stand-in proxy and a `Run Command` job on the hosts; each host gets `started`. */
export async function startStandInJob(t: TestServer, hosts: readonly string[]): Promise<StandInJob> {
  const launched: Array<{ task_id: number; host_name: string }> = [];
  const seqs = new Map<string, number>();
  const proxy: StandInProxy = await registerStandIn(t, 'stand-in', (req) => {
    if (req.url !== '/tasks/launch') return undefined;
    const tasks = (JSON.parse(req.body) as { tasks: Array<{ task_id: number; host_name: string }> }).tasks;
    launched.push(...tasks);
    return { body: { accepted: tasks.map((x) => x.task_id) } };
  });
  for (const name of hosts) expect((await t.api('POST', '/api/hosts', { host: { name, ip: '127.0.0.1' } })).status).toBe(201);
  const templates = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
  const r = await t.api('POST', '/api/job_invocations', {
    job_invocation: { job_template_id: templates.body.results[0].id, targeting_type: 'static_query', host_ids: hosts, inputs: { command: 'true' } },
  });
  expect(r.status).toBe(201);
  await until('all tasks to reach the proxy', () => launched.length === hosts.length);
  const task = (host: string) => launched.find((l) => l.host_name === host)?.task_id ?? 0;
  const post = (body: string) => signedPost(t.server.url, proxy.token, EVENTS_CALLBACK_PATH, body);
  const deliver = async (host: string, events: Array<{ type: string; data: string; seq?: number }>) => {
    const ts = Date.now() / 1000;
    const body = JSON.stringify({
      proxy: 'stand-in',
      events: events.map((e) => {
        const seq = e.seq ?? (seqs.get(host) ?? 0) + 1;
        seqs.set(host, Math.max(seq, seqs.get(host) ?? 0));
        return { task_id: task(host), seq, timestamp: ts, type: e.type, data: e.data };
      }),
    });
    const res = await post(body);
    expect(res.status, await res.text()).toBe(200);
  };
  for (const h of hosts) await deliver(h, [{ type: 'started', data: '' }]);
  return {
    jobId: r.body.id as number,
    task,
    post,
    deliver,
    close: () => proxy.close(),
  };
}
