/**
 * @module
 * Child process: renders the templates given as a JSON array in argv[2] with default limits
 * and prints one JSON {@link RenderOutcome} per line.
 * Run: `node --import tsx packages/erb/test/budget/run-templates.ts '["<%= 1 %>"]'`.
 */
import { renderOutcome } from './outcome.ts';

const templates = JSON.parse(process.argv[2] ?? '[]') as string[];
for (const src of templates) process.stdout.write(`${JSON.stringify(renderOutcome(src, {}))}\n`);
