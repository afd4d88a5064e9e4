/**
 * @module
 * `remex up` in-process: server + embedded proxy on free ports, the generated admin password
 * printed once, the proxy registered as `embedded`, both stopped on the stop signal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it, vi } from 'vitest';

import { createCliIo, main } from '@remex/cli';

import { captureIo } from './helpers/capture-io.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('remex up', () => {
  it('starts server and embedded proxy, prints the admin password once, stops on signal', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'remex-up-'));
    dirs.push(dir);
    const env = { HOME: dir, REMEX_DATA_DIR: path.join(dir, 'data'), REMEX_PORT: '0', REMEX_PROXY_PORT: '0', REMEX_LOG_LEVEL: 'warn', REMEX_PROXY_LOG_LEVEL: 'warn' };
    let out = '';
    let err = '';
    let whileRunning: { code: number; stdout: string; stderr: string } | undefined;
    const io = createCliIo({
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      env,
      home: dir,
      cwd: dir,
      // Instead of waiting for SIGINT: use the running stack through the CLI, then stop.
      // `up` asks for it before it starts the children: wait for the banner first.
      waitForStop: async () => {
        await vi.waitFor(() => expect(out).toContain('Supervisor pid'), { timeout: 60_000, interval: 50 });
        const url = /listening on (http:\S+)/.exec(out)?.[1];
        const password = /Created user admin with password: (\S+)/.exec(out)?.[1];
        whileRunning = await captureIo({ HOME: dir, REMEX_URL: url, REMEX_PASSWORD: password }).run('proxy-registration', 'list', '-o', 'json');
      },
    });
    const code = await main(['up'], io);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^Remex server listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(out.match(/Created user admin with password: /g)).toHaveLength(1);
    expect(out).toMatch(/^Embedded proxy embedded listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toMatch(/^Proxy SSH public key .*: ssh-ed25519 /m);
    expect(out).toMatch(/Stopping…\n$/);
    expect(whileRunning?.code).toBe(0);
    const proxies = JSON.parse(whileRunning!.stdout) as { name: string }[];
    expect(proxies.map((p) => p.name)).toEqual(['embedded']);

    // Second start on the same data dir: the admin exists, no password is printed.
    out = '';
    expect(await main(['up'], { ...io, waitForStop: () => Promise.resolve() })).toBe(0);
    expect(out).not.toContain('Created user admin');
  });

  it('rejects a bad REMEX_SERVER_MAX_HEAP_MB before starting anything', async () => {
    const r = await captureIo({ REMEX_SERVER_MAX_HEAP_MB: 'lots' }).run('up');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'Error: REMEX_SERVER_MAX_HEAP_MB must be a number of MB from 64 (got "lots")\n' });
  });

  it('rejects a bad REMEX_HANG_TIMEOUT_S before starting anything', async () => {
    const r = await captureIo({ REMEX_HANG_TIMEOUT_S: '1' }).run('up');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'Error: REMEX_HANG_TIMEOUT_S must be a number of seconds from 2 (got "1")\n' });
  });

  it('reports the start error of the server child with its exit code, and restarts nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'remex-up-'));
    dirs.push(dir);
    const r = await captureIo({ HOME: dir, REMEX_DATA_DIR: path.join(dir, 'data'), REMEX_PORT: '99999', REMEX_PROXY_PORT: '0' }, { cwd: dir }).run('up');
    expect(r).toEqual({ code: 2, stdout: '', stderr: "Error: REMEX_PORT must be a port number, got '99999'\n" });
  });

  it('rejects a bad REMEX_PROXY_PORT before starting anything', async () => {
    const r = await captureIo({ REMEX_PROXY_PORT: 'abc' }).run('up');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'Error: REMEX_PROXY_PORT must be a port number (got "abc")\n' });
  });
});
