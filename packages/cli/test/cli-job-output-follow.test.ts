/**
 * @module
 * `remex job-invocation output --follow` against a real server. A stand-in proxy accepts the
 * task; the test then delivers its events through the server's real proxy callback route, one
 * batch at a time, waiting for the CLI to print each batch before sending the next, so that two
 * line sets with the same timestamp reach the CLI separately. The CLI talks to the server through
 * a loopback pass-through that records the requests and, in one case, refuses the event stream
 * (the CLI then polls).
 */
import { writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import path from 'node:path';

import { startStandInProxy, type StandInProxy } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { captureIo } from './helpers/capture-io.ts';
import { type CliServer, startCliServer } from './helpers/cli-server.ts';
import { runOk } from './helpers/cli-suite.ts';

const HOST = 'follow1.test';
const TEMPLATE = 'Run Command - Script Default';

let s: CliServer;
let proxy: StandInProxy;
let passthrough: Server;
let passthroughUrl = '';
let refuseStream = false;
const requests: string[] = [];
const launched: number[] = [];

/** URL of a server listening on a random loopback port. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

async function close(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Waits until `cond()` holds (bounded, so a broken CLI fails the test instead of hanging it). */
async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  s = await startCliServer();
  // Stand-in proxy with its own credential: identifies itself and accepts tasks; their events come from the test.
  proxy = await startStandInProxy(s.server.url, 'stand-in', await s.server.issueProxyCredential('stand-in'), (req) => {
    if (req.method !== 'POST' || req.url !== '/tasks/launch') return undefined;
    const ids = (JSON.parse(req.body) as { tasks: { task_id: number }[] }).tasks.map((t) => t.task_id);
    launched.push(...ids);
    return { body: { accepted: ids } };
  });
  await s.server.registerProxy('stand-in', proxy.url);
  // Pass-through to the server that records request URLs and can refuse the stream.
  passthrough = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (refuseStream && req.url?.includes('/stream')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"Route not found"}}');
      return;
    }
    const up = request(`${s.server.url}${req.url ?? ''}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  passthroughUrl = await listen(passthrough);
  await writeFile(path.join(s.dir, 'hosts.yaml'), `- name: ${HOST}\n  ip: 127.0.0.1\n`);
  await runOk(s, 'host', 'import', 'hosts.yaml');
});

afterAll(async () => {
  await close(passthrough);
  await proxy?.close();
  await s?.stop();
});

/** Creates a job on {@link HOST} and waits until the stand-in proxy has its task. */
async function startJob(): Promise<{ jobId: number; taskId: number }> {
  const before = launched.length;
  const out = await runOk(s, 'job-invocation', 'create', '--job-template', TEMPLATE, '--inputs', 'command=true', '--search-query', `name = ${HOST}`, '--async');
  const m = /^Job invocation (\d+) created$/m.exec(out);
  expect(m, out).not.toBeNull();
  await until('the task to reach the proxy', () => launched.length > before);
  return { jobId: Number(m![1]), taskId: launched[before]! };
}

/** Delivers events of task `taskId` the way a proxy does. */
async function deliver(taskId: number, events: Array<{ seq: number; type: string; data: string; timestamp: number }>): Promise<void> {
  const res = await proxy.deliver(events.map((e) => ({ task_id: taskId, ...e })));
  expect(res.status, await res.clone().text()).toBe(200);
}

const EXPECTED = 'one\ntwo\nthree\nfour\nfive\nExit status: 0\n';

/**
 * Follows the host with the CLI while the task's events arrive batch by batch; `two` and `three`
 * share a timestamp and arrive in separate batches, the second only once `two` is printed.
 */
async function followWhileRunning(): Promise<{ jobId: number; code: number; stdout: string; stderr: string }> {
  const { jobId, taskId } = await startJob();
  const cli = captureIo({ ...s.env, REMEX_URL: passthroughUrl }, { cwd: s.dir });
  const following = cli.run('job-invocation', 'output', '--id', String(jobId), '--host', HOST, '--follow');
  const t = Date.now() / 1000;
  await deliver(taskId, [
    { seq: 1, type: 'started', data: '', timestamp: t },
    { seq: 2, type: 'stdout', data: 'one\n', timestamp: t + 0.001 },
  ]);
  await until('one', () => cli.stdout().includes('one\n'));
  await deliver(taskId, [{ seq: 3, type: 'stdout', data: 'two\n', timestamp: t + 0.002 }]);
  await until('two', () => cli.stdout().includes('two\n'));
  await deliver(taskId, [{ seq: 4, type: 'stdout', data: 'three\n', timestamp: t + 0.002 }]);
  await until('three', () => cli.stdout().includes('three\n'));
  await deliver(taskId, [
    { seq: 5, type: 'stderr', data: 'four\n', timestamp: t + 0.003 },
    { seq: 6, type: 'stdout', data: 'five\n', timestamp: t + 0.003 },
    { seq: 7, type: 'exit', data: '0', timestamp: t + 0.003 },
  ]);
  return { jobId, ...(await following) };
}

describe('remex job-invocation output --follow', () => {
  it('prints every line once and in order from the event stream', async () => {
    requests.length = 0;
    refuseStream = false;
    const r = await followWhileRunning();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(EXPECTED);
    const streams = requests.filter((u) => u.includes('/stream'));
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatch(new RegExp(`^/api/job_invocations/${r.jobId}/stream\\?host_id=\\d+$`));
    expect(requests.some((u) => new RegExp(`/api/job_invocations/${r.jobId}/hosts/\\d+`).test(u))).toBe(false);

    const json = JSON.parse(await runOk(s, 'job-invocation', 'output', '--id', String(r.jobId), '--host', HOST, '-o', 'json')) as { output_type: string; output: string }[];
    expect(json.map((l) => l.output).join('')).toBe(EXPECTED.replace(/\n$/, ''));
    expect(json.find((l) => l.output === 'four\n')?.output_type).toBe('stderr');
  });

  it('prints every line once and in order by polling when the stream is refused', async () => {
    requests.length = 0;
    refuseStream = true;
    const r = await followWhileRunning();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(EXPECTED);
    expect(requests.filter((u) => new RegExp(`/api/job_invocations/${r.jobId}/hosts/\\d+`).test(u)).length).toBeGreaterThan(1);
  });
});
