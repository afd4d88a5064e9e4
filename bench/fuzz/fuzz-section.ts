/**
 * @module
 * The template fuzz section: the ERB budget campaign of `packages/erb/test/budget/fuzz-campaign.ts`
 * (fast-check; nested and shared structures through the expensive builtins), run far longer than
 * in `npm test` (default 1,000 cases; `REMEX_BENCH_FUZZ_RUNS` changes it). It reports how renders
 * ended and the worst render time. A render that aborts, hangs or escapes the meter is a failure.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { FuzzSummary } from '../../packages/erb/test/budget/fuzz-campaign.ts';
import type { BenchOptions } from '../lib/args.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';

const CAMPAIGN = fileURLToPath(new URL('../../packages/erb/test/budget/fuzz-campaign.ts', import.meta.url));

/** The campaign's own summary line (only the type is imported: the file runs when loaded). */
type Summary = FuzzSummary;

function runCampaign(runs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CAMPAIGN], { env: { ...process.env, REMEX_FUZZ_RUNS: String(runs) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    // Bounded: a campaign that outlives this is a hang (each render is limited to seconds).
    const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function runSection(_options: BenchOptions, log: (line: string) => void): Promise<SectionResult> {
  const runs = Number(process.env.REMEX_BENCH_FUZZ_RUNS ?? 1000);
  log(`template fuzz: ${runs} fast-check cases in a child process…`);
  const started = Date.now();
  const r = await runCampaign(runs);
  const seconds = (Date.now() - started) / 1000;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let summary: Summary | null = null;
  try {
    summary = JSON.parse(line) as Summary;
  } catch {
    summary = null;
  }
  if (!summary || r.code !== 0 || r.signal) {
    throw new Error(`fuzz campaign failed (exit ${String(r.code)}, signal ${String(r.signal)}): ${summary?.failure ?? r.stderr.slice(-1000)}`);
  }
  const text = [
    `template fuzz: ${summary.runs} cases (seed ${summary.seed}) in ${seconds.toFixed(1)} s, outcomes ${JSON.stringify(summary.outcomes)}`,
    `worst render: ${summary.worstMs} ms (wall clock on this machine; every render ended by its step budget or finished)`,
    `failure: ${summary.failure ?? 'none'}`,
  ].join('\n');
  return { text, data: { ...summary, seconds } };
}

/** The template fuzz section (`--only fuzz`). */
export const fuzzSection: BenchSection = {
  name: 'fuzz',
  description: 'ERB render-budget fuzz campaign (fast-check, 1,000 cases by default)',
  run: runSection,
};
