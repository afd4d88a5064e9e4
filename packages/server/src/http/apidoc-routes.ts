/**
 * @module
 * The routes of the API descriptions (`apidoc-descriptions.ts`): `GET /apidoc/v2.json` (and the
 * localised names apipie asks first), the browsable page `GET /apidoc` and `GET /api/openapi.json`.
 */
import { NotFoundError } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ApiDescriptions } from './apidoc-descriptions.ts';

/** Registers the description routes on `app` (a public scope). */
export function registerApiDocRoutes(app: FastifyInstance, descriptions: ApiDescriptions): void {
  app.get('/apidoc/:file', async (req, reply) => {
    const file = (req.params as { file: string }).file;
    // `v2.json`, or a localised name apipie clients ask first (`v2.en.json`): the text is English.
    if (!/^v2(\.[A-Za-z]{2,3}(_[A-Za-z]{2})?)?\.json$/.test(file)) throw new NotFoundError(`No API description '${file}': try /apidoc/v2.json`);
    return reply.type('application/json; charset=utf-8').send(descriptions.documents().apidoc);
  });
  app.get('/apidoc', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(descriptions.documents().page),
  );
  app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(descriptions.documents().openapi));
}
