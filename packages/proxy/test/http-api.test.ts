/**
 * The proxy's HTTP API without SSH: features, public key (generated or configured), the
 * server-signature auth (deny by default, stale/tampered/replayed refused, signed answers) and the
 * error body, launch validation, cancel and count.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { generateProxyCredential, parseSignature, PROXY_PRODUCT, RESPONSE_SIGNATURE_HEADER, signMessage, verifySignature } from '@remex/common';
import Fastify from 'fastify';
import { type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadProxyConfig, type RunningProxy, startProxy } from '../src/index.ts';
import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { installServerAuth } from '../src/http/server-auth.ts';
import { cancel, count, launch, makeTask, signedAuthorization, TEST_CREDENTIAL, TEST_TOKEN } from './helpers/proxy-harness.ts';

let server: FakeCallbackServer;
let proxy: RunningProxy;
const dirs: TempDir[] = [];

async function start(extra: { sshIdentityKeyFile?: string } = {}): Promise<RunningProxy> {
  const dir = await tempDir('remex-proxy-http-');
  dirs.push(dir);
  return startProxy(
    loadProxyConfig({
      env: {},
      overrides: { token: TEST_TOKEN, serverUrl: server.url, dataDir: dir.path, listenPort: 0, plainHttp: true, logLevel: 'silent', name: 'p1', ...extra },
    }),
  );
}

beforeAll(async () => {
  server = await startFakeCallbackServer(TEST_TOKEN);
  proxy = await start();
});

afterAll(async () => {
  await proxy?.stop();
  await server?.close();
  for (const dir of dirs) await dir.cleanup();
});

describe('proxy HTTP API', () => {
  it('announces itself and serves its generated ed25519 public key without auth', async () => {
    const features = (await (await fetch(`${proxy.url}/features`)).json()) as Record<string, unknown>;
    expect(features).toMatchObject({ product: PROXY_PRODUCT, name: 'p1', providers: ['script'], api_version: 1 });
    const response = await fetch(`${proxy.url}/ssh/pubkey`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const key = (await response.text()).trim();
    expect(key).toMatch(/^ssh-ed25519 AAAA\S+ remex-proxy@p1$/);
    expect(key).toBe(proxy.publicKey);
  });

  it('uses a configured key (with its .pub beside it) instead of generating one', async () => {
    const keys = await tempDir('remex-proxy-key-');
    dirs.push(keys);
    const file = join(keys.path, 'id_custom');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'custom', '-f', file]);
    const custom = await start({ sshIdentityKeyFile: file });
    expect(custom.publicKey).toBe(readFileSync(`${file}.pub`, 'utf8').trim());
    await custom.stop();
  });

  it('rejects unsigned requests, old bearer tokens and signatures of another credential with the common error body', async () => {
    const other = await signMessage(generateProxyCredential(), { kind: 'request', method: 'GET', path: '/tasks/count', body: '' });
    const headerSets: Record<string, string>[] = [{}, { authorization: `Bearer ${TEST_TOKEN}` }, { authorization: `Basic ${TEST_TOKEN}` }, { authorization: other }];
    for (const headers of headerSets) {
      const response = await fetch(`${proxy.url}/tasks/count`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get(RESPONSE_SIGNATURE_HEADER)).toBeNull();
      expect(await response.json()).toMatchObject({ error: { name: 'AuthenticationError' }, response: { statusCode: 401 } });
    }
    const launchResponse = await fetch(`${proxy.url}/tasks/launch`, { method: 'POST', body: JSON.stringify({ tasks: [] }), headers: { 'content-type': 'application/json' } });
    expect(launchResponse.status).toBe(401);
  });

  it('refuses a tampered body, a signature for another path, a stale timestamp and a replay', async () => {
    const url = `${proxy.url}/tasks/launch`;
    const body = JSON.stringify({ tasks: [] });
    const post = (authorization: string, sent = body): Promise<Response> =>
      fetch(url, { method: 'POST', body: sent, headers: { authorization, 'content-type': 'application/json' } });
    const task = JSON.stringify({ tasks: [makeTask({ task_id: 77, address: '127.0.0.1', port: 22, script: 'true', provider: 'nope' })] });
    expect((await post(await signedAuthorization('POST', url, body), task)).status).toBe(401);
    expect((await post(await signedAuthorization('POST', `${proxy.url}/tasks/1/cancel`, body))).status).toBe(401);
    const stale = await signMessage(TEST_CREDENTIAL, { kind: 'request', method: 'POST', path: '/tasks/launch', body }, { now: Date.now() - 301_000 });
    expect((await post(stale)).status).toBe(401);
    const fresh = await signedAuthorization('POST', url, body);
    expect((await post(fresh)).status).toBe(200);
    const replay = await post(fresh);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { message: expect.stringMatching(/replayed/) as unknown } });
  });

  it('signs its answers to the server over the request nonce', async () => {
    const url = `${proxy.url}/tasks/count`;
    const authorization = await signedAuthorization('GET', url);
    const response = await fetch(url, { headers: { authorization } });
    const text = await response.text();
    const f = parseSignature(response.headers.get(RESPONSE_SIGNATURE_HEADER) ?? undefined);
    expect(f?.nonce).toBe(parseSignature(authorization)?.nonce);
    await expect(verifySignature(TEST_CREDENTIAL.secret, f!, { kind: 'response', method: 'GET', path: '/tasks/count', body: text })).resolves.toBeUndefined();
    await expect(verifySignature(TEST_CREDENTIAL.secret, f!, { kind: 'response', method: 'GET', path: '/tasks/count', body: `${text} ` })).rejects.toThrow();
  });

  it('refuses to start with a route that declares no auth', async () => {
    const app = Fastify();
    installServerAuth(app, TEST_CREDENTIAL);
    expect(() => app.get('/debug', () => 'x')).toThrow(/declares no auth/);
    await app.close();
  });

  it('refuses a token that is not a proxy credential', async () => {
    const dir = await tempDir('remex-proxy-http-');
    dirs.push(dir);
    const config = loadProxyConfig({ env: {}, overrides: { token: 'old-shared-token', serverUrl: server.url, dataDir: dir.path, listenPort: 0, plainHttp: true, logLevel: 'silent' } });
    await expect(startProxy(config)).rejects.toThrow(/credential is malformed/);
  });

  it('validates launch bodies (422 for schema errors, 400 for broken JSON)', async () => {
    const url = `${proxy.url}/tasks/launch`;
    const post = async (body: string): Promise<Response> =>
      fetch(url, { method: 'POST', body, headers: { authorization: await signedAuthorization('POST', url, body), 'content-type': 'application/json' } });
    const invalid = await post(JSON.stringify({ tasks: [{ task_id: 0 }] }));
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ error: { name: 'InputError' }, response: { statusCode: 422 } });
    const broken = await post('{"tasks":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { name: 'InputError' }, response: { statusCode: 400 } });
  });

  it('fails a task of an unknown provider alone, and answers cancel and count', async () => {
    const task = makeTask({ task_id: 42, address: '127.0.0.1', port: 22, script: 'true', provider: 'ansible' });
    expect(await launch(proxy.url, [task])).toEqual({ accepted: [42] });
    await server.waitFor(() => server.finished(42), 10_000, 'the task');
    expect(server.events(42).map((e) => [e.type, e.data])).toEqual([
      ['debug', "This proxy has no provider 'ansible'\n"],
      ['exit', 'EXCEPTION'],
    ]);
    expect(await cancel(proxy.url, 42)).toEqual({ cancelled: false });
    expect(await count(proxy.url)).toEqual({ running: 0, queued: 0 });
  });

  it('leaves no timers, sockets or handles behind after stop()', async () => {
    const resources = (): string[] => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();
    const before = resources();
    const extra = await start();
    await launch(extra.url, [makeTask({ task_id: 43, address: '127.0.0.1', port: 22, script: 'true', provider: 'nope' })]);
    await server.waitFor(() => server.finished(43), 10_000, 'the task');
    await extra.stop();
    // Nothing new may remain (other suites' resources may come and go meanwhile). Closed handles
    // leave the list on a later tick: wait (bounded) for it rather than for a fixed time.
    const counts = (list: string[]): Map<string, number> => list.reduce((m, r) => m.set(r, (m.get(r) ?? 0) + 1), new Map<string, number>());
    const was = counts(before);
    const extras = (): string[] => [...counts(resources())].filter(([kind, n]) => n > (was.get(kind) ?? 0)).map(([kind, n]) => `${kind} ${n}`);
    // (Not vi.waitFor: its own timers would count.) At most 200 × 50 ms.
    for (let i = 0; i < 200 && extras().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(extras()).toEqual([]);
  });
});
