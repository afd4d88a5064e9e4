/**
 * @module
 * The process-level safety net of a `remex up` child: an uncaught exception or an unhandled
 * promise rejection is logged with its stack on stderr and the process exits at once with
 * {@link CRASH_EXIT_CODE}; the supervisor then starts a fresh process. Resuming after an uncaught
 * exception is what Node advises against (the process state is unknown). Errors thrown while a
 * request is handled never get here: Fastify hands them to the error handler (a 500 answer).
 */
import { coerceError } from '@remex/common';

/** Exit code of a child that died of an uncaught exception or unhandled rejection (EX_SOFTWARE). */
export const CRASH_EXIT_CODE = 70;

/**
 * Installs the safety net on this process.
 * @param label - names the process in the log line (read when it fires)
 */
export function installSafetyNet(label: () => string): void {
  const die = (kind: string, value: unknown): void => {
    const e = coerceError(value);
    process.stderr.write(`${label()} (pid ${process.pid}): ${kind}, exiting: ${e.stack ?? e.message}\n`);
    process.exit(CRASH_EXIT_CODE);
  };
  process.on('uncaughtException', (e) => die('uncaught exception', e));
  process.on('unhandledRejection', (e) => die('unhandled promise rejection', e));
}
