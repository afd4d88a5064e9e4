/**
 * @module
 * The registry of benchmark sections, in run order. A new section (e.g. search at 100k hosts)
 * is one module exporting a {@link BenchSection} plus one line here.
 */
import { erbSection } from './erb/erb-section.ts';
import { fanoutSection } from './fanout/fanout-section.ts';
import { fuzzSection } from './fuzz/fuzz-section.ts';
import { scaleSection } from './scale/scale-section.ts';
import { searchSection } from './search/search-section.ts';
import { startupSection } from './startup/startup-section.ts';
import { webPageSection } from './web/webpage-section.ts';
import type { BenchSection } from './lib/section.ts';

/** Every section `npm run bench` knows, in run order. */
export const SECTIONS: readonly BenchSection[] = [fanoutSection, erbSection, fuzzSection, searchSection, startupSection, webPageSection, scaleSection];
