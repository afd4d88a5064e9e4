/**
 * @module
 * Child process: renders the templates given as a JSON array in argv[2] with the limits given as
 * JSON in argv[3] (Default: the defaults) and prints one JSON {@link RenderOutcome} per line.
 * Run: `node --import tsx packages/erb/test/budget/run-templates.ts '["<%= 1 %>"]'`.
 */
import type { ErbLimits } from '../../src/index.ts';
import { renderOutcome } from './outcome.ts';

const templates = JSON.parse(process.argv[2] ?? '[]') as string[];
const limits = JSON.parse(process.argv[3] ?? '{}') as Partial<ErbLimits>;
for (const src of templates) process.stdout.write(`${JSON.stringify(renderOutcome(src, limits))}\n`);
