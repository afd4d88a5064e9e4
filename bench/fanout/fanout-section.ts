/**
 * @module
 * The fan-out section: one trivial command to N loopback hosts of one real sshd, through the
 * Remex full stack, a bare ssh2 loop and the peer tools, in the same run. Every runner does one
 * unmeasured warm-up round (first connections, host key TOFU, JIT), then the measured rounds go
 * round-robin over the runners so that drift hits them alike. The target sshd's CPU (its own and
 * its reaped sessions') is read around each round and reported apart. Then the warm second job
 * (`warm-phase.ts`): Remex over kept connections vs a bare ssh2 warm-exec loop.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { startSshFleet, type SshFleet, tempDir, type TempDir } from '@remex/testkit';

import type { BenchOptions } from '../lib/args.ts';
import { forget, removeOnExit } from '../lib/exit-cleanup.ts';
import { descendantsOf, directChildCount, findPidByCmdline, totalCpuMs } from '../lib/proc-stat.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';
import { BareSsh2Runner } from './bare-ssh2-runner.ts';
import { type FanoutSummary, formatFanoutTable, summarize, targetVerdicts } from './fanout-report.ts';
import type { FanoutContext, FanoutRunner, RoundMeasure } from './fanout-types.ts';
import { peerRunners } from './peer-runners.ts';
import { RemexRunner } from './remex-runner.ts';
import { formatWarmPhase, runWarmPhase, type WarmPhaseResult } from './warm-phase.ts';

const run = promisify(execFile);
const COMMAND = 'echo ok';

/** All runners, baseline second so the table reads Remex, baseline, peers. */
function allRunners(): FanoutRunner[] {
  return [
    new RemexRunner(),
    // The same stack with ssh2 in the proxy's main thread (no worker threads, ADR 0025).
    new RemexRunner({ id: 'remex-main-thread', label: 'Remex, ssh2 in the main thread', sshWorkerThreads: 0 }),
    new BareSsh2Runner(),
    new BareSsh2Runner(true),
    ...peerRunners(),
  ];
}

/** Runners left out unless `--runners` names them. */
const OPT_IN = new Set(['ssh2-parsed']);

async function toolVersion(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 20_000 });
    return `${stdout}${stderr}`.trim().split('\n')[0] ?? '';
  } catch (e: unknown) {
    return `unavailable (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Measured data of one runner. */
interface RunnerData {
  id: string;
  label: string;
  skipped?: string;
  error?: string;
  rounds: (RoundMeasure & { sshdCpuMs: number; load1: number })[];
}

async function runSection(options: BenchOptions, log: (line: string) => void): Promise<SectionResult> {
  const wanted = options.runners;
  const runners = allRunners().filter((r) => (wanted ? wanted.includes(r.id) : !OPT_IN.has(r.id)));
  let fleet: SshFleet | undefined;
  let dir: TempDir | undefined;
  const data: RunnerData[] = runners.map((r) => ({ id: r.id, label: r.label, rounds: [] }));
  let warm: WarmPhaseResult | undefined;
  try {
    dir = await tempDir('remex-bench-');
    removeOnExit(dir.path);
    const keyFile = join(dir.path, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'remex-bench', '-f', keyFile]);
    log(`starting an sshd fleet of ${options.hosts} loopback hosts…`);
    fleet = await startSshFleet({ hosts: options.hosts });
    await fleet.authorize((await readFile(`${keyFile}.pub`, 'utf8')).trim());
    const sshdPid = findPidByCmdline(join(dirname(fleet.sshd.authorizedKeysFile), 'sshd_config'));
    if (sshdPid === undefined) throw new Error('cannot find the fleet sshd process');
    const ctx: FanoutContext = {
      fleet,
      hosts: fleet.hosts,
      concurrency: options.concurrency,
      command: COMMAND,
      keyFile,
      workDir: dir.path,
      roundTimeoutMs: options.roundTimeoutSeconds * 1000,
      async waitSshdQuiet(timeoutMs = 20_000) {
        const until = Date.now() + timeoutMs;
        while (descendantsOf(sshdPid).length > 0 && Date.now() < until) await sleep(25);
      },
    };

    const active: { runner: FanoutRunner; data: RunnerData }[] = [];
    for (const [i, runner] of runners.entries()) {
      const d = data[i]!;
      try {
        const note = await runner.setup(ctx);
        if (note) {
          d.skipped = note;
          log(`${runner.label}: ${note}`);
          continue;
        }
        if (!runner.oneShot) {
          log(`${runner.label}: warm-up round…`);
          const warm = await runner.round(ctx);
          if (warm.failures.length > 0) log(`${runner.label}: warm-up had ${warm.failures.length} failure(s): ${warm.failures.slice(0, 3).join('; ')}`);
        }
        active.push({ runner, data: d });
      } catch (e: unknown) {
        d.error = e instanceof Error ? e.message : String(e);
        log(`${runner.label}: setup failed: ${d.error}`);
        await runner.teardown().catch(() => undefined);
      }
    }
    const totalRounds = Math.max(options.rounds, options.peerRounds);
    for (let round = 1; round <= totalRounds; round++) {
      for (const a of active) {
        const rounds = a.runner.oneShot ? options.peerRounds : options.rounds;
        if (a.data.error || round > rounds) continue;
        try {
          await ctx.waitSshdQuiet();
          const load1 = loadavg()[0]!;
          const sshd0 = totalCpuMs(sshdPid);
          // Sessions open on the target, sampled every 100 ms: does the runner keep `concurrency` in flight?
          const sessions: number[] = [];
          const sampler = setInterval(() => {
            const n = directChildCount(sshdPid);
            if (n !== undefined) sessions.push(n);
          }, 100);
          let m: RoundMeasure;
          try {
            m = await a.runner.round(ctx);
          } finally {
            clearInterval(sampler);
          }
          const sshdCpuMs = totalCpuMs(sshdPid) - sshd0;
          const busy = sessions.filter((n) => n > 0);
          const sessionStats = { sshdSessionsMean: busy.length ? Math.round(busy.reduce((x, y) => x + y, 0) / busy.length) : Number.NaN, sshdSessionsMax: Math.max(0, ...sessions) };
          m.extra = { ...m.extra, ...sessionStats };
          a.data.rounds.push({ ...m, sshdCpuMs, load1 });
          log(
            `round ${round}/${rounds} ${a.runner.label}: ${(options.hosts / (m.wallMs / 1000)).toFixed(1)} hosts/s, ` +
              `wall ${m.wallMs.toFixed(0)} ms, cpu ${m.cpuMs.toFixed(0)} ms, sshd ${sshdCpuMs.toFixed(0)} ms, load ${load1.toFixed(1)}, ` +
              `sessions mean ${sessionStats.sshdSessionsMean} max ${sessionStats.sshdSessionsMax}` +
              (m.failures.length > 0 ? `, ${m.failures.length} failure(s): ${m.failures.slice(0, 2).join('; ')}` : ''),
          );
        } catch (e: unknown) {
          a.data.error = e instanceof Error ? e.message : String(e);
          log(`${a.runner.label}: round ${round} failed: ${a.data.error}`);
        }
      }
    }
    if (runners.some((r) => r.id === 'remex' || r.id === 'ssh2')) {
      for (const r of runners) await r.teardown().catch(() => undefined);
      log('warm second job: Remex with warm connections vs a bare ssh2 warm-exec loop…');
      warm = await runWarmPhase(ctx, options, sshdPid, log);
    }
  } finally {
    for (const r of runners) await r.teardown().catch(() => undefined);
    await fleet?.stop().catch(() => undefined);
    await dir?.cleanup().catch(() => undefined);
    if (dir) forget(dir.path);
  }

  const summaries: FanoutSummary[] = data.map((d) => summarize(d, options.hosts));
  const verdicts = targetVerdicts(summaries);
  const versions = {
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    openssh: await toolVersion('ssh', ['-V']),
    pssh: await toolVersion('parallel-ssh', ['--version']),
    clush: await toolVersion('clush', ['--version']),
    ansible: await toolVersion('ansible', ['--version']),
    commit: await toolVersion('git', ['rev-parse', 'HEAD']),
    // Uncommitted changes of the measured code (other people may be editing the tree).
    uncommittedServerProxyFiles: (await run('git', ['status', '--porcelain', '--', 'packages/server/src', 'packages/proxy/src', 'packages/common/src']).catch(() => ({ stdout: '' }))).stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.slice(3)),
  };
  return {
    text:
      formatFanoutTable(summaries, verdicts, { hosts: options.hosts, concurrency: options.concurrency, rounds: options.rounds, peerRounds: options.peerRounds, command: COMMAND }) +
      (warm ? formatWarmPhase(warm, summaries, options.hosts) : ''),
    data: {
      hosts: options.hosts,
      concurrency: options.concurrency,
      rounds: options.rounds,
      peerRounds: options.peerRounds,
      command: COMMAND,
      environment: versions,
      summaries,
      targets: verdicts,
      warm: warm ? { ratioVsSsh2Warm: warm.ratio, atLeast09x: warm.atLeast09x, summaries: warm.summaries } : undefined,
      raw: data.map((d) => ({
        ...d,
        rounds: d.rounds.map(({ latenciesMs, failures, ...rest }) => ({ ...rest, hostsOk: latenciesMs.length, failures: failures.slice(0, 20) })),
      })),
    },
  };
}

/** The fan-out benchmark section (`--only fanout`). */
export const fanoutSection: BenchSection = {
  name: 'fanout',
  description: 'trivial command to N loopback hosts: Remex full stack vs a bare ssh2 loop vs pssh, clush, ansible',
  run: runSection,
};
