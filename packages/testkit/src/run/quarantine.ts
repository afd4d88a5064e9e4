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
export const QUARANTINE: readonly QuarantineEntry[] = [
  {
    name: 'dispatch a 30-host job at concurrency 5; one is killed while it renders its claims; every host ends, the limit holds',
    reason:
      "one clean-clone run (1 in 4 full runs): a host of the surviving server's share failed with the proxy's 'Cannot parse privateKey: Malformed OpenSSH private key' instead of running; cause not found (the proxy parses its own key once); the launch-in-flight scenario of the same file still runs",
    since: '2026-12-04',
  },
];

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
