/**
 * @module
 * The one list of quarantined tests: flaky tests that could not be fixed yet, skipped by exact
 * name with a reason and a date (`it.skipIf(quarantined('…'))`). Nothing is retried silently
 * (the root `vitest.config.ts` has `retry: 0`); an entry here is an open defect, not a fix.
 */

/** A quarantined test: its exact name (as given to `it`), why, and since when. */
export interface QuarantineEntry {
  /** Exact test name. */
  name: string;
  /** One line: what flakes and what is known about it. */
  reason: string;
  /** Date (YYYY-MM-DD) the test was quarantined. */
  since: string;
}

/** Quarantined tests; keep it as short as possible (ideally empty). */
export const QUARANTINE: readonly QuarantineEntry[] = [];

/**
 * True when the test named `name` is quarantined; a quarantined test also prints why it is
 * skipped, so that a run never hides one.
 */
export function quarantined(name: string): boolean {
  const entry = QUARANTINE.find((q) => q.name === name);
  if (entry === undefined) return false;
  process.stderr.write(`QUARANTINED (since ${entry.since}): "${name}": ${entry.reason}\n`);
  return true;
}
