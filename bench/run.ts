/**
 * @module
 * `npm run bench -- [--only fanout,erb] [--hosts 200] [--concurrency 200] [--rounds 3]`: runs the
 * selected benchmark sections one after the other, prints each one's report and appends the run
 * to `bench/results/<YYYY-MM-DD>.json` (`{runs: [...]}`; see `bench/README.md`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
    const run = { started: started.toISOString(), finished: new Date().toISOString(), host: hostname(), argv: process.argv.slice(2), sections };
    // One file per day; every run of that day is appended to its `runs`.
    let runs: unknown[] = [];
    try {
      const previous = JSON.parse(await readFile(file, 'utf8')) as { runs?: unknown[] };
      if (Array.isArray(previous.runs)) runs = previous.runs;
    } catch {
      runs = [];
    }
    runs.push(run);
    await writeFile(file, `${JSON.stringify({ runs }, null, 2)}\n`);
    process.stdout.write(`\nresults appended to ${file} (run ${runs.length} of the day)\n`);
  }
  return failed ? 1 : 0;
}

// Ctrl-C or a timeout: exit through process.exit so that the exit hooks stop the sshd fleet and
// peer tools; the server, proxy and ssh2 children leave when their IPC channel closes.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`bench: ${signal}, stopping\n`);
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
