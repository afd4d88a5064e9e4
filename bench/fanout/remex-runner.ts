/**
 * @module
 * The Remex full stack as a fan-out runner: a real server and a real proxy, each in its own child
 * process (`stack-main.ts`), wired the way `packages/server/test/fleet-stack.ts` wires them.
 * A round creates a Run Command job over the whole fleet (`POST /api/job_invocations`) and follows
 * its SSE stream to `event: done`; a host's latency is the arrival of its final `host` event,
 * counted from just before the POST.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { fleetParameters, tempDir, type TempDir } from '@remex/testkit';
import Database from 'better-sqlite3';

import { MEMORY_NODE_FLAGS, memoryEnv } from '../../packages/cli/src/commands/run/up/memory-flags.ts';
import { type BenchChild, forkChild } from '../lib/child.ts';
import { forget, removeOnExit } from '../lib/exit-cleanup.ts';
import { totalCpuMs } from '../lib/proc-stat.ts';
import { percentile } from '../lib/stats.ts';
import type { FanoutContext, FanoutRunner, RoundMeasure } from './fanout-types.ts';
import { BENCH_ADMIN_PASSWORD, type BenchProxySettings, type StackStats } from './stack-protocol.ts';

const STACK_MAIN = fileURLToPath(new URL('./stack-main.ts', import.meta.url));
/** The stack children start as `remex up` starts its children: with the memory settings of ADR 0027. */
const STACK_ENV = memoryEnv(process.env);
const START_TIMEOUT_MS = 60_000;
const AUTH = `Basic ${Buffer.from(`admin:${BENCH_ADMIN_PASSWORD}`).toString('base64')}`;

interface ApiAnswer {
  status: number;
  body: unknown;
  text: string;
}

/** Options of {@link RemexRunner}. */
export interface RemexRunnerOptions {
  /**
   * Keep the proxy's connections between jobs (`ssh_connection_idle_timeout` 600 s): every
   * round after the first runs over warm connections.
   */
  warm?: boolean;
  /** Proxies sharing the jobs, each in its own process (Default: 1). */
  proxies?: number;
  /** The server's database (Default: SQLite in the run's scratch dir). */
  databaseUrl?: string;
  /** Display name (Default: by `warm`). */
  label?: string;
  /** Id in the results (Default: by `warm`). */
  id?: string;
  /** The proxy's `ssh_worker_threads` (Default: the proxy's default, ADR 0025). */
  sshWorkerThreads?: number;
}

/** The Remex runner (server + proxy children). */
export class RemexRunner implements FanoutRunner {
  readonly id: string;
  readonly label: string;
  /** The proxy's `ssh_connection_idle_timeout`: 0 (every job connects afresh) unless warm. */
  readonly #idleTimeoutSeconds: number;
  readonly #proxyCount: number;
  readonly #databaseUrl: string | undefined;
  readonly #sshWorkerThreads: number | undefined;
  #dir: TempDir | undefined;
  #server: BenchChild | undefined;
  #proxies: BenchChild[] = [];
  #url = '';
  #templateId = 0;

  constructor(options: RemexRunnerOptions = {}) {
    const warm = options.warm ?? false;
    this.id = options.id ?? (warm ? 'remex-warm' : 'remex');
    this.label = options.label ?? (warm ? 'Remex, warm connections' : 'Remex full stack');
    this.#idleTimeoutSeconds = warm ? 600 : 0;
    this.#proxyCount = options.proxies ?? 1;
    this.#databaseUrl = options.databaseUrl;
    this.#sshWorkerThreads = options.sshWorkerThreads;
  }

  async #api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const res = await fetch(`${this.#url}${path}`, {
      method,
      headers: { authorization: AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed, text };
  }

  async #expect(method: string, path: string, body: unknown, status: number): Promise<ApiAnswer> {
    const r = await this.#api(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path}: HTTP ${r.status} ${r.text.slice(0, 500)}`);
    return r;
  }

  async setup(ctx: FanoutContext): Promise<string | undefined> {
    this.#dir = await tempDir('remex-bench-stack-');
    removeOnExit(this.#dir.path);
    const serverDir = join(this.#dir.path, 'server');
    this.#server = await forkChild(STACK_MAIN, ['server'], { ...STACK_ENV, BENCH_DATA_DIR: serverDir, BENCH_DATABASE_URL: this.#databaseUrl ?? '' }, 'server', MEMORY_NODE_FLAGS);
    const server = await this.#server.next<{ url: string; proxyCredential: string }>('ready', START_TIMEOUT_MS);
    this.#url = server.url;
    for (let i = 0; i < this.#proxyCount; i++) {
      const name = i === 0 ? 'bench-proxy' : `bench-proxy-${i + 1}`;
      let token = server.proxyCredential;
      if (i > 0) {
        this.#server.send({ type: 'issueCredential', name });
        token = (await this.#server.next<{ credential: string }>('credential', START_TIMEOUT_MS)).credential;
      }
      const proxySettings: BenchProxySettings = {
        name,
        serverUrl: server.url,
        token,
        dataDir: this.#proxyDir(i),
        maxConcurrentSessions: ctx.concurrency,
        sshConnectionIdleTimeout: this.#idleTimeoutSeconds,
        sshWorkerThreads: this.#sshWorkerThreads,
      };
      const child = await forkChild(STACK_MAIN, ['proxy'], { ...STACK_ENV, BENCH_PROXY: JSON.stringify(proxySettings) }, i === 0 ? 'proxy' : `proxy-${i + 1}`, MEMORY_NODE_FLAGS);
      this.#proxies.push(child);
      const proxy = await child.next<{ url: string; publicKey: string }>('ready', START_TIMEOUT_MS);
      await ctx.fleet.authorize(proxy.publicKey);
      this.#server.send({ type: 'registerProxy', name, url: proxy.url });
      await this.#server.next('registered', START_TIMEOUT_MS);
    }
    for (const [name, value] of fleetParameters(ctx.fleet)) {
      await this.#expect('POST', '/api/common_parameters', { common_parameter: { name, value } }, 201);
    }
    await this.#expect('POST', '/api/hosts/import', { hosts: ctx.hosts.map((h) => ({ name: h.name, ip: h.address, hostgroup: 'fleet' })) }, 200);
    const templates = await this.#expect('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`, undefined, 200);
    const id = (templates.body as { results?: { id: number }[] } | null)?.results?.[0]?.id;
    if (id === undefined) throw new Error('template "Run Command - Script Default" not found');
    this.#templateId = id;
    return undefined;
  }

  /** Data dir of proxy `i` (0-based). */
  #proxyDir(i: number): string {
    return join(this.#dir!.path, i === 0 ? 'proxy' : `proxy-${i + 1}`);
  }

  /** Event-loop delay of the server and the first proxy since the last call (reset each time). */
  async #loopStats(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, child] of [['server', this.#server!], ['proxy', this.#proxies[0]!]] as const) {
      child.send({ type: 'stats' });
      const s = await child.next<StackStats>('stats', 10_000);
      out[`${name}LoopDelayMeanMs`] = s.loopDelayMs.mean;
      out[`${name}LoopDelayP99Ms`] = s.loopDelayMs.p99;
      out[`${name}LoopDelayMaxMs`] = s.loopDelayMs.max;
    }
    return out;
  }

  /** CPU of the server and of all proxies together, ms. */
  #cpu(): { server: number; proxy: number } {
    return { server: totalCpuMs(this.#server!.pid), proxy: this.#proxies.reduce((all, p) => all + totalCpuMs(p.pid), 0) };
  }

  /** Pids of the server and proxy children (after `setup`). */
  get pids(): { server: number; proxies: number[] } {
    return { server: this.#server!.pid, proxies: this.#proxies.map((p) => p.pid) };
  }

  /** A request to the server as admin; resolves with the status and how long it took. */
  async timedGet(path: string): Promise<{ status: number; ms: number }> {
    const t0 = performance.now();
    const r = await this.#api('GET', path);
    return { status: r.status, ms: performance.now() - t0 };
  }

  /**
   * Runs one job over every host and follows it to its end.
   * @param onJob - called with the job's id as soon as it was created
   */
  async round(ctx: FanoutContext, onJob?: (jobId: number) => void): Promise<RoundMeasure> {
    await this.#loopStats(); // resets the children's event-loop histograms
    const cpu0 = this.#cpu();
    const t0 = performance.now();
    const t0Epoch = Date.now();
    const created = await this.#expect(
      'POST',
      '/api/job_invocations',
      {
        job_invocation: { job_template_id: this.#templateId, targeting_type: 'static_query', search_query: 'hostgroup = fleet', inputs: { command: ctx.command } },
      },
      201,
    );
    const createdMs = performance.now() - t0;
    const jobId = (created.body as { id: number }).id;
    onJob?.(jobId);
    const abort = AbortSignal.timeout(ctx.roundTimeoutMs);
    const res = await fetch(`${this.#url}/api/job_invocations/${jobId}/stream`, { headers: { authorization: AUTH }, signal: abort });
    if (!res.ok || !res.body) throw new Error(`stream of job ${jobId}: HTTP ${res.status}`);
    const streamOpenMs = performance.now() - t0;

    const finals = new Map<string, { ms: number; status: string }>();
    let lastHostMs = 0;
    let done: { status_label?: string; succeeded?: number; failed?: number; total?: number } | undefined;
    let doneMs = 0;
    const outputLagsMs: number[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const value of res.body as unknown as AsyncIterable<Uint8Array>) {
      const now = performance.now() - t0;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || data === undefined) continue;
        if (event === 'host') {
          const h = JSON.parse(data) as { host_name: string; job_status: string };
          if (h.job_status !== 'running' && !finals.has(h.host_name)) {
            finals.set(h.host_name, { ms: now, status: h.job_status });
            lastHostMs = now;
          }
        } else if (event === 'output') {
          // From the proxy reading the line off SSH to this SSE client (same machine, same clock).
          const o = JSON.parse(data) as { timestamp: number };
          outputLagsMs.push(Date.now() - o.timestamp * 1000);
        } else if (event === 'done') {
          done = JSON.parse(data) as typeof done;
          doneMs = now;
        }
      }
      if (done) break;
    }
    if (!done) throw new Error(`job ${jobId}: the stream ended without 'done'`);
    await ctx.waitSshdQuiet();
    const cpu1 = this.#cpu();

    const latenciesMs: number[] = [];
    const failures: string[] = [];
    for (const [name, f] of finals) {
      if (f.status === 'success') latenciesMs.push(f.ms);
      else failures.push(`${name}: ${f.status}`);
    }
    if ((done.succeeded ?? 0) !== ctx.hosts.length) {
      failures.unshift(`job ${jobId} ended ${done.status_label ?? '?'}: ${JSON.stringify(done)}; ${await this.#whyFailed(jobId)}`);
    }
    const missed = ctx.hosts.length - finals.size;
    const loop = await this.#loopStats();
    const accepted = this.#acceptedMs(t0Epoch);
    const phases = {
      acceptedMin: Math.round(Math.min(...accepted)),
      acceptedMax: Math.round(Math.max(...accepted)),
      // The server's own timeline is read from its SQLite file (not on PostgreSQL).
      ...(this.#databaseUrl ? {} : this.#phases(jobId, t0Epoch, finals)),
    };
    const server = cpu1.server - cpu0.server;
    const proxy = cpu1.proxy - cpu0.proxy;
    return {
      wallMs: doneMs,
      latenciesMs,
      failures,
      cpuMs: server + proxy,
      cpuBreakdownMs: { server, proxy },
      extra: {
        createdMs,
        streamOpenMs,
        lastHostMs,
        hostEventsMissed: missed,
        outputEvents: outputLagsMs.length,
        outputLagP50Ms: Math.round(percentile(outputLagsMs, 50)),
        outputLagP95Ms: Math.round(percentile(outputLagsMs, 95)),
        ...phases,
        ...loop,
      },
    };
  }

  /** When the proxies accepted the tasks they got since `t0Epoch`, ms after it. */
  #acceptedMs(t0Epoch: number): number[] {
    const out: number[] = [];
    for (const [i] of this.#proxies.entries()) {
      const db = new Database(join(this.#proxyDir(i), 'proxy.sqlite3'), { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare('SELECT accepted_at AS ts FROM tasks WHERE accepted_at >= ?').all(t0Epoch / 1000) as { ts: number }[];
        out.push(...rows.map((r) => r.ts * 1000 - t0Epoch));
      } finally {
        db.close();
      }
    }
    return out;
  }

  /**
   * Where each host's latency goes, from the two SQLite databases (read after the CPU was
   * measured), all in ms from just before the POST, p50/p95 over hosts:
   * `accepted` the proxy stored the task (compose + dispatch + launch HTTP), `started` the proxy
   * saw the script's start marker (queue + TCP + SSH handshake + auth + exec + upload),
   * `exited` the proxy saw the exit status, `delivered` its final SSE event reached us
   * (outbox + delivery + ingest + bus + SSE).
   */
  #phases(jobId: number, t0Epoch: number, finals: Map<string, { ms: number }>): Record<string, number> {
    const serverDb = new Database(join(this.#dir!.path, 'server', 'remex.sqlite3'), { readonly: true, fileMustExist: true });
    try {
      const rows = serverDb
        .prepare(
          `SELECT t.id AS task, h.name AS name, e.event_type AS type, e.timestamp AS ts
             FROM template_invocation_events e JOIN template_invocations t ON t.id = e.task_id JOIN hosts h ON h.id = t.host_id
            WHERE e.job_invocation_id = ? AND e.event_type IN ('started', 'exit')`,
        )
        .all(jobId) as { task: number; name: string; type: string; ts: number }[];
      const ms = (epochSeconds: number): number => epochSeconds * 1000 - t0Epoch;
      const started = rows.filter((r) => r.type === 'started').map((r) => ms(r.ts));
      const exits = rows.filter((r) => r.type === 'exit');
      const lags = exits.filter((r) => finals.has(r.name)).map((r) => finals.get(r.name)!.ms - ms(r.ts));
      const accepted = this.#acceptedMs(t0Epoch);
      const p = (xs: number[], q: number): number => Math.round(percentile(xs, q));
      return {
        acceptedP50: p(accepted, 50),
        acceptedP95: p(accepted, 95),
        startedP50: p(started, 50),
        startedP95: p(started, 95),
        exitedP50: p(exits.map((r) => ms(r.ts)), 50),
        exitedP95: p(exits.map((r) => ms(r.ts)), 95),
        deliveryLagP50: p(lags, 50),
        deliveryLagP95: p(lags, 95),
      };
    } finally {
      serverDb.close();
    }
  }

  /** The message and last output lines of the first failed host, for the log. */
  async #whyFailed(jobId: number): Promise<string> {
    const r = await this.#api('GET', `/api/job_invocations/${jobId}/hosts?per_page=1000`);
    const failed = (r.body as { results?: { name: string; job_status: string; message?: string | null }[] } | null)?.results?.find((h) => h.job_status !== 'success');
    if (!failed) return 'no failed host found';
    const out = await this.#api('GET', `/api/job_invocations/${jobId}/hosts/${encodeURIComponent(failed.name)}`);
    const lines = ((out.body as { output?: { output: string }[] } | null)?.output ?? []).map((o) => o.output.trim()).slice(-5);
    return `first failed host ${failed.name}: ${failed.message ?? '(no message)'}; output: ${lines.join(' | ').slice(0, 400)}`;
  }

  async teardown(): Promise<void> {
    for (const proxy of this.#proxies) await proxy.stop();
    await this.#server?.stop();
    this.#proxies = [];
    this.#server = undefined;
    if (this.#dir) {
      await this.#dir.cleanup();
      forget(this.#dir.path);
    }
    this.#dir = undefined;
  }
}
