/**
 * @module
 * `/api/remote_execution_features` (Foreman API v2): list, show and update (assign a job
 * template), plus `GET /api/hosts/:id/available_remote_execution_features`. `search` fields:
 * `feature-search.ts`. Schema-first: `@remex/common` `api/feature.ts`; queries in `feature-store.ts`.
 */
import { FeatureListSchema, FeatureSchema, FeatureUpdateSchema, IdParamsSchema, ListQuerySchema } from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';
import { findHost } from '../hosts/host-store.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { compileFeatureSearch } from './feature-search.ts';
import { assignFeature, findFeature, listFeatures, showFeature } from './feature-store.ts';

const TAGS = ['remote_execution_features'];

/** Registers feature routes. */
export function registerFeatureRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const page = (req: FastifyRequest, assignedOnly: boolean) =>
    listFeatures(db, listParams(req.query, ['name', 'label', 'id']), (text) => compileFeatureSearch(text, ctx.store.dialect, currentUser(req)), assignedOnly);

  api.get('/api/remote_execution_features', { config: { access }, schema: { tags: TAGS, summary: 'List remote execution features', querystring: ListQuerySchema, response: { 200: FeatureListSchema } } }, (req) =>
    page(req, false),
  );

  api.get('/api/remote_execution_features/:id', { config: { access }, schema: { tags: TAGS, summary: 'Show a remote execution feature', params: IdParamsSchema, response: { 200: FeatureSchema } } }, async (req) =>
    showFeature(db, await findFeature(db, req.params.id)),
  );

  api.put(
    '/api/remote_execution_features/:id',
    {
      config: { access },
      preValidation: unwrapBody('remote_execution_feature'),
      schema: { tags: TAGS, summary: 'Assign a job template to a feature', params: IdParamsSchema, body: FeatureUpdateSchema, response: { 200: FeatureSchema } },
    },
    async (req) => showFeature(db, await assignFeature(db, req.params.id, req.body.job_template_id)),
  );

  api.get(
    '/api/hosts/:id/available_remote_execution_features',
    { config: { access }, schema: { tags: TAGS, summary: 'Features runnable on a host', params: IdParamsSchema, querystring: ListQuerySchema, response: { 200: FeatureListSchema } } },
    async (req) => {
      await findHost(db, req.params.id);
      return page(req, true);
    },
  );
}
