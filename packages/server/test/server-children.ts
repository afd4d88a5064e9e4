/**
 * @module
 * Test helper: server processes forked on one database (`server-process.ts` in a child), for the
 * tests of several servers sharing PostgreSQL. Each answers its API with the admin's password and
 * takes `issue`/`register`/`stop` messages.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { SshFleet, TempDir } from '@remex/testkit';
import { fleetImportHosts, fleetParameters, tempDir } from '@remex/testkit';
import { expect } from 'vitest';

/** The admin password of forked servers. */
export const ADMIN_PASSWORD = 'two-servers-admin-pw';
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-process.ts');

/** A forked server. */
export interface ServerChild {
  child: ChildProcess;
  url: string;
  pid: number;
  dir: TempDir;
  request<T>(message: object, answer: string): Promise<T>;
  api(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; text: string }>;
}

/**
 * Forks a server process on `databaseUrl`; resolves once it listens.
 * @param env - more environment for the server (e.g. REMEX_TASK_LEASE_SECONDS)
 */
export async function forkServer(databaseUrl: string, secretKey: string, env: Record<string, string> = {}): Promise<ServerChild> {
  const dir = await tempDir('remex-two-servers-');
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REMEX_PORT: '0',
      REMEX_DATA_DIR: dir.path,
      REMEX_SECRET_KEY: secretKey,
      REMEX_ADMIN_PASSWORD: ADMIN_PASSWORD,
      REMEX_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string, timeoutMs = 60_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`server child: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (m: { type: string; message?: string }) => {
        if (m.type === type) done(null, m as T);
        else if (m.type === 'error') done(new Error(`server child: ${m.message ?? 'error'}`));
      };
      const onExit = () => done(new Error(`server child exited before '${type}'`));
      function done(e: Error | null, value?: T): void {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (e) reject(e);
        else resolve(value as T);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next<{ url: string; pid: number }>('ready');
  const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  return {
    child,
    url: ready.url,
    pid: ready.pid,
    dir,
    request<T>(message: object, answer: string) {
      const p = next<T>(answer);
      child.send(message);
      return p;
    },
    async api(method, url, body) {
      const res = await fetch(`${ready.url}${url}`, { method, headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>, text };
    },
  };
}

/** Stops a forked server (SIGKILL after 10 s) and removes its data dir. */
export async function stopChild(s: ServerChild | undefined): Promise<void> {
  if (!s) return;
  if (s.child.exitCode === null && s.child.signalCode === null) {
    const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
    s.child.send({ type: 'stop' });
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await s.dir.cleanup();
}

/**
 * Points `server` at `fleet` (global parameters, hosts imported in hostgroup `fleet`) and
 * returns the id of "Run Command - Script Default".
 */
export async function seedFleet(server: ServerChild, fleet: SshFleet): Promise<number> {
  for (const [name, value] of fleetParameters(fleet)) {
    expect((await server.api('POST', '/api/common_parameters', { common_parameter: { name, value } })).status).toBe(201);
  }
  expect((await server.api('POST', '/api/hosts/import', { hosts: fleetImportHosts(fleet, 'fleet') })).status).toBe(200);
  const templates = await server.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
  const id = (templates.body.results as Array<{ id: number }>)[0]?.id;
  if (id === undefined) throw new Error('Run Command - Script Default is missing');
  return id;
}
