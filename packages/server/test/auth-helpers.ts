/**
 * @module
 * Test helpers for users, tokens and sessions: Basic/Bearer headers, creating a user through the
 * API, and a raw request that keeps response headers (cookies).
 */
import type { JsonAnswer, TestServer } from './test-server.ts';
import { sendJson } from './test-server.ts';

/** An `Authorization: Basic` header. */
export function basic(login: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` };
}

/** An `Authorization: Bearer` header. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Answer of {@link call}: status, parsed body and headers. */
export type RawAnswer = JsonAnswer;

/** Calls `path` with exactly `headers` (no admin credentials added). */
export function call(t: TestServer, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<RawAnswer> {
  return sendJson(t.server.url, method, path, headers, body);
}

/** Creates a user as admin and returns its id. */
export async function createUser(t: TestServer, login: string, password: string, extra: Record<string, unknown> = {}): Promise<number> {
  const r = await t.api('POST', '/api/users', { user: { login, password, ...extra } });
  if (r.status !== 201) throw new Error(`creating ${login}: ${r.status} ${r.text}`);
  return r.body.id as number;
}
