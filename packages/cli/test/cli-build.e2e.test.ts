/**
 * @module
 * The built `remex` (scripts/build-cli.ts): the bundle answers `--help` with plain Node, and
 * `remex up` from it starts the server and the embedded proxy (no tsx loaded up front), imports
 * the shipped templates from beside the bundle, loads a TypeScript plugin and stops on SIGTERM.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { buildCli } from '../../../scripts/build-cli.ts';

// Beside `dist/` (same depth), so the bundle finds node_modules and the web UI as the real one does.
const OUT = fileURLToPath(new URL(`../dist-test-${process.pid}/`, import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  await buildCli(OUT);
  dir = await mkdtemp(path.join(tmpdir(), 'remex-built-'));
}, 120_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await rm(OUT, { recursive: true, force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the built remex command', { timeout: 180_000 }, () => {
  it('answers --help with plain Node', () => {
    const r = spawnSync(process.execPath, [path.join(OUT, 'remex.js'), '--help'], { encoding: 'utf8', cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: remex \[options\] \[command\]/);
    expect(r.status).toBe(0);
    expect(existsSync(path.join(OUT, 'chunks', 'defaults', 'run_command.erb'))).toBe(true);
  });

  it('runs `remex up`: server and proxy from the bundle, shipped templates, a TypeScript plugin, SIGTERM stops it', async () => {
    let out = '';
    let err = '';
    child = spawn(process.execPath, [path.join(OUT, 'remex.js'), 'up'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        REMEX_DATA_DIR: path.join(dir, 'data'),
        REMEX_PORT: '0',
        REMEX_PROXY_PORT: '0',
        REMEX_LOG_LEVEL: 'warn',
        REMEX_ADMIN_PASSWORD: 'built-admin-pw',
        REMEX_PLUGINS: path.join(REPO, 'examples/remex-plugin-hello'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const closed = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
    await vi.waitFor(() => expect(out, err).toContain('Supervisor pid'), { timeout: 120_000, interval: 100 });
    const url = /^Remex server listening on (http:\S+)$/m.exec(out)?.[1];
    expect(url, out).toBeDefined();
    const auth = { authorization: `Basic ${Buffer.from('admin:built-admin-pw').toString('base64')}` };
    const get = async (p: string) => (await fetch(`${url}${p}`, { headers: auth })).json() as Promise<{ total?: number; results?: { name?: string; label?: string }[]; result?: string }>;
    expect((await get('/api/status')).result).toBe('ok');
    const templates = await get('/api/job_templates?search=name%3D%22Run%20Command%20-%20Script%20Default%22');
    expect(templates.results?.map((t) => t.name)).toEqual(['Run Command - Script Default']);
    const features = await get('/api/remote_execution_features?search=label%3Dhello_world');
    expect(features.results?.map((f) => f.label)).toEqual(['hello_world']);
    await vi.waitFor(async () => expect((await get('/api/smart_proxies')).results?.map((p) => p.name)).toEqual(['embedded']), { timeout: 60_000, interval: 200 });
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(err).not.toMatch(/Error|tsx/);
  });
});
