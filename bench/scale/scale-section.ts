/**
 * @module
 * The scale section (`--only scale`): one job over 10,000 simulated hosts (`sim-fleet-main.ts`:
 * one ssh2 server process answering for every loopback address), through the Remex full stack
 * and a bare ssh2 loop on the same simulated fleet, in the same run: Remex with one proxy on
 * SQLite, with two proxies sharing the job, and on PostgreSQL. While each Remex job runs it samples
 * the memory of the server and proxies and times `GET /api/job_invocations/:id` and the first page
 * of its hosts. Prints the issue's targets beside the numbers, with the machine's load.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { FleetHost } from '@remex/testkit';
import { createTestDatabase, postgresAvailable, tempDir, type TempDir, type TestDatabase } from '@remex/testkit';

import { BareSsh2Runner } from '../fanout/bare-ssh2-runner.ts';
import type { FanoutContext, RoundMeasure } from '../fanout/fanout-types.ts';
import { RemexRunner } from '../fanout/remex-runner.ts';
import type { BenchOptions } from '../lib/args.ts';
import { type BenchChild, forkChild } from '../lib/child.ts';
import { forget, removeOnExit } from '../lib/exit-cleanup.ts';
import { rssBytes, totalCpuMs } from '../lib/proc-stat.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';
import { percentile, round } from '../lib/stats.ts';

const run = promisify(execFile);
const SIM_MAIN = fileURLToPath(new URL('./sim-fleet-main.ts', import.meta.url));
const COMMAND = 'echo ok';
/** Hosts of the live-output job, all at once. */
const STREAM_HOSTS = 1000;
/** Ten lines, a second apart. */
const STREAM_COMMAND = Array.from({ length: 10 }, (_, i) => `echo line-${i + 1}`).join('; sleep 1; ');

/** `count` simulated hosts on 127.100.0.0/16 (254 per /24). */
export function simHosts(count: number): FleetHost[] {
  if (count > 254 * 256) throw new Error(`at most ${254 * 256} simulated hosts, got ${count}`);
  return Array.from({ length: count }, (_, i) => ({
    name: `sim${String(i + 1).padStart(5, '0')}.scale.test`,
    address: `127.100.${Math.floor(i / 254)}.${(i % 254) + 1}`,
  }));
}

/** What was sampled while the Remex job ran. */
interface Samples {
  rssMb: number[];
  /** Peak RSS of the server and of the (first) proxy alone, MB. */
  serverPeakMb: number;
  proxyPeakMb: number;
  jobMs: number[];
  hostsPageMs: number[];
  errors: number;
}

/** RSS of a Remex stack's processes, MB: the server, each proxy, and their sum. */
function stackRss(runner: RemexRunner): { serverMb: number; proxiesMb: number[]; totalMb: number } {
  const { server, proxies } = runner.pids;
  const serverMb = rssBytes(server) / 2 ** 20;
  const proxiesMb = proxies.map((pid) => rssBytes(pid) / 2 ** 20);
  return { serverMb, proxiesMb, totalMb: proxiesMb.reduce((all, mb) => all + mb, serverMb) };
}

/** Samples memory every 250 ms, and the two reads back to back every second (as a polling page would), until `stop()`. */
function startSampling(runner: RemexRunner): { onJob(id: number): void; stop(): Promise<Samples> } {
  const samples: Samples = { rssMb: [], serverPeakMb: 0, proxyPeakMb: 0, jobMs: [], hostsPageMs: [], errors: 0 };
  const memory = setInterval(() => {
    const rss = stackRss(runner);
    samples.rssMb.push(rss.totalMb);
    samples.serverPeakMb = Math.max(samples.serverPeakMb, rss.serverMb);
    samples.proxyPeakMb = Math.max(samples.proxyPeakMb, rss.proxiesMb[0] ?? 0);
  }, 250);
  let stopped = false;
  let reads: Promise<void> = Promise.resolve();
  return {
    onJob(id) {
      reads = (async () => {
        while (!stopped) {
          const job = await runner.timedGet(`/api/job_invocations/${id}`);
          const page = await runner.timedGet(`/api/job_invocations/${id}/hosts?per_page=20&page=1`);
          if (job.status !== 200 || page.status !== 200) samples.errors++;
          samples.jobMs.push(job.ms);
          samples.hostsPageMs.push(page.ms);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      })();
    },
    async stop() {
      stopped = true;
      clearInterval(memory);
      await reads;
      return samples;
    },
  };
}

function rate(hosts: number, m: RoundMeasure): number {
  return hosts / (m.wallMs / 1000);
}

/** One runner's measured job. */
interface RunResult {
  label: string;
  load1: number;
  hostsPerSecond: number;
  wallMs: number;
  cpuMsPerHost: number;
  cpuBreakdownMs?: Record<string, number> | undefined;
  simCpuMs: number;
  failures: number;
  /** Remex only. */
  stack?: {
    setupMs: number;
    createdMs: number;
    firstAcceptedMs: number | undefined;
    lastAcceptedMs: number | undefined;
    rssIdleMb: number;
    rssPeakMb: number;
    /** Peak RSS of the server and of the first proxy alone. */
    serverPeakMb: number;
    proxyPeakMb: number;
    jobGetMs: { p50: number; p95: number; max: number; n: number };
    hostsPageMs: { p50: number; p95: number; max: number };
    readErrors: number;
    /** Event-loop delay p99 of the server and the (first) proxy during the job. */
    serverLoopP99Ms: number | undefined;
    proxyLoopP99Ms: number | undefined;
    /** Output events seen on the job's SSE stream, and how late they came (proxy read → SSE client). */
    outputEvents: number;
    outputLagP50Ms: number | undefined;
    outputLagP95Ms: number | undefined;
  };
}

function summarizeRound(label: string, load1: number, hosts: number, m: RoundMeasure, simCpuMs: number): RunResult {
  return {
    label,
    load1: round(load1),
    hostsPerSecond: round(rate(hosts, m)),
    wallMs: Math.round(m.wallMs),
    cpuMsPerHost: round(m.cpuMs / hosts, 2),
    cpuBreakdownMs: m.cpuBreakdownMs,
    simCpuMs: Math.round(simCpuMs),
    failures: m.failures.length,
  };
}

/** Sets up `remex`, runs one job over the whole simulated fleet while sampling, tears it down. */
async function measureRemex(remex: RemexRunner, ctx: FanoutContext, simCpu: () => number, log: (line: string) => void): Promise<RunResult> {
  try {
    log(`scale: ${remex.label}: setup (importing ${ctx.hosts.length} hosts)…`);
    const setupStart = performance.now();
    await remex.setup(ctx);
    const setupMs = performance.now() - setupStart;
    const rssIdleMb = stackRss(remex).totalMb;
    log(`scale: ${remex.label}: job…`);
    const load1 = loadavg()[0]!;
    const sampling = startSampling(remex);
    const s0 = simCpu();
    const settled = await remex.round(ctx, (id) => sampling.onJob(id)).then(
      (m) => ({ m }),
      (e: unknown) => ({ e }),
    );
    const s = await sampling.stop();
    if ('e' in settled) throw settled.e;
    const m = settled.m;
    const result = summarizeRound(remex.label, load1, ctx.hosts.length, m, simCpu() - s0);
    const x = m.extra ?? {};
    result.stack = {
      setupMs: Math.round(setupMs),
      createdMs: Math.round(x.createdMs ?? Number.NaN),
      firstAcceptedMs: x.acceptedMin,
      lastAcceptedMs: x.acceptedMax,
      rssIdleMb: Math.round(rssIdleMb),
      rssPeakMb: Math.round(Math.max(0, ...s.rssMb)),
      serverPeakMb: Math.round(s.serverPeakMb),
      proxyPeakMb: Math.round(s.proxyPeakMb),
      jobGetMs: { p50: round(percentile(s.jobMs, 50)), p95: round(percentile(s.jobMs, 95)), max: round(Math.max(0, ...s.jobMs)), n: s.jobMs.length },
      hostsPageMs: { p50: round(percentile(s.hostsPageMs, 50)), p95: round(percentile(s.hostsPageMs, 95)), max: round(Math.max(0, ...s.hostsPageMs)) },
      readErrors: s.errors,
      serverLoopP99Ms: x.serverLoopDelayP99Ms,
      proxyLoopP99Ms: x.proxyLoopDelayP99Ms,
      outputEvents: x.outputEvents ?? 0,
      outputLagP50Ms: x.outputLagP50Ms,
      outputLagP95Ms: x.outputLagP95Ms,
    };
    log(`scale: ${remex.label}: ${result.hostsPerSecond} hosts/s, ${result.failures} failure(s)`);
    return result;
  } finally {
    await remex.teardown().catch(() => undefined);
  }
}

async function runSection(options: BenchOptions, log: (line: string) => void): Promise<SectionResult> {
  const hosts = simHosts(options.scaleHosts);
  let dir: TempDir | undefined;
  let sim: BenchChild | undefined;
  let database: TestDatabase | undefined;
  const bare = new BareSsh2Runner();
  try {
    dir = await tempDir('remex-bench-scale-');
    removeOnExit(dir.path);
    const keyFile = join(dir.path, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'remex-bench', '-f', keyFile]);
    sim = await forkChild(SIM_MAIN, [], { BENCH_SIM_PORT: '0' }, 'sim-fleet');
    const { port } = await sim.next<{ port: number }>('ready', 60_000);
    log(`scale: simulated fleet of ${hosts.length} hosts on port ${port}`);
    const ctx: FanoutContext = {
      fleet: { port, authorize: () => Promise.resolve() },
      hosts,
      concurrency: options.concurrency,
      command: COMMAND,
      keyFile,
      workDir: dir.path,
      roundTimeoutMs: options.roundTimeoutSeconds * 1000,
      waitSshdQuiet: () => Promise.resolve(),
    };
    const simCpu = (): number => totalCpuMs(sim!.pid);

    await bare.setup(ctx);
    log('scale: bare ssh2 loop…');
    const bareLoad = loadavg()[0]!;
    const b0 = simCpu();
    const bareResult = summarizeRound(bare.label, bareLoad, hosts.length, await bare.round(ctx), simCpu() - b0);
    await bare.teardown();
    log(`scale: bare ssh2 ${bareResult.hostsPerSecond} hosts/s, ${bareResult.failures} failure(s)`);

    const runs: RunResult[] = [];
    runs.push(await measureRemex(new RemexRunner({ label: 'Remex, 1 proxy, SQLite' }), ctx, simCpu, log));
    // The same with ssh2 in the proxy's main thread (no worker threads, ADR 0025).
    runs.push(await measureRemex(new RemexRunner({ label: 'Remex, 1 proxy, SQLite, ssh2 in the main thread', sshWorkerThreads: 0 }), ctx, simCpu, log));
    runs.push(await measureRemex(new RemexRunner({ label: 'Remex, 2 proxies, SQLite', proxies: 2 }), ctx, simCpu, log));
    if (await postgresAvailable()) {
      database = await createTestDatabase('postgres');
      runs.push(await measureRemex(new RemexRunner({ label: 'Remex, 1 proxy, PostgreSQL', databaseUrl: database.url }), ctx, simCpu, log));
    } else {
      log('scale: PostgreSQL not reachable: skipped');
    }
    // Live output: 1,000 hosts at once print a line a second for 10 s; how late does each line reach an SSE client?
    const streamHosts = hosts.slice(0, Math.min(STREAM_HOSTS, hosts.length));
    const streamCtx: FanoutContext = { ...ctx, hosts: streamHosts, concurrency: streamHosts.length, command: STREAM_COMMAND };
    const streaming = await measureRemex(new RemexRunner({ label: `Remex, ${streamHosts.length} hosts streaming` }), streamCtx, simCpu, log);
    const streamingMainThread = await measureRemex(
      new RemexRunner({ label: `Remex, ${streamHosts.length} hosts streaming, ssh2 in the main thread`, sshWorkerThreads: 0 }),
      streamCtx,
      simCpu,
      log,
    );
    const result = { hosts: hosts.length, concurrency: options.concurrency, cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, bare: bareResult, remex: runs, streaming, streamingMainThread };
    return { text: formatScale(result), data: result };
  } finally {
    await bare.teardown().catch(() => undefined);
    await sim?.stop(2_000).catch(() => undefined);
    await database?.drop().catch(() => undefined);
    await dir?.cleanup().catch(() => undefined);
    if (dir) forget(dir.path);
  }
}

function formatScale(r: { hosts: number; concurrency: number; cpus: string; bare: RunResult; remex: RunResult[]; streaming: RunResult; streamingMainThread: RunResult }): string {
  const ok = (pass: boolean): string => (pass ? 'yes' : 'NO');
  const row = (x: RunResult): string =>
    `${x.label.padEnd(48)} ${x.hostsPerSecond.toFixed(1).padStart(7)} ${`${(x.wallMs / 1000).toFixed(1)} s`.padStart(8)} ${`${round(x.hostsPerSecond / r.bare.hostsPerSecond, 2)}×`.padStart(6)} ${x.cpuMsPerHost.toFixed(2).padStart(11)} ${`${(x.simCpuMs / 1000).toFixed(1)} s`.padStart(9)} ${String(x.failures).padStart(8)} ${String(x.load1).padStart(5)}` +
    (x.stack ? `   ${x.stack.firstAcceptedMs ?? '?'} / ${x.stack.lastAcceptedMs ?? '?'} ms   ${x.stack.rssIdleMb} → ${x.stack.rssPeakMb} MB   ${x.stack.jobGetMs.p50}/${x.stack.jobGetMs.p95} ms   ${x.stack.hostsPageMs.p50}/${x.stack.hostsPageMs.p95} ms` : '');
  const main = r.remex[0];
  const two = r.remex.find((x) => x.label.includes('2 proxies'));
  const lines = [
    `Scale: "${COMMAND}" on ${r.hosts} simulated hosts (one ssh2 server process on loopback), concurrency ${r.concurrency} per proxy and for the bare loop, ${r.cpus}`,
    '',
    `${'runner'.padEnd(48)} ${'hosts/s'.padStart(7)} ${'wall'.padStart(8)} ${'×bare'.padStart(6)} ${'CPU ms/host'.padStart(11)} ${'sim CPU'.padStart(9)} ${'failures'.padStart(8)} ${'load'.padStart(5)}   first/all tasks on a proxy   RSS idle → peak   GET job p50/p95   hosts page p50/p95`,
    row(r.bare),
    ...r.remex.map(row),
    '',
  ];
  if (main?.stack) {
    const ratio = round(main.hostsPerSecond / r.bare.hostsPerSecond, 2);
    const first = main.stack.firstAcceptedMs ?? Number.NaN;
    lines.push(
      `targets (${main.label})`,
      `  whole job ≥ 0.8× the bare ssh2 loop:              ${ratio}×  ${ok(ratio >= 0.8)}`,
      `  planning (POST → first task on the proxy) ≤ 2 s:  ${first} ms  ${ok(first <= 2000)}`,
      `  server + proxy RSS ≤ 400 MB during the job:       ${main.stack.rssPeakMb} MB  ${ok(main.stack.rssPeakMb <= 400)} (idle ${main.stack.rssIdleMb} MB; peaks: server ${main.stack.serverPeakMb} MB, proxy ${main.stack.proxyPeakMb} MB)`,
      `  GET job ≤ 100 ms while it runs (p95):             ${main.stack.jobGetMs.p95} ms  ${ok(main.stack.jobGetMs.p95 <= 100)}`,
      `  first hosts page ≤ 100 ms while it runs (p95):    ${main.stack.hostsPageMs.p95} ms  ${ok(main.stack.hostsPageMs.p95 <= 100)}`,
    );
    if (two) lines.push(`  two proxies ≈ 2× one where cores allow:           ${round(two.hostsPerSecond / main.hostsPerSecond, 2)}× (${r.cpus.split(' ')[0]} cores shared with the simulated fleet)`);
    lines.push(`  (event-loop delay p99 during the job: server ${main.stack.serverLoopP99Ms ?? '?'} ms, proxy ${main.stack.proxyLoopP99Ms ?? '?'} ms)`);
  }
  for (const streaming of [r.streaming, r.streamingMainThread]) {
    const live = streaming.stack;
    if (!live) continue;
    const p95 = live.outputLagP95Ms ?? Number.NaN;
    lines.push(
      `  output line → SSE client p95 ≤ 250 ms while ${streaming.label.replace(/^Remex, /, '')}: ${p95} ms (p50 ${live.outputLagP50Ms ?? '?'} ms, ${live.outputEvents} lines, ${streaming.failures} failed, proxy event-loop delay p99 ${live.proxyLoopP99Ms ?? '?'} ms)  ${ok(p95 <= 250)}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** The scale benchmark section (`--only scale`). */
export const scaleSection: BenchSection = {
  name: 'scale',
  description: 'one job over 10,000 simulated hosts: Remex (1 and 2 proxies, SQLite and PostgreSQL) vs a bare ssh2 loop on the same simulated fleet; planning, memory, API reads while it runs',
  run: runSection,
};
