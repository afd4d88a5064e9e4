/**
 * @module
 * The baseline runner: a bare ssh2 connect + exec + exit loop in its own child process
 * (`bare-ssh2-main.ts`), same hosts, key and concurrency as the others. Its CPU is read from
 * `/proc/<pid>/stat` around each round, like Remex's.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { TEST_USER } from '@remex/testkit';

import { type BenchChild, forkChild } from '../lib/child.ts';
import { totalCpuMs } from '../lib/proc-stat.ts';
import type { FanoutContext, FanoutRunner, RoundMeasure } from './fanout-types.ts';
import type { BareRoundReport, BareSsh2Settings } from './stack-protocol.ts';

const BARE_MAIN = fileURLToPath(new URL('./bare-ssh2-main.ts', import.meta.url));

/**
 * Bare ssh2 loop runner. The `ssh2` baseline hands ssh2 the key text (parsed again on every
 * connection, as the proxy does today); the `ssh2-parsed` variant (only with `--runners`) parses
 * it once, to show what that costs.
 */
export class BareSsh2Runner implements FanoutRunner {
  readonly id: string;
  readonly label: string;
  readonly #preParsedKey: boolean;
  readonly #warm: boolean;
  readonly #wrapped: boolean;
  #child: BenchChild | undefined;

  /**
   * @param warm - the warm-exec loop: `setup` opens a connection to every host and keeps it,
   *   each round runs the command over those open connections
   * @param wrapped - with `warm`: the command runs inside the script provider's wrapper, the
   *   remote work a Remex task does
   */
  constructor(preParsedKey = false, warm = false, wrapped = false) {
    this.#preParsedKey = preParsedKey;
    this.#warm = warm;
    this.#wrapped = warm && wrapped;
    this.id = this.#wrapped ? 'ssh2-warm-wrapped' : warm ? 'ssh2-warm' : preParsedKey ? 'ssh2-parsed' : 'ssh2';
    this.label = this.#wrapped
      ? "bare ssh2 warm-exec, Remex's wrapper"
      : warm
        ? 'bare ssh2 warm-exec loop'
        : preParsedKey
          ? 'bare ssh2, key parsed once'
          : 'bare ssh2 loop';
  }

  async setup(ctx: FanoutContext): Promise<string | undefined> {
    const settings: BareSsh2Settings = {
      targets: ctx.hosts.map((h) => ({ name: h.name, address: h.address })),
      port: ctx.fleet.port,
      user: TEST_USER.name,
      privateKeyFile: ctx.keyFile,
      concurrency: ctx.concurrency,
      command: ctx.command,
      preParsedKey: this.#preParsedKey,
      wrapped: this.#wrapped,
    };
    // In a file: thousands of targets do not fit in the environment (E2BIG).
    const settingsFile = join(ctx.workDir, `${this.id}-settings.json`);
    await writeFile(settingsFile, JSON.stringify(settings));
    this.#child = await forkChild(BARE_MAIN, [], { BENCH_SSH2_FILE: settingsFile }, this.id);
    await this.#child.next('ready', 60_000);
    if (this.#warm) {
      this.#child.send({ type: 'connect' });
      const connected = await this.#child.next<{ failures: string[] }>('connected', ctx.roundTimeoutMs);
      if (connected.failures.length > 0) throw new Error(`${connected.failures.length} host(s) could not be connected: ${connected.failures.slice(0, 3).join('; ')}`);
    }
    return undefined;
  }

  async round(ctx: FanoutContext): Promise<RoundMeasure> {
    const child = this.#child!;
    const cpu0 = totalCpuMs(child.pid);
    child.send({ type: this.#warm ? 'warmRound' : 'round' });
    const report = await child.next<BareRoundReport>('round', ctx.roundTimeoutMs);
    await ctx.waitSshdQuiet();
    const cpuMs = totalCpuMs(child.pid) - cpu0;
    return {
      wallMs: report.wallMs,
      // NaN (failed host) arrives as null over IPC.
      latenciesMs: report.latenciesMs.filter((x) => typeof x === 'number' && Number.isFinite(x)),
      failures: report.failures,
      cpuMs,
      extra: { cpuInsideMs: report.cpuMs, loopDelayMeanMs: report.loopDelayMs.mean, loopDelayP99Ms: report.loopDelayMs.p99, loopDelayMaxMs: report.loopDelayMs.max },
    };
  }

  async teardown(): Promise<void> {
    await this.#child?.stop(2_000);
    this.#child = undefined;
  }
}
