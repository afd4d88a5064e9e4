/**
 * @module
 * A benchmark section: one named, self-contained measurement that `bench/run.ts` can run alone
 * (`--only <name>`). Later issues add sections (ERB render rate, search at 100k hosts) by adding
 * an entry to the registry in `bench/sections.ts`.
 */
import type { BenchOptions } from './args.ts';

/** What a section hands back: printable lines and a JSON-serialisable result. */
export interface SectionResult {
  /** Human-readable report (tables, notes), printed as is. */
  text: string;
  /** Goes under `sections.<name>` of `bench/results/<date>.json`. */
  data: unknown;
}

/** One benchmark section. */
export interface BenchSection {
  /** Name used by `--only`. */
  name: string;
  /** One line describing what is measured. */
  description: string;
  /** Runs the section; throws only on setup failure (the run goes on with the other sections). */
  run(options: BenchOptions, log: (line: string) => void): Promise<SectionResult>;
}
