/**
 * @module
 * Measures the server's RSS with many SSE clients that never read a job with a lot of output
 * (`npx tsx packages/server/test/measure-sse-rss.ts [clients] [MiB]`, defaults 50 and 50).
 * The server runs in a child process on a temporary SQLite database; a stand-in proxy in this
 * process accepts the job's tasks and the output goes in through the real callback route
 * (5 hosts, so no host is over the 10 MiB output cap). Scenarios: (1) clients connect to the
 * finished job (replay of stored output), (2) clients connect to a running job, then the output
 * arrives live. Prints RSS (VmRSS of the child) at each step. Loopback only.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { EVENTS_CALLBACK_PATH } from '@remex/common';
import { signedPost, startStandInProxy } from '@remex/testkit';

import { loadServerConfig } from '../src/config/server-config.ts';
import { startServer } from '../src/server.ts';

const PASSWORD = 'measure-pw';
const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function child(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remex-rss-'));
  const config = loadServerConfig({ REMEX_DATA_DIR: dir, REMEX_PORT: '0', REMEX_ADMIN_PASSWORD: PASSWORD, REMEX_LOG_LEVEL: 'warn' });
  const server = await startServer(config);
  process.stdout.write(`${JSON.stringify({ url: server.url, token: await server.issueProxyCredential('stand-in') })}\n`);
  setInterval(() => process.stdout.write(`${JSON.stringify({ subscriptions: server.subscriptions() })}\n`), 500);
  process.on('SIGTERM', () => {
    void server.stop().finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

async function main(): Promise<void> {
  const clients = Number(process.argv[2] ?? 50);
  const mib = Number(process.argv[3] ?? 50);
  const proc = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? '', 'child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let subscriptions = -1;
  const first = await new Promise<{ url: string; token: string }>((resolve) => {
    let buf = '';
    proc.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      for (;;) {
        const nl = buf.indexOf('\n');
        if (nl < 0) break;
        const msg = JSON.parse(buf.slice(0, nl)) as { url?: string; token?: string; subscriptions?: number };
        buf = buf.slice(nl + 1);
        if (msg.url !== undefined) resolve({ url: msg.url, token: msg.token ?? '' });
        if (msg.subscriptions !== undefined) subscriptions = msg.subscriptions;
      }
    });
  });
  const pid = proc.pid ?? 0;
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${first.url}${p}`, { method, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await res.json());
  };
  const launched: Array<{ task_id: number; host_name: string }> = [];
  const proxy = await startStandInProxy(first.url, 'stand-in', first.token, (req) => {
    if (req.url !== '/tasks/launch') return undefined;
    const tasks = (JSON.parse(req.body) as { tasks: Array<{ task_id: number; host_name: string }> }).tasks;
    launched.push(...tasks);
    return { body: { accepted: tasks.map((x) => x.task_id) } };
  });
  await api('POST', '/api/smart_proxies', { smart_proxy: { name: 'stand-in', url: proxy.url } });
  const hosts = Array.from({ length: 5 }, (_, i) => `h${i}.rss.test`);
  for (const name of hosts) await api('POST', '/api/hosts', { host: { name, ip: '127.0.0.1' } });
  const tpl = await api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
  const seqs = new Map<number, number>();
  const deliver = async (task: number, events: Array<{ type: string; data: string }>) => {
    const ts = Date.now() / 1000;
    const body = JSON.stringify({ proxy: 'stand-in', events: events.map((e) => { const seq = (seqs.get(task) ?? 0) + 1; seqs.set(task, seq); return { task_id: task, seq, timestamp: ts, ...e }; }) });
    const res = await signedPost(first.url, first.token, EVENTS_CALLBACK_PATH, body);
    if (res.status !== 200) throw new Error(`callback ${res.status}: ${await res.text()}`);
  };
  const newJob = async (): Promise<{ id: number; tasks: number[] }> => {
    const before = launched.length;
    const job = await api('POST', '/api/job_invocations', { job_invocation: { job_template_id: tpl.results[0].id, targeting_type: 'static_query', host_ids: hosts, inputs: { command: 'true' } } });
    for (let i = 0; i < 500 && launched.length < before + hosts.length; i++) await sleep(20);
    const tasks = launched.slice(before).map((l) => l.task_id);
    for (const t of tasks) await deliver(t, [{ type: 'started', data: '' }]);
    return { id: job.id as number, tasks };
  };
  const line = `${'x'.repeat(4095)}\n`;
  const fill = async (tasks: number[]) => {
    for (let i = 0; i < mib * 4; i++) await deliver(tasks[i % tasks.length] ?? 0, Array.from({ length: 64 }, () => ({ type: 'stdout', data: line })));
  };
  const open = async (jobId: number): Promise<Socket[]> => {
    // Warm the server's credential cache (scrypt runs once, not 50 times at once).
    await api('GET', `/api/job_invocations/${jobId}?include_hosts=false`);
    const port = Number(new URL(first.url).port);
    return Array.from({ length: clients }, () => {
      const s = connect(port, '127.0.0.1');
      s.pause();
      s.on('error', () => undefined);
      s.write(`GET /api/job_invocations/${jobId}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\n\r\n`);
      return s;
    });
  };
  const peak = { v: 0 };
  const sampler = setInterval(() => (peak.v = Math.max(peak.v, rssMb(pid))), 100);
  const log = (what: string) => console.log(`${what}: RSS ${rssMb(pid)} MB (peak so far ${peak.v} MB), subscriptions ${subscriptions}`);

  log('server started');
  // Scenario 1: a finished job with the output stored, then non-reading clients (replay).
  const done = await newJob();
  await fill(done.tasks);
  for (const t of done.tasks) await deliver(t, [{ type: 'exit', data: '0' }]);
  await sleep(2000);
  peak.v = rssMb(pid);
  log(`scenario 1: ${mib} MiB stored, job finished (baseline)`);
  const replaying = await open(done.id);
  await sleep(10_000);
  log(`scenario 1: ${clients} non-reading clients connected 10 s`);
  // Scenario 2: clients connected to a running job, output arrives live.
  const live = await newJob();
  const liveClients = await open(live.id);
  await sleep(3000);
  log(`scenario 2: ${clients} more non-reading clients on a running job`);
  await fill(live.tasks);
  await sleep(2000);
  log(`scenario 2: after ${mib} MiB of live output`);
  console.log(`scenario 1 clients are dropped after the 30 s stall timeout; waiting…`);
  await sleep(32_000);
  log('after the stall timeout');
  for (const s of [...replaying, ...liveClients]) s.destroy();
  await sleep(3000);
  log('after the clients closed');
  clearInterval(sampler);
  proc.kill('SIGTERM');
  await proxy.close();
}

if (process.argv[2] === 'child') await child();
else await main();
