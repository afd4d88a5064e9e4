/**
 * @module
 * Test helper: a real Remex server (SQLite in a temp dir, random port) and a captured `remex`
 * CLI pointed at it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadServerConfig, type RunningServer, startServer } from '@remex/server';

import { type CapturedIo, captureIo } from './capture-io.ts';

/** Admin password of the test server. */
export const ADMIN_PASSWORD = 'pw';

/** A server and a CLI bound to it. */
export interface CliServer {
  server: RunningServer;
  cli: CapturedIo;
  /** Temp directory for files the test writes (import files, templates). */
  dir: string;
  /** Env for a CLI talking to this server as admin. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts a server on SQLite in a fresh temp dir.
 * @param env - extra server environment (e.g. `DATABASE_URL`)
 */
export async function startCliServer(env: Record<string, string> = {}): Promise<CliServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'remex-cli-it-'));
  const server = await startServer(
    loadServerConfig({ REMEX_DATA_DIR: path.join(dir, 'data'), REMEX_PORT: '0', REMEX_ADMIN_PASSWORD: ADMIN_PASSWORD, REMEX_LOG_LEVEL: 'warn', ...env }),
  );
  const cliEnv = { REMEX_URL: server.url, REMEX_USER: 'admin', REMEX_PASSWORD: ADMIN_PASSWORD, HOME: dir };
  return {
    server,
    dir,
    env: cliEnv,
    cli: captureIo(cliEnv, { cwd: dir }),
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
