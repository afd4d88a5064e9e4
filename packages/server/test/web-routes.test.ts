/**
 * The web UI's static serving: files of the build only (no traversal, no symlink out), SPA
 * fallback, security headers, `/api` untouched, a clear answer when the UI is not built.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { tempDir } from '@remex/testkit';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { notFoundHandler } from '../src/http/error-handler.ts';
import { registerWebRoutes } from '../src/http/web-routes.ts';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-BUILD';
let app: FastifyInstance;
let cleanup: () => Promise<void>;
let missingApp: FastifyInstance;

/** A raw GET over a socket (the path is sent exactly as given: no client-side normalisation). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const dir = await tempDir('remex-web-');
  cleanup = () => dir.cleanup();
  const dist = join(dir.path, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Remex UI</title>');
  await writeFile(join(dist, 'assets', 'app-123.js'), 'console.log("app")');
  await writeFile(join(dir.path, 'secret.txt'), SECRET);
  await symlink(join(dir.path, 'secret.txt'), join(dist, 'leak.txt'));
  app = Fastify();
  app.setNotFoundHandler(notFoundHandler);
  registerWebRoutes(app, dist);
  await app.listen({ host: '127.0.0.1', port: 0 });
  missingApp = Fastify();
  registerWebRoutes(missingApp, join(dir.path, 'not-built'));
  await missingApp.ready();
});

afterAll(async () => {
  await app.close();
  await missingApp.close();
  await cleanup();
});

describe('web routes', () => {
  it('serves index.html at / with strict security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Remex UI');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves build files with their type, and index.html for app URLs (SPA fallback)', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/app-123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.body).toContain('console.log');
    const page = await app.inject({ method: 'GET', url: '/job_invocations/12?status=failed' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Remex UI');
    const dotted = await app.inject({ method: 'GET', url: '/hosts/web1.example.com' });
    expect(dotted.statusCode).toBe(200);
    expect(dotted.body).toContain('Remex UI');
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/favicon.ico' })).statusCode).toBe(404);
  });

  it('leaves /api to the API (JSON 404 for unknown API routes)', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/no_such_thing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body).not.toContain('Remex UI');
  });

  it.each(['/..%2fsecret.txt', '/..%2f..%2f..%2f..%2fetc/passwd', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/....//secret.txt'])(
    'never serves a file outside the build: %s',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toMatch(/root:.*:0:0:/);
    },
  );

  it('never serves a file outside the build over a raw socket (/../ not normalised by a client)', async () => {
    const port = (app.server.address() as AddressInfo).port;
    for (const path of ['/../secret.txt', '/../../../../etc/passwd', '/assets/../../secret.txt']) {
      const res = await rawGet(port, path);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toMatch(/root:.*:0:0:/);
    }
  });

  it('does not follow a symlink out of the build', async () => {
    const res = await app.inject({ method: 'GET', url: '/leak.txt' });
    expect(res.body).not.toContain(SECRET);
    expect(res.statusCode).toBe(404);
  });

  it('refuses a NUL byte and a malformed escape with 400', async () => {
    expect((await app.inject({ method: 'GET', url: '/index.html%00.js' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/%E0%A4%A' })).statusCode).toBe(400);
  });

  it('says clearly when the UI is not built', async () => {
    const res = await missingApp.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});
