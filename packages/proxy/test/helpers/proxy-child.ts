/**
 * @module
 * A proxy in a process of its own (`src/main.ts` through tsx), for tests that `kill -9` it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A running proxy process. */
export interface ProxyChild {
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
}

/**
 * Starts `src/main.ts --config configFile` and waits until `proxyUrl/features` answers.
 * @throws Error when it exits or is not up within 30 s (with its stderr)
 */
export async function startProxyChild(configFile: string, proxyUrl: string): Promise<ProxyChild> {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', configFile], {
    cwd: REPO_ROOT,
    env: { ...process.env, REMEX_PROXY_TOKEN: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const child: ProxyChild = {
    kill9: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`proxy exited with ${proc.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${proxyUrl}/features`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await child.kill9();
      throw new Error(`proxy did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
