/**
 * @module
 * `/api/settings` as Foreman serves it: the list (searchable, paged), one setting by its name,
 * and `PUT` of a new value (checked per setting; users with `edit_settings` only). Schema-first:
 * `@remex/common` `api/status.ts`.
 */
import { IdParamsSchema, ListQuerySchema, SettingListSchema, SettingSchema, SettingUpdateSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { listParams, listResponse } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { searchSettings } from './setting-search.ts';
import { parseSettingValue, serializeSetting, settingName } from './setting-values.ts';
import type { SettingName } from './settings-store.ts';

/** Registers the settings routes. */
export function registerSettingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const access = { auth: 'user' } as const;
  const tags = ['settings'];
  const all = () => Object.entries(ctx.settings.all()).map(([name, value]) => serializeSetting(name as SettingName, value));

  api.get('/api/settings', { config: { access }, schema: { tags, summary: 'Remote execution settings', querystring: ListQuerySchema, response: { 200: SettingListSchema } } }, (req) => {
    const lp = listParams(req.query, ['name']);
    const settings = all();
    const found = lp.search === null ? settings : searchSettings(settings, lp.search);
    const ordered = lp.order === null ? found : [...found].sort((a, b) => (lp.order?.direction === 'desc' ? b.name.localeCompare(a.name) : a.name.localeCompare(b.name)));
    return listResponse(lp, settings.length, found.length, ordered.slice((lp.page - 1) * lp.perPage, lp.page * lp.perPage));
  });

  api.get('/api/settings/:id', { config: { access }, schema: { tags, summary: 'Show a setting (its id is its name)', params: IdParamsSchema, response: { 200: SettingSchema } } }, (req) => {
    const name = settingName(req.params.id);
    return serializeSetting(name, ctx.settings.get(name));
  });

  api.put(
    '/api/settings/:id',
    {
      config: { access },
      preValidation: unwrapBody('setting'),
      schema: { tags, summary: 'Change a setting', params: IdParamsSchema, body: SettingUpdateSchema, response: { 200: SettingSchema } },
    },
    async (req) => {
      const name = settingName(req.params.id);
      const value = parseSettingValue(name, req.body.value);
      await ctx.settings.set(name, value);
      return serializeSetting(name, ctx.settings.get(name));
    },
  );
}
