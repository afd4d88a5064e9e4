/**
 * @module
 * Summaries, target checks and the printed table of the fan-out section.
 */
import { median, percentile, round, sum } from '../lib/stats.ts';
import type { RoundMeasure } from './fanout-types.ts';

/** One runner's numbers over its measured rounds. */
export interface FanoutSummary {
  id: string;
  label: string;
  /** Why it did not run, when it did not. */
  skipped?: string;
  error?: string;
  rounds: number;
  /** Median over rounds of hosts / wall time. */
  hostsPerSec: number;
  /** Per-host latency percentiles over every measured round, ms. */
  p50Ms: number;
  p95Ms: number;
  /** Orchestrator CPU (user + system) per host, ms. */
  cpuMsPerHost: number;
  /** Per process CPU per host when there are several (Remex: server, proxy), ms. */
  cpuBreakdownMsPerHost?: Record<string, number>;
  /** The target sshd's CPU per host (its sessions and the commands they ran), ms. */
  sshdCpuMsPerHost: number;
  /** Median 1-minute load average of the machine before the rounds (others may share it). */
  load1: number;
  /** Hosts that did not succeed, summed over rounds. */
  failures: number;
  /** Median over rounds of runner-specific extras (ms). */
  extra?: Record<string, number>;
  /** hostsPerSec / the bare ssh2 loop's. */
  speedVsSsh2?: number;
  /** cpuMsPerHost / the bare ssh2 loop's. */
  cpuVsSsh2?: number;
}

/** Pass/fail of the issue's targets for Remex. */
export interface FanoutVerdicts {
  speedAtLeast07xSsh2?: boolean;
  cpuAtMost2xSsh2?: boolean;
  /** The speed issue's targets (issue 15): ≥ 0.95× ssh2's hosts/s, ≤ 1.3× its CPU per host. */
  speedAtLeast095xSsh2?: boolean;
  cpuAtMost13xSsh2?: boolean;
  fasterThanEveryPeer?: boolean;
  cheaperThanEveryPeer?: boolean;
}

/** Reduces a runner's rounds to one summary. */
export function summarize(d: { id: string; label: string; skipped?: string; error?: string; rounds: (RoundMeasure & { sshdCpuMs: number; load1: number })[] }, hosts: number): FanoutSummary {
  const n = d.rounds.length;
  const s: FanoutSummary = {
    id: d.id,
    label: d.label,
    ...(d.skipped ? { skipped: d.skipped } : {}),
    ...(d.error ? { error: d.error } : {}),
    rounds: n,
    hostsPerSec: round(median(d.rounds.map((r) => hosts / (r.wallMs / 1000))), 1),
    p50Ms: round(percentile(d.rounds.flatMap((r) => r.latenciesMs), 50), 0),
    p95Ms: round(percentile(d.rounds.flatMap((r) => r.latenciesMs), 95), 0),
    cpuMsPerHost: round(sum(d.rounds.map((r) => r.cpuMs)) / (hosts * n), 2),
    sshdCpuMsPerHost: round(sum(d.rounds.map((r) => r.sshdCpuMs)) / (hosts * n), 2),
    load1: round(median(d.rounds.map((r) => r.load1)), 1),
    failures: sum(d.rounds.map((r) => r.latenciesMs.length < hosts ? hosts - r.latenciesMs.length : 0)),
  };
  const breakdownKeys = [...new Set(d.rounds.flatMap((r) => Object.keys(r.cpuBreakdownMs ?? {})))];
  if (breakdownKeys.length > 0) {
    s.cpuBreakdownMsPerHost = Object.fromEntries(breakdownKeys.map((k) => [k, round(sum(d.rounds.map((r) => r.cpuBreakdownMs?.[k] ?? 0)) / (hosts * n), 2)]));
  }
  const extraKeys = [...new Set(d.rounds.flatMap((r) => Object.keys(r.extra ?? {})))];
  if (extraKeys.length > 0) s.extra = Object.fromEntries(extraKeys.map((k) => [k, round(median(d.rounds.map((r) => r.extra?.[k] ?? Number.NaN)), 1)]));
  return s;
}

function ran(s: FanoutSummary | undefined): s is FanoutSummary {
  return s !== undefined && !s.skipped && s.rounds > 0;
}

/** Adds the ratios to the baseline and checks the targets (≥ 0.7× speed, ≤ 2× CPU, ahead of every peer). */
export function targetVerdicts(summaries: FanoutSummary[]): FanoutVerdicts {
  const base = summaries.find((s) => s.id === 'ssh2');
  const remex = summaries.find((s) => s.id === 'remex');
  if (ran(base)) {
    for (const s of summaries.filter(ran)) {
      s.speedVsSsh2 = round(s.hostsPerSec / base.hostsPerSec, 2);
      s.cpuVsSsh2 = round(s.cpuMsPerHost / base.cpuMsPerHost, 2);
    }
  }
  if (!ran(remex)) return {};
  const peers = summaries.filter((s) => ran(s) && !s.id.startsWith('remex') && !s.id.startsWith('ssh2'));
  const v: FanoutVerdicts = {};
  if (ran(base)) {
    v.speedAtLeast07xSsh2 = remex.hostsPerSec >= 0.7 * base.hostsPerSec;
    v.cpuAtMost2xSsh2 = remex.cpuMsPerHost <= 2 * base.cpuMsPerHost;
    v.speedAtLeast095xSsh2 = remex.hostsPerSec >= 0.95 * base.hostsPerSec;
    v.cpuAtMost13xSsh2 = remex.cpuMsPerHost <= 1.3 * base.cpuMsPerHost;
  }
  if (peers.length > 0) {
    v.fasterThanEveryPeer = peers.every((p) => remex.hostsPerSec > p.hostsPerSec);
    v.cheaperThanEveryPeer = peers.every((p) => remex.cpuMsPerHost < p.cpuMsPerHost);
  }
  return v;
}

function cell(value: number | undefined, digits: number, suffix = ''): string {
  return value === undefined || Number.isNaN(value) ? '–' : `${value.toFixed(digits)}${suffix}`;
}

/** Renders the summaries as a fixed-width table with notes, breakdowns and verdicts. */
export function formatFanoutTable(summaries: FanoutSummary[], v: FanoutVerdicts, run: { hosts: number; concurrency: number; rounds: number; peerRounds: number; command: string }): string {
  const header = ['runner', 'hosts/s', '×ssh2', 'p50 ms', 'p95 ms', 'CPU ms/host', '×ssh2', 'sshd CPU ms/host', 'failed', 'load'];
  const rows = summaries
    .filter(ran)
    .map((s) => [
      s.label,
      cell(s.hostsPerSec, 1),
      cell(s.speedVsSsh2, 2, '×'),
      cell(s.p50Ms, 0),
      cell(s.p95Ms, 0),
      cell(s.cpuMsPerHost, 2),
      cell(s.cpuVsSsh2, 2, '×'),
      cell(s.sshdCpuMsPerHost, 2),
      String(s.failures),
      cell(s.load1, 1),
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [
    `Fan-out of '${run.command}' to ${run.hosts} loopback hosts, concurrency ${run.concurrency}; Remex and ssh2: ${run.rounds} measured round(s) after a warm-up; peers: ${run.peerRounds} round(s)`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ];
  for (const s of summaries) {
    if (s.skipped) out.push(`- ${s.label}: skipped: ${s.skipped}`);
    if (s.error) out.push(`- ${s.label}: error: ${s.error}`);
    if (s.cpuBreakdownMsPerHost) out.push(`- ${s.label} CPU ms/host by process: ${Object.entries(s.cpuBreakdownMsPerHost).map(([k, x]) => `${k} ${x}`).join(', ')}`);
    if (s.extra && (s.id.startsWith('remex') || s.extra.loopDelayMeanMs !== undefined)) out.push(`- ${s.label} details (medians over rounds; ms unless named): ${Object.entries(s.extra).map(([k, x]) => `${k} ${x}`).join(', ')}`);
    else if (s.extra?.sshdSessionsMean !== undefined) out.push(`- ${s.label}: sessions open on the sshd during the round, mean ${s.extra.sshdSessionsMean}, max ${s.extra.sshdSessionsMax ?? '?'}`);
  }
  out.push('- load: median 1-minute load average before the rounds (the machine may be shared; compare runners of the same run)');
  const mark = (b: boolean | undefined): string => (b === undefined ? 'n/a' : b ? 'yes' : 'NO');
  out.push(
    `- targets for Remex: ≥ 0.7× ssh2 hosts/s: ${mark(v.speedAtLeast07xSsh2)}; ≤ 2× ssh2 CPU/host: ${mark(v.cpuAtMost2xSsh2)}; ` +
      `faster than every peer: ${mark(v.fasterThanEveryPeer)}; less CPU than every peer: ${mark(v.cheaperThanEveryPeer)}`,
    `- issue 15's targets: ≥ 0.95× ssh2 hosts/s: ${mark(v.speedAtLeast095xSsh2)}; ≤ 1.3× ssh2 CPU/host: ${mark(v.cpuAtMost13xSsh2)}`,
  );
  return out.join('\n');
}
