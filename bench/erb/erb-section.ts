/**
 * @module
 * The ERB render-rate section: a thin wrapper over `packages/erb/bench/render-bench.ts`, owned by
 * the erb package. When that file exists and exports a function, the section calls it (preferring
 * `runRenderBench`, else the first exported function) and reports what it returns; otherwise it
 * is skipped with a note (a file without exports is a script that runs at import, so it is not
 * imported).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { BenchOptions } from '../lib/args.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';

const RENDER_BENCH = fileURLToPath(new URL('../../packages/erb/bench/render-bench.ts', import.meta.url));
const PREFERRED = ['runRenderBench', 'renderBench', 'runBench', 'bench'];

async function runSection(_options: BenchOptions, log: (line: string) => void): Promise<SectionResult> {
  let source: string;
  try {
    source = await readFile(RENDER_BENCH, 'utf8');
  } catch {
    const note = 'skipped: packages/erb/bench/render-bench.ts does not exist yet';
    return { text: `ERB render rate: ${note}`, data: { skipped: note } };
  }
  // The file may be a script that benchmarks at import time: import it only when it exports a function.
  if (!/^export\s+(?:async\s+)?function\s|^export\s+const\s+\w+\s*=\s*(?:async\s*)?\(/m.test(source)) {
    const note = 'skipped: packages/erb/bench/render-bench.ts exports no function to call (it is a script: run it with node --import tsx)';
    return { text: `ERB render rate: ${note}`, data: { skipped: note } };
  }
  const mod = (await import(pathToFileURL(RENDER_BENCH).href)) as Record<string, unknown>;
  const name = PREFERRED.find((n) => typeof mod[n] === 'function') ?? Object.keys(mod).find((n) => typeof mod[n] === 'function');
  if (!name) {
    const note = 'skipped: packages/erb/bench/render-bench.ts exports no function to call';
    return { text: `ERB render rate: ${note}`, data: { skipped: note } };
  }
  log(`ERB render rate: calling ${name}() from packages/erb/bench/render-bench.ts…`);
  const result: unknown = await (mod[name] as () => unknown)();
  const text = typeof result === 'string' ? result : JSON.stringify(result, null, 2);
  return { text: `ERB render rate (packages/erb/bench/render-bench.ts, ${name}()):\n${text ?? '(no result)'}`, data: { function: name, result: result ?? null } };
}

/** The ERB render-rate section (`--only erb`). */
export const erbSection: BenchSection = {
  name: 'erb',
  description: 'ERB template render rate (packages/erb/bench/render-bench.ts)',
  run: runSection,
};
