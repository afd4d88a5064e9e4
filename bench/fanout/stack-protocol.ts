/**
 * @module
 * What the fan-out benchmark's parent and its `stack-main.ts` / `bare-ssh2-main.ts` children
 * exchange over the IPC channel.
 */

/** Settings the parent passes to a proxy child in `BENCH_PROXY` (JSON). */
export interface BenchProxySettings {
  /** The proxy's name (as registered). */
  name: string;
  serverUrl: string;
  token: string;
  dataDir: string;
  maxConcurrentSessions: number;
  /** The proxy's `ssh_connection_idle_timeout`, s: `0` for fresh connections every job, more for the warm measurement. */
  sshConnectionIdleTimeout: number;
  /** The proxy's `ssh_worker_threads` (Default: the proxy's own default). */
  sshWorkerThreads?: number | undefined;
}

/** Admin password of the benchmark server. */
export const BENCH_ADMIN_PASSWORD = 'bench-admin-pw';

/** Parent → stack child. */
export type StackParentMessage =
  | { type: 'stop' }
  | { type: 'stats' }
  | { type: 'registerProxy'; name: string; url: string }
  | { type: 'issueCredential'; name: string };

/** A stack child's answer to `{type:'stats'}`: event-loop delay since the previous one, ms. */
export interface StackStats {
  type: 'stats';
  loopDelayMs: { mean: number; p50: number; p99: number; max: number };
}

/** Settings of the bare ssh2 child, in the JSON file named by `BENCH_SSH2_FILE`. */
export interface BareSsh2Settings {
  targets: { name: string; address: string }[];
  port: number;
  user: string;
  privateKeyFile: string;
  concurrency: number;
  command: string;
  /** Parse the private key once and hand ssh2 the parsed key (instead of the PEM text per connection). */
  preParsedKey: boolean;
  /** Run `command` inside the script provider's wrapper (the script on stdin, run by its interpreter; ADR 0026), as Remex does. */
  wrapped?: boolean;
}

/** Parent → bare ssh2 child (`connect` and `warmRound`: the warm mode over kept connections). */
export type BareParentMessage = { type: 'round' } | { type: 'connect' } | { type: 'warmRound' } | { type: 'stop' };

/** One round of the bare ssh2 child, measured inside it. */
export interface BareRoundReport {
  type: 'round';
  wallMs: number;
  /** Per host, ms from round start to exit status (NaN when it failed). */
  latenciesMs: number[];
  failures: string[];
  /** `process.cpuUsage()` delta (user + system) over the round, ms. */
  cpuMs: number;
  /** Event-loop delay over the round, ms. */
  loopDelayMs: { mean: number; p99: number; max: number };
}
