/**
 * @module
 * Test helper: a real server on a fresh test database, and a tiny API client.
 */
import type { Dialect, TestDatabase } from '@remex/testkit';
import { createTestDatabase, tempDir } from '@remex/testkit';

import { loadServerConfig } from '../src/config/server-config.ts';
import type { ServerConfig } from '../src/config/server-config.ts';
import type { RunningServer } from '../src/server.ts';
import { startServer } from '../src/server.ts';

/** Admin password of test servers. */
export const ADMIN_PASSWORD = 'test-admin-pw';

/** Answer of {@link TestServer.api}. */
export interface ApiAnswer {
  status: number;
  body: any;
  text: string;
}

/** Answer of {@link sendJson}: {@link ApiAnswer} with the response headers. */
export interface JsonAnswer extends ApiAnswer {
  headers: Headers;
}

/**
 * Sends `method path` to `base` with exactly `headers`; `body` is sent as JSON (a string as-is).
 * The answer's body is parsed as JSON when it is JSON (else null).
 */
export async function sendJson(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<JsonAnswer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** A server for one test file. */
export interface TestServer {
  server: RunningServer;
  database: TestDatabase;
  /** Calls the API as admin; `body` is sent as JSON (a string is sent as-is). */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  stop(): Promise<void>;
}

/** {@link TestServer.api} for the HTTP Basic user `login` of the server at `baseUrl`. */
export function basicApi(baseUrl: string, login: string, password: string): TestServer['api'] {
  const auth = `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
  return async (method, path, body, headers = {}) => {
    const { status, body: parsed, text } = await sendJson(baseUrl, method, path, { authorization: auth, ...headers }, body);
    return { status, body: parsed, text };
  };
}

/**
 * Starts a server on a fresh `dialect` database with a temp data dir and a random port;
 * `overrides` replace fields of the configuration read from `env`.
 */
export async function startTestServer(dialect: Dialect, env: Record<string, string> = {}, overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const database = await createTestDatabase(dialect);
  const dir = await tempDir('remex-server-');
  const config = loadServerConfig({ REMEX_DATA_DIR: dir.path, REMEX_PORT: '0', REMEX_ADMIN_PASSWORD: ADMIN_PASSWORD, REMEX_LOG_LEVEL: 'warn', DATABASE_URL: database.url, ...env });
  const server = await startServer({ ...config, ...overrides });
  return {
    server,
    database,
    api: basicApi(server.url, 'admin', ADMIN_PASSWORD),
    async stop() {
      await server.stop();
      await database.drop();
      await dir.cleanup();
    },
  };
}
