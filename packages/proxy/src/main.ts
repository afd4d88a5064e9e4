/**
 * @module
 * Stand-alone entry point: `node --import tsx packages/proxy/src/main.ts --config proxy.yml`.
 * Errors print one line and exit non-zero.
 */
import { coerceError } from '@remex/common';

import { runProxyMain } from './run-proxy-main.ts';

try {
  await runProxyMain(process.argv.slice(2));
} catch (e: unknown) {
  process.stderr.write(`remex proxy: ${coerceError(e).message}\n`);
  process.exitCode = 1;
}
