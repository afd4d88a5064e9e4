/**
 * @module
 * Serves the built web UI (`packages/web/dist`, or `REMEX_WEB_DIST`) at `/`: files under the
 * build directory only (no path traversal, no symlinks out), `index.html` for every other
 * non-`/api` GET (SPA fallback), strict security headers. Public: the UI's own API calls carry
 * the credentials.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, posix, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const ASSET_AT_TOP = /^\/[^/]+\.(js|mjs|css|map|json|svg|png|ico|woff2?|txt)$/;

/** The Content-Security-Policy of the UI (PatternFly and CodeMirror need inline styles). */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** Where the built UI is by default: `REMEX_WEB_DIST`, else `packages/web/dist` of this checkout. */
export function defaultWebDir(): string {
  return process.env.REMEX_WEB_DIST ?? fileURLToPath(new URL('../../../web/dist', import.meta.url));
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', WEB_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer');
}

/** The regular file at `rel` under `root` (both real paths), or null; never a path outside `root`. */
async function fileUnder(root: string, rel: string): Promise<string | null> {
  const candidate = join(root, posix.normalize(`/${rel}`));
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(root + sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** A request target that names the API however it is spelled (case, repeated slashes, encoded slash, absolute form). */
const API_SPELLING = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]*)?\/*api(?:$|\/|%2f)/i;

/** Registers `GET /*` for the UI (declared public; `/api` paths stay the API's 404). */
export function registerWebRoutes(app: FastifyInstance, dir: string = defaultWebDir()): void {
  let rootPromise: Promise<string | null> | null = null;
  const root = () => (rootPromise ??= realpath(dir).catch(() => null));
  const send = (reply: FastifyReply, file: string) => {
    const ext = extname(file);
    const immutable = file.includes(`${sep}assets${sep}`);
    return secure(reply)
      .type(TYPES[ext] ?? 'application/octet-stream')
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(createReadStream(file));
  };
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const rawPath = req.url.split('?')[0] ?? '/';
    // Anything that reads as an API path in another spelling (`/API/x`, `//api//x`, `/api%2Fx`,
    // an absolute-form target) is the API's 404, never the app's page.
    if (API_SPELLING.test(rawPath)) return reply.callNotFound();
    const base = await root();
    if (base === null) {
      // Not built: reset so that a later build is picked up without a restart.
      rootPromise = null;
      return secure(reply).code(503).type('text/plain; charset=utf-8').send('The Remex web UI is not built: run `npm run build` (or `npm start`, which builds it), then reload.\nThe API is at /api.\n');
    }
    let rel: string;
    try {
      rel = decodeURIComponent(rawPath);
    } catch {
      return secure(reply).code(400).type('text/plain; charset=utf-8').send('Malformed URL\n');
    }
    if (rel.includes('\0')) return secure(reply).code(400).type('text/plain; charset=utf-8').send('Malformed URL\n');
    const file = rel.endsWith('/') ? null : await fileUnder(base, rel);
    if (file) return send(reply, file);
    // A missing build file (under /assets/, or a top-level file with an asset extension) is a 404;
    // any other path is a page of the app, dots included (`/hosts/web1.example.com`).
    if (rel.startsWith('/assets/') || ASSET_AT_TOP.test(rel)) return secure(reply).code(404).type('text/plain; charset=utf-8').send('Not found\n');
    const index = await fileUnder(base, 'index.html');
    if (!index) return secure(reply).code(503).type('text/plain; charset=utf-8').send('The Remex web UI build is incomplete (no index.html): run `npm run build`.\n');
    return send(reply, index);
  };
  app.get('/', handler);
  app.get('/*', handler);
}
