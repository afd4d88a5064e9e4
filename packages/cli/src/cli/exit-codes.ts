/**
 * @module
 * Exit codes of the `remex` command and the one mapping from errors to them (used by the single
 * top-level catch in `main`).
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | any other error (server unreachable, internal error, unexpected answer) |
 * | 2 | usage or validation error (bad option, `InputError`, `ConflictError`) |
 * | 3 | not found (`NotFoundError`: unknown host, template, job, file) |
 * | 4 | authentication or permission (`AuthenticationError`, `NotAllowedError`) |
 * | 5 | a followed job finished `failed` or `cancelled` ({@link JobFailedError}) |
 */
import { CommanderError } from 'commander';

import { coerceError } from '@remex/common';

/** Named exit codes (see the module table). */
export const EXIT_CODES = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  jobFailed: 5,
} as const;

/**
 * Thrown by `job-invocation create` (when following) once the job ends `failed` or `cancelled`.
 * The per-host results have already been printed; this only sets the message and exit code.
 */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';
}

/**
 * Maps anything thrown to an exit code.
 * @param value - the caught value
 */
export function exitCodeOf(value: unknown): number {
  if (value instanceof CommanderError) {
    // Help and version "errors" are successes; everything else commander throws is usage.
    return value.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  const err = coerceError(value);
  switch (err.name) {
    case 'InputError':
    case 'ConflictError':
      return EXIT_CODES.usage;
    case 'NotFoundError':
      return EXIT_CODES.notFound;
    case 'AuthenticationError':
    case 'NotAllowedError':
      return EXIT_CODES.auth;
    case 'JobFailedError':
      return EXIT_CODES.jobFailed;
    default:
      return EXIT_CODES.error;
  }
}

/**
 * What is printed on stderr for an error: `Error: <message>` (commander's own `error: ` prefix
 * removed; the message's own line breaks kept, commander's usage messages on one line).
 * @param value - the caught value
 */
export function errorLine(value: unknown): string {
  const err = coerceError(value);
  let message = err.message.replace(/^error:\s*/i, '').trim();
  // Line breaks of errors stay (a search error's caret excerpt only reads right on its own
  // lines); commander's usage errors are folded onto one line.
  const code = (err as { code?: unknown }).code;
  const usage = typeof code === 'string' && code.startsWith('commander.');
  message = usage
    ? message.replace(/\s*\n\s*/g, ' ')
    : message
        .split('\n')
        .map((line) => line.trimEnd())
        .join('\n');
  if (!message) message = err.name;
  return `Error: ${message}`;
}
