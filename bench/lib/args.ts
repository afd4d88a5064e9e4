/**
 * @module
 * Command-line options of `npm run bench`.
 */

/** Parsed options. */
export interface BenchOptions {
  /** Sections to run (`--only fanout,erb`; Default: every registered section). */
  only: string[] | undefined;
  /** Fleet size of the fan-out section (`--hosts`, Default: 200). */
  hosts: number;
  /** Sessions in flight at once for every runner (`--concurrency`, Default: 200, the proxy's default). */
  concurrency: number;
  /** Measured rounds per runner after one warm-up round (`--rounds`, Default: 3). */
  rounds: number;
  /** Measured rounds of each peer tool (`--peer-rounds`, Default: 1; they start fresh processes every round, so they get no warm-up round either). */
  peerRounds: number;
  /** Fan-out runners to run (`--runners remex,ssh2,pssh,clush,ansible`; Default: all). */
  runners: string[] | undefined;
  /** Simulated hosts of the scale section (`--scale-hosts`, Default: 10000). */
  scaleHosts: number;
  /** Per-round time limit in seconds (`--round-timeout`, Default: 300). */
  roundTimeoutSeconds: number;
  /** Do not write `bench/results/<date>.json` (`--no-write`). */
  noWrite: boolean;
  /** Show usage. */
  help: boolean;
}

/** Usage text. */
export const USAGE = `Usage: npm run bench -- [options]
  --only LIST            sections to run, comma-separated (default: all; see the list below)
  --hosts N              loopback hosts of the fan-out (default 200)
  --concurrency N        sessions in flight for every runner (default 200)
  --rounds N             measured rounds per runner, after one warm-up round (default 3)
  --peer-rounds N        measured rounds of each peer tool, no warm-up (default 1)
  --runners LIST         fan-out runners: remex,ssh2,pssh,clush,ansible (default: all),
                         and ssh2-parsed (bare ssh2 with the key parsed once; opt-in)
  --scale-hosts N        simulated hosts of the scale section (default 10000)
  --round-timeout S      seconds before a round is abandoned (default 300)
  --no-write             do not write bench/results/<date>.json
`;

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer, got '${value ?? ''}'`);
  return n;
}

function list(value: string | undefined, name: string): string[] {
  if (value === undefined || value.trim() === '') throw new Error(`${name} needs a comma-separated list`);
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Parses `argv` (without node and script); accepts `--x=v` and `--x v`. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = { only: undefined, hosts: 200, concurrency: 200, rounds: 3, peerRounds: 1, runners: undefined, scaleHosts: 10_000, roundTimeoutSeconds: 300, noWrite: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const key = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq >= 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (key) {
      case '--only':
        o.only = list(value(), key);
        break;
      case '--hosts':
        o.hosts = positiveInt(key, value());
        break;
      case '--concurrency':
        o.concurrency = positiveInt(key, value());
        break;
      case '--rounds':
        o.rounds = positiveInt(key, value());
        break;
      case '--peer-rounds':
        o.peerRounds = positiveInt(key, value());
        break;
      case '--runners':
        o.runners = list(value(), key);
        break;
      case '--scale-hosts':
        o.scaleHosts = positiveInt(key, value());
        break;
      case '--round-timeout':
        o.roundTimeoutSeconds = positiveInt(key, value());
        break;
      case '--no-write':
        o.noWrite = true;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option '${arg}'\n${USAGE}`);
    }
  }
  return o;
}
