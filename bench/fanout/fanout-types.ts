/**
 * @module
 * Shapes shared by the fan-out section and its runners.
 */
import type { FleetHost, SshFleet } from '@remex/testkit';

/** Everything a runner needs to reach the fleet the same way as the others. */
export interface FanoutContext {
  /** The target SSH server (a real sshd fleet, or the scale section's simulated one). */
  fleet: Pick<SshFleet, 'port' | 'authorize'>;
  hosts: readonly FleetHost[];
  /** Sessions in flight at once. */
  concurrency: number;
  /** The trivial command every runner fans out. */
  command: string;
  /** ed25519 private key authorized on the fleet (the peers and the bare loop use it). */
  keyFile: string;
  /** Scratch dir of this run. */
  workDir: string;
  /** Longest a round may take, ms. */
  roundTimeoutMs: number;
  /** Waits until the target sshd has no live sessions left (all reaped), up to `timeoutMs`. */
  waitSshdQuiet(timeoutMs?: number): Promise<void>;
}

/** What one round of one runner measured. */
export interface RoundMeasure {
  /** From the start of the fan-out to the last host's result (Remex: to the `done` event). */
  wallMs: number;
  /** Per successful host, ms from the start to its result arriving at the orchestrator. */
  latenciesMs: number[];
  /** One line per host that did not succeed. */
  failures: string[];
  /** CPU of the orchestrating processes (user + system, children included), ms. */
  cpuMs: number;
  /** Per process CPU when there are several (Remex: server, proxy), ms. */
  cpuBreakdownMs?: Record<string, number>;
  /** Runner-specific extra timings, ms. */
  extra?: Record<string, number>;
}

/** One way of fanning the command out. */
export interface FanoutRunner {
  /** Short id used by `--runners`. */
  id: string;
  /** Display name. */
  label: string;
  /** True for tools started afresh every round (no warm-up, `--peer-rounds`). */
  oneShot?: boolean;
  /** Prepares; returns a note when the runner is unavailable here (then it is skipped). */
  setup(ctx: FanoutContext): Promise<string | undefined>;
  /** Runs the fan-out once over every host; returns after the target sshd is quiet again. */
  round(ctx: FanoutContext): Promise<RoundMeasure>;
  /** Stops what `setup` started. Idempotent. */
  teardown(): Promise<void>;
}
