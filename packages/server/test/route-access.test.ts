/**
 * @module
 * Deny by default, checked against the server's real route table: every route refuses callers
 * without credentials (and with the wrong kind of credentials), also when its path is spelt
 * differently (percent-encoding, dot segments, double slashes, case, absolute form). Requests go
 * over raw sockets so each request target is sent exactly as written.
 */
import net from 'node:net';

import { parseProxyCredential, signMessage } from '@remex/common';
import { signedPost } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ServerContext } from '../src/context.ts';
import { createFastify, registerRoutes } from '../src/http/app.ts';
import type { RouteEntry } from '../src/http/route-access.ts';
import { withAccess } from '../src/http/route-access.ts';
import type { TestServer } from './test-server.ts';
import { ADMIN_PASSWORD, startTestServer } from './test-server.ts';
import type { StandInProxy } from './stand-in.ts';
import { registerStandIn } from './stand-in.ts';

/**
 * Routes anyone may call (`auth: 'public'`). Keep this list short and explicit: login and logout
 * (they authenticate themselves, ADR 0010), the API's descriptions (as Foreman serves its apidoc;
 * they name no secrets) and the web UI's static files (the app's pages and assets; API paths in
 * any spelling stay the API's).
 */
const PUBLIC_ROUTES: readonly string[] = ['POST /api/login', 'POST /api/logout', 'GET /apidoc/:file', 'HEAD /apidoc/:file', 'GET /apidoc', 'HEAD /apidoc', 'GET /api/openapi.json', 'HEAD /api/openapi.json', 'GET /', 'HEAD /', 'GET /*', 'HEAD /*'];
/** Routes only proxies may call. */
const PROXY_ROUTES: readonly string[] = ['POST /api/proxy_callbacks/events'];

const BASIC = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

/** Status code of one raw HTTP/1.1 request with request target `target` sent verbatim. */
function rawStatus(port: number, method: string, target: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no answer to ${method} ${target}`)));
    socket.on('connect', () => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(data);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed without a status line for ${method} ${target}: ${JSON.stringify(data.slice(0, 200))}`)));
  });
}

/** A concrete path for a route pattern (parameters filled in). */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, '1').replace(/\*/g, 'x');
}

function encodeFirst(segment: string): string {
  return segment === '' ? segment : `%${segment.charCodeAt(0).toString(16).padStart(2, '0')}${segment.slice(1)}`;
}

/** Other spellings of `path` that a router or proxy might take for the same route. */
export function pathVariants(path: string, origin: string): string[] {
  const segs = path.split('/').slice(1);
  const join = (s: string[]): string => `/${s.join('/')}`;
  const variants = segs.map((_, i) => join(segs.map((s, j) => (j === i ? encodeFirst(s) : s))));
  const first = segs[0] ?? '';
  const rest = segs.slice(1);
  variants.push(
    join(segs.map(encodeFirst)),
    join([first, '..', ...segs]),
    join([first, '.', ...rest]),
    `/${join(segs).replace(/\//g, '//')}`,
    join([first.toUpperCase(), ...rest]),
    path.toUpperCase(),
    `${path}/`,
    `/${segs.join('%2F')}`,
    `${origin}${path}`,
    `${origin}${join([encodeFirst(first), ...rest])}`,
  );
  return [...new Set(variants)].filter((v) => v !== path);
}

describe('route access (deny by default, on the matched route)', () => {
  let t: TestServer;
  let port: number;
  let routes: readonly RouteEntry[];
  /** A registered proxy's credential, and a valid proxy signature (for a request to GET /api/hosts). */
  let proxyToken: string;
  let proxySignature: string;
  let standIn: StandInProxy | undefined;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    port = Number(new URL(t.server.url).port);
    routes = t.server.routes;
    standIn = await registerStandIn(t, 'route-access-proxy');
    proxyToken = standIn.token;
    proxySignature = await signMessage(parseProxyCredential(proxyToken), { kind: 'request', method: 'GET', path: '/api/hosts', body: '' });
  });
  afterAll(async () => {
    await standIn?.close();
    await t?.stop();
  });

  const key = (r: RouteEntry): string => `${r.method} ${r.url}`;

  it('takes the route table from the server, every route with a declared access', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => r.access.auth === 'public').map(key)).toEqual([...PUBLIC_ROUTES]);
    expect(routes.filter((r) => r.access.auth === 'proxy' && r.method !== 'HEAD').map(key)).toEqual([...PROXY_ROUTES]);
  });

  it('refuses every route (and every spelling of its path) without the right kind of credentials', async () => {
    const origin = `http://127.0.0.1:${port}`;
    const checks: { method: string; target: string; headers: Record<string, string>; expect: 'exact401' | 'not2xx' }[] = [];
    let variantRequests = 0;
    for (const r of routes) {
      if (PUBLIC_ROUTES.includes(key(r))) continue;
      const path = concrete(r.url);
      const wrongKind = r.access.auth === 'proxy' ? { authorization: BASIC } : { authorization: proxySignature };
      for (const headers of [{}, wrongKind]) {
        checks.push({ method: r.method, target: path, headers, expect: 'exact401' });
        for (const target of pathVariants(path, origin)) {
          checks.push({ method: r.method, target, headers, expect: 'not2xx' });
          variantRequests += 1;
        }
      }
    }
    const failures: string[] = [];
    for (let i = 0; i < checks.length; i += 16) {
      await Promise.all(
        checks.slice(i, i + 16).map(async (c) => {
          const status = await rawStatus(port, c.method, c.target, c.headers);
          const ok = c.expect === 'exact401' ? status === 401 : status >= 400 && status < 500;
          if (!ok) failures.push(`${c.method} ${c.target} ${c.headers.authorization?.split(' ')[0] ?? 'anonymous'} → ${status}`);
        }),
      );
    }
    console.info(`route-access: ${routes.length} routes, ${checks.length} requests of which ${variantRequests} path variants`);
    expect(failures).toEqual([]);
  });

  it('refuses the reported bypasses (regression: auth was decided on the raw URL)', async () => {
    expect(await rawStatus(port, 'GET', '/%61pi/hosts')).toBe(401);
    expect(await rawStatus(port, 'GET', '/ap%69/settings')).toBe(401);
    expect(await rawStatus(port, 'GET', `http://127.0.0.1:${port}/api/settings`)).toBe(401);
    expect(await rawStatus(port, 'POST', '/%61pi/job_invocations', { 'content-type': 'application/json' })).toBe(401);
    expect(await rawStatus(port, 'POST', '/%61pi/proxy_callbacks/events', { 'content-type': 'application/json' })).toBe(401);
    expect(await rawStatus(port, 'POST', '/api/proxy_callbacks/%65vents', { authorization: BASIC, 'content-type': 'application/json' })).toBe(401);
    expect(await rawStatus(port, 'GET', '/api/hosts', { authorization: proxySignature })).toBe(401);
  });

  it('still serves the matched route to its own kind of caller', async () => {
    expect(await rawStatus(port, 'GET', '/api/hosts', { authorization: BASIC })).toBe(200);
    expect(await rawStatus(port, 'GET', '/%61pi/hosts', { authorization: BASIC })).toBe(200);
    const events = await signedPost(t.server.url, proxyToken, '/api/proxy_callbacks/events', JSON.stringify({ events: [] }));
    // Past authentication (preValidation) into schema validation: an empty batch is refused as input.
    expect(events.status).toBe(422);
    const forged = `${proxyToken.split('.')[0] ?? ''}.${'0'.repeat(64)}`;
    const wrong = await signedPost(t.server.url, forged, '/api/proxy_callbacks/events', JSON.stringify({ events: [] }));
    expect(wrong.status).toBe(401);
  });

  it('refuses a forged or unknown session cookie and Bearer token on user routes', async () => {
    expect(await rawStatus(port, 'GET', '/api/hosts', { cookie: 'remex_session=forged' })).toBe(401);
    expect(await rawStatus(port, 'GET', '/%61pi/users', { cookie: 'remex_session=forged' })).toBe(401);
    expect(await rawStatus(port, 'GET', '/api/current_user', { authorization: 'Bearer remex_pat_forged' })).toBe(401);
    expect(await rawStatus(port, 'POST', '/api/proxy_callbacks/events', { authorization: 'Bearer remex_pat_forged', 'content-type': 'application/json' })).toBe(401);
  });

  it('keeps unknown paths 404 whoever asks, and the Basic challenge on 401', async () => {
    expect(await rawStatus(port, 'GET', '/api/no_such_thing')).toBe(404);
    expect(await rawStatus(port, 'GET', '/api/no_such_thing', { authorization: BASIC })).toBe(404);
    const anon = await fetch(`${t.server.url}/api/hosts`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Basic realm="Remex"');
  });
});

describe('route declarations', () => {
  function contextStub(): ServerContext {
    const stub: unknown = new Proxy(() => undefined, { get: (_t, k) => (k === 'then' ? undefined : stub), apply: () => stub });
    return stub as ServerContext;
  }

  it('refuses to start with a route that declares no access', async () => {
    const app = createFastify('silent');
    registerRoutes(app, contextStub());
    expect(() => app.get('/api/undeclared', () => 'x')).toThrow(/declares no access/);
    void app.register((scope, _o, done) => {
      try {
        scope.post('/api/also_undeclared', () => 'x');
        done();
      } catch (e: unknown) {
        done(e as Error);
      }
    });
    await expect(app.ready()).rejects.toThrow(/POST \/api\/also_undeclared declares no access/);
  });

  it('refuses to start with a user route that has no permission in the central table', async () => {
    const app = createFastify('silent');
    registerRoutes(app, contextStub());
    withAccess(app, { auth: 'user' }, (scope) => scope.get('/api/unlisted', () => 'x'));
    await expect(app.ready()).rejects.toThrow(/GET \/api\/unlisted has no permission in authz\/route-permissions.ts/);
  });

  it('accepts a route that declares its own access', async () => {
    const app = createFastify('silent');
    registerRoutes(app, contextStub());
    app.get('/api/open', { config: { access: { auth: 'public' } } }, () => ({ ok: true }));
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/api/open' })).statusCode).toBe(200);
    await app.close();
  });
});
