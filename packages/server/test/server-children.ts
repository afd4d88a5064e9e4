/**
 * @module
 * Test helper: server processes forked on one database (`server-process.ts` in a child), for the
 * tests of several servers sharing PostgreSQL. Each answers its API with the admin's password and
 * takes `issue`/`register`/`stop` messages.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadProxyConfig, type RunningProxy, startProxy } from '@remex/proxy';
import type { SshFleet, TempDir, TestDatabase } from '@remex/testkit';
import { createTestDatabase, fleetImportHosts, fleetParameters, startSshFleet, tempDir } from '@remex/testkit';
import pg from 'pg';
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

/** Two servers on one PostgreSQL database, one proxy reporting to A, a fleet seeded through A. */
export interface TwoServers {
  database: TestDatabase;
  fleet: SshFleet;
  a: ServerChild;
  b: ServerChild;
  proxy: RunningProxy;
  /** A direct connection to the database. */
  client: pg.Client;
  /** Id of "Run Command - Script Default". */
  templateId: number;
  /** Stops everything started (what did not start is skipped). */
  stop(): Promise<void>;
}

/**
 * Starts {@link TwoServers}: a fresh PostgreSQL database, `hosts` fleet hosts, servers A then B
 * (A migrates), one proxy named `shared-proxy` with A as its server, registered at
 * `registerUrl(proxy.url)` (default: its own URL).
 * @param env - more environment for both servers
 */
export async function startTwoServers(hosts: number, env: Record<string, string>, registerUrl: (proxyUrl: string) => Promise<string> = (u) => Promise.resolve(u)): Promise<TwoServers> {
  const started: Partial<Omit<TwoServers, 'stop' | 'templateId'>> & { proxyDir?: TempDir } = {};
  const stop = async (): Promise<void> => {
    await started.client?.end().catch(() => undefined);
    await started.proxy?.stop().catch(() => undefined);
    await stopChild(started.b);
    await stopChild(started.a);
    await started.proxyDir?.cleanup();
    await started.fleet?.stop();
    await started.database?.drop();
  };
  try {
    const database = (started.database = await createTestDatabase('postgres'));
    const fleet = (started.fleet = await startSshFleet({ hosts }));
    const secretKey = randomBytes(32).toString('hex');
    const a = (started.a = await forkServer(database.url, secretKey, env));
    const b = (started.b = await forkServer(database.url, secretKey, env));
    const client = (started.client = new pg.Client({ connectionString: database.url }));
    await client.connect();
    const proxyDir = (started.proxyDir = await tempDir('remex-two-servers-proxy-'));
    const credential = (await a.request<{ credential: string }>({ type: 'issue', name: 'shared-proxy' }, 'issued')).credential;
    const proxy = (started.proxy = await startProxy(
      loadProxyConfig({ env: {}, overrides: { name: 'shared-proxy', listenHost: '127.0.0.1', listenPort: 0, plainHttp: true, serverUrl: a.url, token: credential, dataDir: proxyDir.path, logLevel: 'warn' } }),
    ));
    await fleet.authorize(proxy.publicKey);
    await a.request({ type: 'register', name: 'shared-proxy', url: await registerUrl(proxy.url) }, 'registered');
    const templateId = await seedFleet(a, fleet);
    return { database, fleet, a, b, proxy, client, templateId, stop };
  } catch (e: unknown) {
    await stop();
    throw e;
  }
}
