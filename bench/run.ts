/**
 * @module
 * `npm run bench -- [--only fanout,erb] [--hosts 200] [--concurrency 200] [--rounds 3]`: runs the
 * selected benchmark sections one after the other, prints each one's report and writes
 * `bench/results/<YYYY-MM-DD>.json` (see `bench/README.md`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';

import { parseBenchArgs, USAGE } from './lib/args.ts';
import { SECTIONS } from './sections.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\nsections:\n${SECTIONS.map((s) => `  ${s.name.padEnd(10)} ${s.description}`).join('\n')}\n`);
    return 0;
  }
  const unknown = (options.only ?? []).filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown section(s): ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
  const selected = SECTIONS.filter((s) => !options.only || options.only.includes(s.name));
  const started = new Date();
  const log = (line: string): void => {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  };
  const sections: Record<string, unknown> = {};
  let failed = false;
  for (const section of selected) {
    log(`section ${section.name}: ${section.description}`);
    try {
      const result = await section.run(options, log);
      process.stdout.write(`\n== ${section.name} ==\n${result.text}\n`);
      sections[section.name] = result.data;
    } catch (e: unknown) {
      failed = true;
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      process.stdout.write(`\n== ${section.name} ==\nFAILED: ${message}\n`);
      sections[section.name] = { error: message };
    }
  }
  if (!options.noWrite) {
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = `${RESULTS_DIR}${started.toISOString().slice(0, 10)}.json`;
    const report = { started: started.toISOString(), finished: new Date().toISOString(), host: hostname(), argv: process.argv.slice(2), sections };
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\nresults written to ${file}\n`);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
