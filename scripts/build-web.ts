/**
 * @module
 * Builds the web UI (`packages/web/dist`) when it is missing or older than its sources; run by
 * `npm start` (prestart). `--force` always builds.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { newest } from './lib/newest.ts';

const web = fileURLToPath(new URL('../packages/web/', import.meta.url));


/** True when `dist/index.html` is missing or older than a source of the UI. */
export function needsBuild(): boolean {
  const built = newest(join(web, 'dist', 'index.html'));
  if (built === 0) return true;
  const sources = Math.max(newest(join(web, 'src')), newest(join(web, 'index.html')), newest(join(web, 'vite.config.ts')), newest(join(web, 'package.json')));
  return sources > built;
}

if (process.argv.includes('--force') || needsBuild()) {
  process.stderr.write('building the web UI (packages/web/dist)…\n');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('web UI build failed: the API still works; the UI at / will say it is not built\n');
    process.exitCode = 0;
  }
}
