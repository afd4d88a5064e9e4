/**
 * @module
 * `GET /api/status` (Foreman's shape) and `GET /api/settings`.
 */
import { REMEX_VERSION } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';

/** Registers status and settings routes. */
export function registerStatusRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/status', () => ({ result: 'ok', status: 200, version: REMEX_VERSION, api_version: 2 }));
  app.get('/api/settings', () => {
    const all = ctx.settings.all();
    const results = Object.entries(all).map(([name, value]) => ({ name, value, category: 'Remote Execution' }));
    return { total: results.length, subtotal: results.length, page: 1, per_page: results.length, search: null, sort: { by: null, order: null }, results };
  });
}
