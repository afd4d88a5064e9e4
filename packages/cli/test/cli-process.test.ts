/**
 * @module
 * The real executable: `bin/remex` as a child process — exit codes and the one-line error
 * through `process.exit`, and `remex up` stopping cleanly (exit 0) on SIGINT.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/remex', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Runs bin/remex; `onStdout` may act on the output as it arrives (e.g. send a signal). */
function runBin(args: string[], env: Record<string, string>, onStdout?: (soFar: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('bin/remex', () => {
  it('exits 1 with one line when the server is unreachable, from any directory', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'remex-bin-'));
    dirs.push(home);
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await runBin(['host', 'list'], { HOME: home, REMEX_URL: url });
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `Error: cannot reach the Remex server at ${url} (ECONNREFUSED)\n` });
    const usage = await runBin(['host', 'info', '--id', 'x'], { HOME: home });
    expect(usage.code).toBe(2);
  });

  it('remex up stops the proxy and the server on SIGINT and exits 0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'remex-bin-up-'));
    dirs.push(dir);
    let sent = false;
    const r = await runBin(['up'], { HOME: dir, REMEX_DATA_DIR: path.join(dir, 'data'), REMEX_PORT: '0', REMEX_PROXY_PORT: '0', REMEX_LOG_LEVEL: 'warn' }, (out, kill) => {
      if (!sent && out.includes('Proxy SSH public key')) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(r.stderr).toBe('');
    expect(sent).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created user admin with password: \S+\n/);
    expect(r.stdout).toMatch(/Stopping…\n$/);
  });
});
