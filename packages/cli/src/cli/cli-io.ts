/**
 * @module
 * The CLI's view of the outside world: where it writes, which environment it reads, whether
 * stdout is a terminal. Commands never touch `process` directly, so tests run them in-process
 * with captured output and an injected environment.
 */
import { homedir } from 'node:os';

import { waitForStopSignal } from '@remex/common';

/** A sink for text, e.g. `process.stdout` or a test buffer. */
export interface TextSink {
  /** Writes text as-is (no newline added). */
  write(text: string): unknown;
  /** True when the sink is an interactive terminal (progress lines are redrawn in place). */
  isTTY?: boolean;
}

/** Everything a command may use from its environment. */
export interface CliIo {
  /** Normal output (tables, JSON, YAML, job output). */
  stdout: TextSink;
  /** Diagnostics and the one-line error message. */
  stderr: TextSink;
  /** Environment variables (`REMEX_URL`, `REMEX_USER`, `REMEX_PASSWORD`, `HOME`, …). */
  env: Record<string, string | undefined>;
  /** Working directory for relative file paths (default `process.cwd()`). */
  cwd: string;
  /** Home directory holding `.config/remex/cli.yml` (default `env.HOME`, else `os.homedir()`). */
  home: string;
  /**
   * Resolves when the user asks a long-running command (`up`, `server`) to stop.
   * Default: the first SIGINT or SIGTERM of this process.
   */
  waitForStop: () => Promise<void>;
  /**
   * Resolves on the next stop request while a long-running command is already stopping (it then
   * kills what is left); `abort` removes the wait. Default: the next SIGINT or SIGTERM.
   */
  waitForSecondStop?: (abort: AbortSignal) => Promise<void>;
  /** Sleep used by polling loops (injectable so tests need not wait). */
  sleep: (ms: number) => Promise<void>;
}

/** Promise-based sleep. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Builds a {@link CliIo}, filling unspecified parts from the real process.
 * @param overrides - parts to replace (tests pass `stdout`, `stderr`, `env`)
 */
export function createCliIo(overrides: Partial<CliIo> = {}): CliIo {
  const env = overrides.env ?? process.env;
  return {
    stdout: overrides.stdout ?? process.stdout,
    stderr: overrides.stderr ?? process.stderr,
    env,
    cwd: overrides.cwd ?? process.cwd(),
    home: overrides.home ?? env.HOME ?? homedir(),
    waitForStop: overrides.waitForStop ?? (() => waitForStopSignal()),
    waitForSecondStop: overrides.waitForSecondStop ?? waitForStopSignal,
    sleep: overrides.sleep ?? sleep,
  };
}
