/**
 * @module
 * The API descriptions (served by `apidoc-routes.ts`), public as in Foreman (they name no secrets):
 * `GET /apidoc/v2.json` (apipie's format, `apidoc.ts`; `v2.<locale>.json` answers the same) and
 * `GET /api/openapi.json` (the OpenAPI 3.1 document `npm run openapi` writes as YAML), and the
 * browsable page `GET /apidoc` (`apidoc-page.ts`). All are
 * built once, on first request, from the route table of this server, and kept. Every API answer
 * carries `Apipie-Checksum` (a fingerprint of the routes, their schemas and the version), so
 * apipie clients drop a cached description when the server's API changes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

import { REMEX_VERSION } from '@remex/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { buildApidoc } from './apidoc.ts';
import { renderApidocPage } from './apidoc-page.ts';
import { OPENAPI_SOURCE_PATH, openApiDocument } from './openapi.ts';
import type { SchemaRoute } from './openapi.ts';
import type { RouteEntry } from './route-access.ts';

/** Used when the hand-written source is not installed (the routes' own schemas still describe them). */
const EMPTY_SOURCE = 'openapi: 3.1.0\ninfo: { title: Remex API, version: "2" }\npaths: {}\n';

/** The described routes: what the descriptions are made of. */
export interface DescribedRoutes {
  /** Routes with their schemas, recorded by `recordRoutes`. */
  schemas: readonly SchemaRoute[];
  /** The route table with each route's access (complete once the app is ready). */
  table: () => readonly RouteEntry[];
}

/** The descriptions of one app, built when first asked for. */
export interface ApiDescriptions {
  /** The apipie and OpenAPI documents as JSON text, and the browsable page. */
  documents(): { apidoc: string; openapi: string; page: string };
  /** Fingerprint of what the documents are made of (hex; cheap: no document is built). */
  checksum(): string;
}

function readSource(): string {
  try {
    return fs.readFileSync(OPENAPI_SOURCE_PATH, 'utf8');
  } catch {
    return EMPTY_SOURCE;
  }
}

/** The descriptions of the routes `routes` records. */
export function apiDescriptions(routes: DescribedRoutes): ApiDescriptions {
  let built: { openapi: string; apidoc: string; page: string } | undefined;
  let source: string | undefined;
  let checksum: string | undefined;
  const text = () => (source ??= readSource());
  return {
    documents() {
      if (built === undefined) {
        const openapi = openApiDocument(text(), routes.schemas).toJSON() as Record<string, unknown>;
        // Proxy routes are not for API clients; the web UI and the description routes are not under /api.
        const described = routes.table().filter((r) => r.access.auth !== 'proxy' && r.method !== 'HEAD' && r.method !== 'OPTIONS');
        const apidoc = buildApidoc(openapi, described);
        built = { openapi: JSON.stringify(openapi), apidoc: JSON.stringify(apidoc), page: renderApidocPage(apidoc) };
      }
      return built;
    },
    checksum() {
      if (checksum === undefined) {
        const hash = createHash('sha256').update(REMEX_VERSION).update(text());
        for (const r of routes.schemas) hash.update(JSON.stringify([r.method, r.url, r.wrapKey ?? null, r.schema]));
        checksum = hash.digest('hex');
      }
      return checksum;
    },
  };
}

/** Adds `Apipie-Checksum` to every API answer of `app` (as Foreman does). */
export function sendApipieChecksum(app: FastifyInstance, descriptions: ApiDescriptions): void {
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    await Promise.resolve();
    if (req.url.startsWith('/api/')) void reply.header('apipie-checksum', descriptions.checksum());
    return payload;
  });
}
