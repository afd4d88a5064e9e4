/**
 * @module
 * The startup section (issue 14): how fast the `remex` command answers and `remex up` becomes
 * ready, from the built bundle (`packages/cli/dist`, ADR 0013) and, for comparison, from the
 * TypeScript sources through tsx. Targets: server ready ≤ 3 s after start (data dir already
 * initialised), `remex --help` ≤ 300 ms, `remex host list` ≤ 500 ms. Medians of 5 runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { buildCli, CLI_DIST, cliNeedsBuild } from '../../scripts/build-cli.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';
import { median, round } from '../lib/stats.ts';

const RUNS = 5;
const PASSWORD = 'bench-startup-pw';
const TARGETS = { readyMs: 3000, helpMs: 300, hostListMs: 500 } as const;
const SOURCE_BIN = fileURLToPath(new URL('../../packages/cli/src/bin.ts', import.meta.url));
/** tsx's loader by URL (the commands run in temp directories, where a bare `tsx` does not resolve). */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

type Mode = 'built' | 'source';

function argv(mode: Mode): string[] {
  return mode === 'built' ? [path.join(CLI_DIST, 'remex.js')] : ['--import', TSX, SOURCE_BIN];
}

/** Milliseconds one `remex …` call takes to exit (it must exit 0). */
function timeCommand(mode: Mode, args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...argv(mode), ...args], { env, cwd, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`remex ${args.join(' ')} (${mode}) exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Starts `remex up` on `dataDir`, waits for `/api/status`, returns the time to ready, stops it. */
async function timeReady(mode: Mode, dataDir: string, port: number): Promise<number> {
  const env = { PATH: process.env.PATH, HOME: dataDir, REMEX_DATA_DIR: dataDir, REMEX_PORT: String(port), REMEX_PROXY_PORT: '0', REMEX_LOG_LEVEL: 'warn', REMEX_ADMIN_PASSWORD: PASSWORD };
  const t0 = performance.now();
  const child = spawn(process.execPath, [...argv(mode), 'up'], { env, cwd: dataDir, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const auth = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` };
  try {
    for (;;) {
      if (performance.now() - t0 > 120_000) throw new Error(`remex up (${mode}) not ready in 120 s`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/status`, { headers: auth }).then((r) => r.ok, () => false);
      if (ok) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function verdict(ms: number, target: number): string {
  return ms <= target ? `ok (≤ ${target} ms)` : `OVER ${target} ms`;
}

/** The startup section. */
export const startupSection: BenchSection = {
  name: 'startup',
  description: 'remex --help, remex host list and remex up readiness: built bundle vs TypeScript sources',
  async run(_options, log): Promise<SectionResult> {
    if (cliNeedsBuild()) {
      log('startup: building the remex bundle');
      await buildCli();
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'remex-bench-startup-'));
    const port = 39_000 + (process.pid % 1000);
    try {
      const data: Record<Mode, { helpMs: number; hostListMs: number; readyMs: number }> = {} as never;
      for (const mode of ['built', 'source'] as const) {
        const dataDir = path.join(dir, mode);
        await mkdir(dataDir);
        // The first start initialises the data dir (migrations, admin, templates); it is not measured.
        await timeReady(mode, dataDir, port);
        const ready: number[] = [];
        for (let i = 0; i < RUNS; i++) ready.push(await timeReady(mode, dataDir, port));
        const env = { PATH: process.env.PATH, HOME: dir, REMEX_URL: `http://127.0.0.1:${port}`, REMEX_USER: 'admin', REMEX_PASSWORD: PASSWORD };
        const help = Array.from({ length: RUNS }, () => timeCommand(mode, ['--help'], env, dir));
        // host list needs a server: one from the same data dir, kept up for the calls.
        const server = spawn(process.execPath, [...argv('built'), 'up'], { env: { ...env, REMEX_DATA_DIR: dataDir, REMEX_PORT: String(port), REMEX_PROXY_PORT: '0', REMEX_LOG_LEVEL: 'warn' }, cwd: dataDir, stdio: 'ignore' });
        const serverExited = new Promise<void>((resolve) => server.on('close', () => resolve()));
        try {
          for (let t = 0; !(await fetch(`http://127.0.0.1:${port}/api/status`).then((r) => r.status === 401, () => false)); t++) {
            if (t > 6000) throw new Error('server for host list not ready');
            await new Promise((r) => setTimeout(r, 20));
          }
          timeCommand(mode, ['host', 'list'], env, dir);
          const list = Array.from({ length: RUNS }, () => timeCommand(mode, ['host', 'list'], env, dir));
          data[mode] = { helpMs: round(median(help)), hostListMs: round(median(list)), readyMs: round(median(ready)) };
        } finally {
          server.kill('SIGTERM');
          await serverExited;
        }
        log(`startup: ${mode}: ${JSON.stringify(data[mode])}`);
      }
      const b = data.built;
      const s = data.source;
      const text = [
        `median of ${RUNS}          built bundle   sources (tsx)   target`,
        `remex --help        ${String(b.helpMs).padStart(9)} ms ${String(s.helpMs).padStart(12)} ms   ${verdict(b.helpMs, TARGETS.helpMs)}`,
        `remex host list     ${String(b.hostListMs).padStart(9)} ms ${String(s.hostListMs).padStart(12)} ms   ${verdict(b.hostListMs, TARGETS.hostListMs)}`,
        `remex up → ready    ${String(b.readyMs).padStart(9)} ms ${String(s.readyMs).padStart(12)} ms   ${verdict(b.readyMs, TARGETS.readyMs)}`,
      ].join('\n');
      return { text, data: { ...data, targets: TARGETS } };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
