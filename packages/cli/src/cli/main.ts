/**
 * @module
 * `main`: runs `remex` with the single top-level catch that turns any error into one line on
 * stderr (`Error: <message>`) and an exit code (see `exit-codes.ts`). Stack traces only with
 * `REMEX_DEBUG=1`.
 */
import { CommanderError } from 'commander';

import { coerceError } from '@remex/common';

import { type CliIo, createCliIo } from './cli-io.ts';
import { errorLine, EXIT_CODES, exitCodeOf } from './exit-codes.ts';
import { createProgram } from './program.ts';

/** Commander "errors" that are really help/version output already printed. */
const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * Runs `remex` with the given arguments and returns the exit code (never calls `process.exit`).
 * @param argv - arguments after the program name, e.g. `['host', 'list']`
 * @param io - streams and environment (default: the real process)
 */
export async function main(argv: readonly string[], io: CliIo = createCliIo()): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (e: unknown) {
    if (e instanceof CommanderError && HELP_CODES.has(e.code)) return e.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    io.stderr.write(`${errorLine(e)}\n`);
    if (io.env.REMEX_DEBUG === '1') io.stderr.write(`${coerceError(e).stack ?? ''}\n`);
    return exitCodeOf(e);
  }
}
