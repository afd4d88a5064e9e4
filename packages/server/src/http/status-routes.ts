/**
 * @module
 * `GET /api/status` (Foreman's shape) and `GET /api/settings`. Schema-first: `@remex/common`
 * `api/status.ts`.
 */
import { REMEX_VERSION, SettingListSchema, StatusSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { typed } from './schema-first.ts';

/** Registers status and settings routes. */
export function registerStatusRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const access = { auth: 'user' } as const;
  const tags = ['status'];
  api.get('/api/status', { config: { access }, schema: { tags, summary: 'Server status and version', response: { 200: StatusSchema } } }, () => ({
    result: 'ok' as const,
    status: 200 as const,
    version: REMEX_VERSION,
    api_version: 2 as const,
  }));
  api.get('/api/settings', { config: { access }, schema: { tags, summary: 'Remote execution settings (secrets masked)', response: { 200: SettingListSchema } } }, () => {
    const all = ctx.settings.all();
    const results = Object.entries(all).map(([name, value]) => ({ name, value, category: 'Remote Execution' }));
    return { total: results.length, subtotal: results.length, page: 1, per_page: results.length, search: null, sort: { by: null, order: null }, results };
  });
}
