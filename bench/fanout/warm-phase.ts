/**
 * @module
 * The fan-out section's "warm second job" measurement (issue 15, warm connections): Remex with
 * the proxy keeping its SSH connections (`ssh_connection_idle_timeout` 600 s) runs a first job
 * (unmeasured: it opens the connections), then every measured round is another job to the same
 * hosts right after; the baseline is a bare ssh2 warm-exec loop over one already open connection
 * per host, and the same loop running the command inside the script provider's wrapper (the
 * remote work a Remex task does: it splits the gap into remote wrapper and orchestrator). Rounds
 * alternate; all keep their connections open meanwhile. Target: Remex ≥ 0.9× the warm-exec
 * loop's hosts/s.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

import type { BenchOptions } from '../lib/args.ts';
import { descendantsOf, readProcCpu, totalCpuMs } from '../lib/proc-stat.ts';
import { BareSsh2Runner } from './bare-ssh2-runner.ts';
import { type FanoutSummary, summarize } from './fanout-report.ts';
import type { FanoutContext, FanoutRunner, RoundMeasure } from './fanout-types.ts';
import { RemexRunner } from './remex-runner.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What the warm phase measured. */
export interface WarmPhaseResult {
  summaries: FanoutSummary[];
  /** Remex warm hosts/s ÷ the warm-exec loop's. */
  ratio?: number;
  /** Whether {@link ratio} ≥ 0.9. */
  atLeast09x?: boolean;
  /** Remex warm hosts/s ÷ the warm-exec loop running Remex's wrapper (the orchestrator's share of the gap). */
  vsWrapped?: number;
}

/** Whether `pid` runs an sshd binary (connection processes), not a shell or a command. */
function isSshd(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('sshd');
  } catch {
    return true; // gone
  }
}

/**
 * CPU of the sshd and its whole live tree (connections stay open, so their processes are not
 * reaped into the listener's `cutime`): own + reaped children of every live process, ms.
 */
function sshdTreeCpuMs(sshdPid: number): number {
  let total = totalCpuMs(sshdPid);
  for (const pid of descendantsOf(sshdPid)) {
    try {
      const c = readProcCpu(pid);
      total += c.selfMs + c.childrenMs;
    } catch {
      // ended meanwhile: its time moved to its parent's reaped-children time
    }
  }
  return total;
}

/**
 * Runs the warm measurement for the runners among `remex` and `ssh2` that were selected.
 * @param sshdPid - the fleet's listening sshd
 */
export async function runWarmPhase(base: FanoutContext, options: BenchOptions, sshdPid: number, log: (line: string) => void): Promise<WarmPhaseResult> {
  const wanted = options.runners ?? ['remex', 'ssh2'];
  const runners: FanoutRunner[] = [];
  if (wanted.includes('remex')) runners.push(new RemexRunner({ warm: true }));
  if (wanted.includes('ssh2')) runners.push(new BareSsh2Runner(false, true), new BareSsh2Runner(false, true, true));
  // Connections stay open: a round is over when no command runs on the target any more.
  const ctx: FanoutContext = {
    ...base,
    async waitSshdQuiet(timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (descendantsOf(sshdPid).some((pid) => !isSshd(pid)) && Date.now() < until) await sleep(25);
    },
  };
  const data = runners.map((r) => ({ id: r.id, label: r.label, error: undefined as string | undefined, rounds: [] as (RoundMeasure & { sshdCpuMs: number; load1: number })[] }));
  try {
    for (const [i, runner] of runners.entries()) {
      try {
        await runner.setup(ctx);
        log(`${runner.label}: first round (opens the connections)…`);
        const first = await runner.round(ctx);
        if (first.failures.length > 0) log(`${runner.label}: first round had ${first.failures.length} failure(s): ${first.failures.slice(0, 3).join('; ')}`);
      } catch (e: unknown) {
        data[i]!.error = e instanceof Error ? e.message : String(e);
        log(`${runner.label}: setup failed: ${data[i]!.error}`);
      }
    }
    for (let round = 1; round <= options.rounds; round++) {
      for (const [i, runner] of runners.entries()) {
        const d = data[i]!;
        if (d.error) continue;
        try {
          await ctx.waitSshdQuiet();
          const load1 = loadavg()[0]!;
          const sshd0 = sshdTreeCpuMs(sshdPid);
          const m = await runner.round(ctx);
          const sshdCpuMs = sshdTreeCpuMs(sshdPid) - sshd0;
          d.rounds.push({ ...m, sshdCpuMs, load1 });
          log(
            `warm round ${round}/${options.rounds} ${runner.label}: ${(options.hosts / (m.wallMs / 1000)).toFixed(1)} hosts/s, wall ${m.wallMs.toFixed(0)} ms, ` +
              `cpu ${m.cpuMs.toFixed(0)} ms, load ${load1.toFixed(1)}` +
              (m.failures.length > 0 ? `, ${m.failures.length} failure(s): ${m.failures.slice(0, 2).join('; ')}` : ''),
          );
        } catch (e: unknown) {
          d.error = e instanceof Error ? e.message : String(e);
          log(`${runner.label}: warm round ${round} failed: ${d.error}`);
        }
      }
    }
  } finally {
    for (const r of runners) await r.teardown().catch(() => undefined);
    await base.waitSshdQuiet(30_000);
  }
  const summaries = data.map((d) => summarize({ id: d.id, label: d.label, ...(d.error ? { error: d.error } : {}), rounds: d.rounds }, options.hosts));
  const remex = summaries.find((s) => s.id === 'remex-warm');
  const ssh2 = summaries.find((s) => s.id === 'ssh2-warm');
  if (!remex?.rounds || !ssh2?.rounds) return { summaries };
  const ratio = Math.round((remex.hostsPerSec / ssh2.hostsPerSec) * 100) / 100;
  const wrapped = summaries.find((s) => s.id === 'ssh2-warm-wrapped');
  const vsWrapped = wrapped?.rounds ? Math.round((remex.hostsPerSec / wrapped.hostsPerSec) * 100) / 100 : undefined;
  return { summaries, ratio, atLeast09x: ratio >= 0.9, ...(vsWrapped !== undefined ? { vsWrapped } : {}) };
}

/**
 * The warm phase's lines of the report.
 * @param fresh - the fresh fan-out's summaries of the same run (for warm ÷ fresh)
 */
export function formatWarmPhase(result: WarmPhaseResult, fresh: readonly FanoutSummary[], hosts: number): string {
  const out = ['', '', `Warm second job: the same ${hosts} hosts again, connections already open (rounds alternate; each Remex round is one more job)`];
  for (const s of result.summaries) {
    if (s.error) {
      out.push(`- ${s.label}: error: ${s.error}`);
      continue;
    }
    const freshId = s.id === 'remex-warm' ? 'remex' : s.id === 'ssh2-warm' ? 'ssh2' : '';
    const f = fresh.find((x) => x.id === freshId && x.rounds > 0);
    const vsFresh = f ? `, ${(s.hostsPerSec / f.hostsPerSec).toFixed(1)}× its fresh rate` : '';
    out.push(
      `- ${s.label}: ${s.hostsPerSec.toFixed(1)} hosts/s${vsFresh}, p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, CPU ${s.cpuMsPerHost} ms/host` +
        (s.cpuBreakdownMsPerHost ? ` (${Object.entries(s.cpuBreakdownMsPerHost).map(([k, x]) => `${k} ${x}`).join(', ')})` : '') +
        `, sshd CPU ${s.sshdCpuMsPerHost} ms/host, ${s.failures} failed, load ${s.load1}`,
    );
    if (s.id === 'remex-warm' && s.extra) out.push(`  details (medians over rounds; ms unless named): ${Object.entries(s.extra).map(([k, x]) => `${k} ${x}`).join(', ')}`);
  }
  if (result.ratio !== undefined) {
    out.push(`- target: Remex warm ≥ 0.9× the bare ssh2 warm-exec loop: ${result.ratio.toFixed(2)}× → ${result.atLeast09x ? 'yes' : 'NO'}`);
  }
  if (result.vsWrapped !== undefined) {
    out.push(`- Remex warm ÷ the warm-exec loop running Remex's wrapper (same remote work, so the rest is the orchestrator): ${result.vsWrapped.toFixed(2)}×`);
  }
  return out.join('\n');
}
