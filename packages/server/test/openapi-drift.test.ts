/**
 * @module
 * Drift check between the server's routes and `docs/openapi.yaml`: every route the Fastify app
 * registers must be a documented operation, and every documented operation must be a route.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import type { ServerContext } from '../src/context.ts';
import { createFastify, registerRoutes } from '../src/http/app.ts';
import { OPENAPI_PATH, generateOpenApi } from '../src/http/openapi-build.ts';

const SPEC_PATH = fileURLToPath(new URL('../../../docs/openapi.yaml', import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Stand-in context: route registration only stores handlers, which are never called here.
 * Every property read and call returns the stub itself, so registration-time reads like
 * `ctx.store.db` succeed without a database.
 */
function contextStub(): ServerContext {
  const stub: unknown = new Proxy(() => undefined, {
    get: (_target, key) => (key === 'then' ? undefined : stub),
    apply: () => stub,
  });
  return stub as ServerContext;
}

/** `METHOD /path/{param}` for every API route of the real app, HEAD/OPTIONS left out. */
async function serverOperations(): Promise<Set<string>> {
  const app = createFastify('silent');
  const ops = new Set<string>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    // The spec describes the API; the web UI's static files (`GET /`, `GET /*`) are not part of it.
    if (path !== '/api' && !path.startsWith('/api/')) return;
    for (const m of methods) {
      if (m !== 'HEAD' && m !== 'OPTIONS') ops.add(`${m} ${path}`);
    }
  });
  registerRoutes(app, contextStub());
  await app.ready();
  await app.close();
  return ops;
}

/** `METHOD /path/{param}` for every operation under `paths` of the spec. */
function specOperations(): Set<string> {
  const spec = parse(fs.readFileSync(SPEC_PATH, 'utf8')) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const ops = new Set<string>();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const m of METHODS) {
      if (item[m] !== undefined) ops.add(`${m.toUpperCase()} ${path}`);
    }
  }
  return ops;
}

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1 with paths', () => {
    const spec = parse(fs.readFileSync(SPEC_PATH, 'utf8')) as { openapi?: unknown; paths?: unknown };
    expect(String(spec.openapi)).toMatch(/^3\.1\./);
    expect(typeof spec.paths).toBe('object');
  });

  it('documents every server route, and only server routes', async () => {
    const server = await serverOperations();
    const spec = specOperations();
    expect(server.size).toBeGreaterThan(0);
    const undocumented = [...server].filter((op) => !spec.has(op)).sort();
    const stale = [...spec].filter((op) => !server.has(op)).sort();
    // Both lists in one assertion, so a failure names every missing and every stale operation.
    expect({ undocumented, stale }, 'routes missing from docs/openapi.yaml / spec operations the server lacks').toEqual({ undocumented: [], stale: [] });
  });

  it('is what the route schemas and docs/openapi.source.yaml produce (run `npm run openapi` after a change)', async () => {
    const generated = await generateOpenApi();
    expect(generated).toContain('/api/subnets/{id}:');
    expect(fs.readFileSync(OPENAPI_PATH, 'utf8') === generated, 'docs/openapi.yaml is stale: run `npm run openapi`').toBe(true);
  });
});
