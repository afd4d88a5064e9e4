/**
 * @module
 * Test helper: the setup the CLI integration test files share: one {@link CliServer} per file
 * (started in `beforeAll`, stopped in `afterAll`) and `ok`, which runs a command that must succeed.
 */
import { afterAll, beforeAll, expect } from 'vitest';

import { type CliServer, startCliServer } from './cli-server.ts';

/**
 * Runs a command that must succeed (empty stderr, exit code 0) and returns its stdout.
 * @param s - the server whose CLI runs the command
 * @param argv - the command line after `remex`
 */
export async function runOk(s: CliServer, ...argv: string[]): Promise<string> {
  const r = await s.cli.run(...argv);
  expect(r.stderr, `remex ${argv.join(' ')}`).toBe('');
  expect(r.code, `remex ${argv.join(' ')}`).toBe(0);
  return r.stdout;
}

/** The file's server (its fields readable once `beforeAll` has run) and {@link runOk} bound to it. */
export interface CliSuite extends CliServer {
  /** Runs a command that must succeed and returns its stdout. */
  ok: (...argv: string[]) => Promise<string>;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start a server for the current test file and stop it.
 * @param afterStart - further setup once the server runs (still inside `beforeAll`)
 */
export function useCliServer(afterStart?: (s: CliServer) => Promise<void>): CliSuite {
  let current: CliServer | undefined;
  beforeAll(async () => {
    current = await startCliServer();
    await afterStart?.(current);
  });
  afterAll(async () => {
    await current?.stop();
  });
  const started = (): CliServer => {
    if (!current) throw new Error('the CLI test server is not started (use it inside tests and hooks)');
    return current;
  };
  return {
    get server() {
      return started().server;
    },
    get cli() {
      return started().cli;
    },
    get dir() {
      return started().dir;
    },
    get env() {
      return started().env;
    },
    stop: () => started().stop(),
    ok: (...argv) => runOk(started(), ...argv),
  };
}
