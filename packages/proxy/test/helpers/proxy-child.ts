/**
 * @module
 * A proxy in a process of its own (`src/main.ts` through tsx), for tests that `kill -9` it and
 * start it again on the same data dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from '@remex/testkit';

import { TEST_TOKEN } from './proxy-harness.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A proxy process that can be killed and started again. */
export interface ProxyProcess {
  /** Its API (plain HTTP on loopback). */
  readonly url: string;
  /** Its database file (`<dir>/data/proxy.sqlite3`). */
  readonly databaseFile: string;
  /** Starts it and waits until `/features` answers (30 s at most; its stderr in the error). */
  start(): Promise<void>;
  /** SIGKILL, resolved once the process is gone; nothing when it is not running. */
  kill9(): Promise<void>;
}

/**
 * Writes a config in `dir` (name, a free loopback port, `serverUrl`, the test token, data in
 * `dir/data`, log level warn, plus `settings` lines) for a proxy started by {@link ProxyProcess.start}.
 */
export async function proxyProcess(dir: string, name: string, serverUrl: string, settings: readonly string[] = []): Promise<ProxyProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(dir, 'proxy.yml');
  writeFileSync(
    configFile,
    [`name: ${name}`, `listen: 127.0.0.1:${port}`, 'plain_http: true', `server_url: ${serverUrl}`, `token: ${TEST_TOKEN}`, 'data_dir: ./data', 'log_level: warn', ...settings].join('\n'),
  );
  let proc: ChildProcess | undefined;
  const kill9 = (): Promise<void> =>
    new Promise((resolve) => {
      const running = proc;
      proc = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  const start = async (): Promise<void> => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', configFile], {
      cwd: REPO_ROOT,
      env: { ...process.env, REMEX_PROXY_TOKEN: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`proxy exited with ${child.exitCode}: ${stderr}`);
      try {
        if ((await fetch(`${url}/features`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await kill9();
        throw new Error(`proxy did not start: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { url, databaseFile: join(dir, 'data', 'proxy.sqlite3'), start, kill9 };
}
