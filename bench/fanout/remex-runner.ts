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

import { type BenchChild, forkChild } from '../lib/child.ts';
import { forget, removeOnExit } from '../lib/exit-cleanup.ts';
import { totalCpuMs } from '../lib/proc-stat.ts';
import { percentile } from '../lib/stats.ts';
import type { FanoutContext, FanoutRunner, RoundMeasure } from './fanout-types.ts';
import { BENCH_ADMIN_PASSWORD, type BenchProxySettings, type StackStats } from './stack-protocol.ts';

const STACK_MAIN = fileURLToPath(new URL('./stack-main.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const AUTH = `Basic ${Buffer.from(`admin:${BENCH_ADMIN_PASSWORD}`).toString('base64')}`;

interface ApiAnswer {
  status: number;
  body: unknown;
  text: string;
}

/** The Remex runner (server + proxy children). */
export class RemexRunner implements FanoutRunner {
  readonly id: string;
  readonly label: string;
  /** The proxy's `ssh_connection_idle_timeout`: 0 (every job connects afresh) unless warm. */
  readonly #idleTimeoutSeconds: number;
  #dir: TempDir | undefined;
  #server: BenchChild | undefined;
  #proxy: BenchChild | undefined;
  #url = '';
  #templateId = 0;

  /**
   * @param warm - keep the proxy's connections between jobs (`ssh_connection_idle_timeout`
   *   600 s): every round after the first runs over warm connections
   */
  constructor(warm = false) {
    this.id = warm ? 'remex-warm' : 'remex';
    this.label = warm ? 'Remex, warm connections' : 'Remex full stack';
    this.#idleTimeoutSeconds = warm ? 600 : 0;
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
    this.#server = forkChild(STACK_MAIN, ['server'], { BENCH_DATA_DIR: serverDir }, 'server');
    const server = await this.#server.next<{ url: string; proxyCredential: string }>('ready', START_TIMEOUT_MS);
    this.#url = server.url;
    const proxySettings: BenchProxySettings = {
      serverUrl: server.url,
      token: server.proxyCredential,
      dataDir: join(this.#dir.path, 'proxy'),
      maxConcurrentSessions: ctx.concurrency,
      sshConnectionIdleTimeout: this.#idleTimeoutSeconds,
    };
    this.#proxy = forkChild(STACK_MAIN, ['proxy'], { BENCH_PROXY: JSON.stringify(proxySettings) }, 'proxy');
    const proxy = await this.#proxy.next<{ url: string; publicKey: string }>('ready', START_TIMEOUT_MS);
    await ctx.fleet.authorize(proxy.publicKey);
    this.#server.send({ type: 'registerProxy', name: 'bench-proxy', url: proxy.url });
    await this.#server.next('registered', START_TIMEOUT_MS);
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

  /** Event-loop delay of both children since the last call (reset each time). */
  async #loopStats(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, child] of [['server', this.#server!], ['proxy', this.#proxy!]] as const) {
      child.send({ type: 'stats' });
      const s = await child.next<StackStats>('stats', 10_000);
      out[`${name}LoopDelayMeanMs`] = s.loopDelayMs.mean;
      out[`${name}LoopDelayP99Ms`] = s.loopDelayMs.p99;
      out[`${name}LoopDelayMaxMs`] = s.loopDelayMs.max;
    }
    return out;
  }

  #cpu(): { server: number; proxy: number } {
    return { server: totalCpuMs(this.#server!.pid), proxy: totalCpuMs(this.#proxy!.pid) };
  }

  async round(ctx: FanoutContext): Promise<RoundMeasure> {
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
    const abort = AbortSignal.timeout(ctx.roundTimeoutMs);
    const res = await fetch(`${this.#url}/api/job_invocations/${jobId}/stream`, { headers: { authorization: AUTH }, signal: abort });
    if (!res.ok || !res.body) throw new Error(`stream of job ${jobId}: HTTP ${res.status}`);
    const streamOpenMs = performance.now() - t0;

    const finals = new Map<string, { ms: number; status: string }>();
    let lastHostMs = 0;
    let done: { status_label?: string; succeeded?: number; failed?: number; total?: number } | undefined;
    let doneMs = 0;
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
    const phases = this.#phases(jobId, t0Epoch, finals);
    const server = cpu1.server - cpu0.server;
    const proxy = cpu1.proxy - cpu0.proxy;
    return {
      wallMs: doneMs,
      latenciesMs,
      failures,
      cpuMs: server + proxy,
      cpuBreakdownMs: { server, proxy },
      extra: { createdMs, streamOpenMs, lastHostMs, hostEventsMissed: missed, ...phases, ...loop },
    };
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
    const proxyDb = new Database(join(this.#dir!.path, 'proxy', 'proxy.sqlite3'), { readonly: true, fileMustExist: true });
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
      const taskIds = [...new Set(rows.map((r) => r.task))];
      const accepted = taskIds.length
        ? (proxyDb.prepare(`SELECT accepted_at AS ts FROM tasks WHERE task_id IN (${taskIds.map(() => '?').join(',')})`).all(...taskIds) as { ts: number }[]).map((r) => ms(r.ts))
        : [];
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
      proxyDb.close();
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
    await this.#proxy?.stop();
    await this.#server?.stop();
    this.#proxy = undefined;
    this.#server = undefined;
    if (this.#dir) {
      await this.#dir.cleanup();
      forget(this.#dir.path);
    }
    this.#dir = undefined;
  }
}
