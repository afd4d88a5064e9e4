/**
 * @module
 * `GET /api/status` (Foreman's shape). Schema-first: `@remex/common` `api/status.ts`.
 */
import { REMEX_VERSION, StatusSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import { typed } from './schema-first.ts';

/** Registers the status route. */
export function registerStatusRoutes(app: FastifyInstance): void {
  const api = typed(app);
  const access = { auth: 'user' } as const;
  const tags = ['status'];
  api.get('/api/status', { config: { access }, schema: { tags, summary: 'Server status and version', response: { 200: StatusSchema } } }, () => ({
    result: 'ok' as const,
    status: 200 as const,
    version: REMEX_VERSION,
    api_version: 2 as const,
  }));
}
