/**
 * @module
 * The `remex proxy` process: `--config FILE` (optional; env vars work alone), starts the proxy,
 * stops it cleanly on SIGINT/SIGTERM.
 */
import { InputError, waitForStopSignal } from '@remex/common';

import { loadProxyConfig } from './config/load-proxy-config.ts';
import { startProxy } from './start-proxy.ts';

/** Usage text of {@link runProxyMain}. */
export const PROXY_USAGE = `Usage: remex proxy [--config FILE]

Runs a Remex execution proxy. Settings come from FILE (YAML) and the environment
(REMEX_PROXY_NAME, REMEX_PROXY_LISTEN, REMEX_PROXY_PORT, REMEX_SERVER_URL, REMEX_PROXY_TOKEN,
REMEX_PROXY_DATA_DIR, REMEX_PROXY_MAX_SESSIONS, …); see packages/proxy/README.md.`;

/**
 * Parses `argv` (the arguments after the command name), starts the proxy and resolves once it
 * was stopped by SIGINT or SIGTERM.
 * @throws InputError on bad arguments or configuration
 */
export async function runProxyMain(argv: readonly string[]): Promise<void> {
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${PROXY_USAGE}\n`);
      return;
    }
    if (arg === '--config' || arg === '-c') {
      file = argv[++i];
      if (file === undefined) throw new InputError('--config needs a file name');
    } else if (arg.startsWith('--config=')) {
      file = arg.slice('--config='.length);
    } else {
      throw new InputError(`Unknown argument '${arg}'\n${PROXY_USAGE}`);
    }
  }
  const proxy = await startProxy(loadProxyConfig({ file }));
  await waitForStopSignal();
  await proxy.stop();
}
