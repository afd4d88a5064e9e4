/**
 * @module
 * Foreman's API conventions that hold for every route, installed at once: the API version in
 * `Accept` (406 for another), `thin=true` lists, and `Apipie-Checksum` on API answers with the
 * descriptions it fingerprints (`apidoc-descriptions.ts`, served by `apidoc-routes.ts`).
 */
import type { FastifyInstance } from 'fastify';

import { apiDescriptions, sendApipieChecksum } from './apidoc-descriptions.ts';
import type { ApiDescriptions } from './apidoc-descriptions.ts';
import { requireApiVersion } from './api-version.ts';
import { recordRoutes } from './openapi.ts';
import { routeTable } from './route-access.ts';
import { supportThinLists } from './thin.ts';

/**
 * Installs the conventions on `app` (call before any route is registered, after
 * `requireDeclaredAccess`); returns the descriptions of the routes registered from now on.
 */
export function foremanConventions(app: FastifyInstance): ApiDescriptions {
  const descriptions = apiDescriptions({ schemas: recordRoutes(app), table: () => routeTable(app) });
  requireApiVersion(app);
  supportThinLists(app);
  sendApipieChecksum(app, descriptions);
  return descriptions;
}
