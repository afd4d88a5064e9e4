/**
 * @module
 * Test helper: a {@link CliIo} whose stdout/stderr are captured strings, with an injected
 * environment and a throwaway home directory, plus `run()` to execute `remex` in-process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type CliIo, createCliIo, main } from '@remex/cli';

/** Captured output of one or more runs. */
export interface CapturedIo {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
  /** Clears both buffers. */
  reset: () => void;
  /** Runs `remex <argv>` in-process; returns the exit code and what this run printed. */
  run: (...argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * Builds a captured I/O.
 * @param env - environment (REMEX_URL, REMEX_PASSWORD, …); HOME defaults to a fresh temp dir
 * @param options - `tty` makes stdout claim to be a terminal; `cwd` sets the working directory
 */
export function captureIo(env: Record<string, string | undefined> = {}, options: { tty?: boolean; cwd?: string } = {}): CapturedIo {
  let out = '';
  let err = '';
  const home = env.HOME ?? mkdtempSync(path.join(tmpdir(), 'remex-cli-home-'));
  const io = createCliIo({
    stdout: { write: (s: string) => (out += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (err += s) },
    env: { HOME: home, ...env },
    home,
    cwd: options.cwd ?? process.cwd(),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
    waitForStop: () => Promise.resolve(),
  });
  const captured: CapturedIo = {
    io,
    stdout: () => out,
    stderr: () => err,
    reset: () => {
      out = '';
      err = '';
    },
    run: async (...argv) => {
      const o0 = out.length;
      const e0 = err.length;
      const code = await main(argv, io);
      return { code, stdout: out.slice(o0), stderr: err.slice(e0) };
    },
  };
  return captured;
}
