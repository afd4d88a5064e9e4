/**
 * @module
 * The run ledger: rebuilds recorded by test workers are counted by the global teardown, which
 * fails a run with more than one.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';

import { createRunLedger, MAX_REBUILDS_PER_RUN, RUN_LEDGER_KEY, rebuildProblem, rebuildsIn, recordRebuild, removeRunLedger } from '@remex/testkit';

describe('run ledger', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeRunLedger(d);
  });

  it('is provided to the test workers by the global setup', () => {
    const dir = inject(RUN_LEDGER_KEY);
    expect(typeof dir).toBe('string');
    expect(dir).toMatch(/remex-run-/);
  });

  it('counts rebuilds and fails only past the allowed number', () => {
    const dir = createRunLedger();
    dirs.push(dir);
    expect(rebuildsIn(dir)).toEqual([]);
    expect(rebuildProblem(rebuildsIn(dir))).toBeNull();
    for (let i = 1; i <= MAX_REBUILDS_PER_RUN; i++) recordRebuild(dir, 'run-ledger unit test', `made-up reason\n(#${i})`);
    expect(rebuildsIn(dir)).toHaveLength(MAX_REBUILDS_PER_RUN);
    expect(rebuildProblem(rebuildsIn(dir))).toBeNull();
    recordRebuild(dir, 'run-ledger unit test', 'made-up reason: Permission denied (publickey)');
    const problem = rebuildProblem(rebuildsIn(dir));
    expect(problem).toContain(`${MAX_REBUILDS_PER_RUN + 1} fleet-stack rebuilds in this run`);
    expect(problem).toContain('run-ledger unit test: made-up reason: Permission denied (publickey)');
    // one line per rebuild, whatever the reason contains
    expect(rebuildsIn(dir).every((l) => !l.includes('\n'))).toBe(true);
  });

  it('records nothing on disk without a ledger, and says what it would have recorded', () => {
    expect(recordRebuild(undefined, 'run-ledger unit test', 'why')).toMatch(/run-ledger unit test: why$/);
  });
});
