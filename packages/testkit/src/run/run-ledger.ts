/**
 * @module
 * A ledger shared by every test file of one Vitest run: the global setup creates a directory and
 * hands its path to the test workers (`provide('remexRunLedger')`, read with `inject`); workers
 * append one line per event; the global teardown reads it back. Used to count fleet-stack
 * rebuilds across files, so that a run where rebuilds hide a broken stack fails.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Key under which the global setup provides the ledger directory. */
export const RUN_LEDGER_KEY = 'remexRunLedger';

/** Rebuilds allowed in one run before the global teardown fails it. */
export const MAX_REBUILDS_PER_RUN = 1;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Directory of this run's ledger (see `@remex/testkit` `run-ledger.ts`). */
    remexRunLedger: string;
  }
}

const REBUILDS_FILE = 'rebuilds.log';

/** Creates the ledger directory of a new run (global setup). */
export function createRunLedger(): string {
  return mkdtempSync(join(tmpdir(), 'remex-run-'));
}

/** Removes the ledger directory (global teardown); safe to call twice. */
export function removeRunLedger(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Records one rebuild of a shared test resource: prints it on stderr and, when `dir` is a run
 * ledger, appends it there so that the global teardown counts it. Returns the line written.
 */
export function recordRebuild(dir: string | undefined, what: string, reason: string): string {
  const line = `${new Date().toISOString()} ${what}: ${reason.replace(/\s+/g, ' ')}`;
  process.stderr.write(`REBUILD ${line}\n`);
  if (dir !== undefined) appendFileSync(join(dir, REBUILDS_FILE), `${line}\n`);
  return line;
}

/** The rebuilds recorded in the ledger `dir`, oldest first. */
export function rebuildsIn(dir: string): string[] {
  try {
    return readFileSync(join(dir, REBUILDS_FILE), 'utf8').split('\n').filter((l) => l !== '');
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * What the global teardown reports about the run's rebuilds: null when within
 * {@link MAX_REBUILDS_PER_RUN}, else the message that fails the run.
 */
export function rebuildProblem(rebuilds: readonly string[]): string | null {
  if (rebuilds.length <= MAX_REBUILDS_PER_RUN) return null;
  return (
    `${rebuilds.length} fleet-stack rebuilds in this run (at most ${MAX_REBUILDS_PER_RUN} allowed): ` +
    `a stack that keeps failing its smoke job is a defect to fix, not to retry.\n  ${rebuilds.join('\n  ')}`
  );
}
