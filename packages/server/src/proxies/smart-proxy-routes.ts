/**
 * @module
 * `/api/smart_proxies`: registering fetches the proxy's `/features`, refuses anything that is not
 * a Remex proxy, and proves that the proxy at the URL holds the credential issued for its name
 * (`POST /api/smart_proxies/credentials`) before the server sends it anything else (ADR 0007).
 * Schema-first: `@remex/common` `api/smart-proxy.ts`; queries in `smart-proxy-store.ts`.
 */
import {
  IdParamsSchema,
  ListQuerySchema,
  NotAllowedError,
  SmartProxyCreateSchema,
  SmartProxyCredentialRequestSchema,
  SmartProxyCredentialSchema,
  SmartProxyListSchema,
  SmartProxySchema,
  SmartProxyStatusSchema,
  SmartProxyUpdateSchema,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { ProxyHealth, probeProxy } from './proxy-health.ts';
import { issueProxyCredential } from './proxy-credentials.ts';
import { compileSmartProxySearch } from './smart-proxy-search.ts';
import { deleteProxy, findProxy, listProxies, registerProxy, serializeProxy, updateProxy } from './smart-proxy-store.ts';

const TAGS = ['smart_proxies'];

/** Registers smart proxy routes. */
export function registerSmartProxyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const health = new ProxyHealth(ctx.secrets);
  api.get(
    '/api/smart_proxies',
    { config: { access }, schema: { tags: TAGS, summary: 'List smart proxies, each with its live status (probed at most every 10 s)', querystring: ListQuerySchema, response: { 200: SmartProxyListSchema } } },
    async (req) => {
      const page = await listProxies(db, listParams(req.query, ['name', 'id', 'url']), (text) => compileSmartProxySearch(text, ctx.store.dialect, currentUser(req)));
      const rows = await db.selectFrom('smart_proxies').selectAll().where('id', 'in', page.results.length > 0 ? page.results.map((p) => p.id) : [-1]).execute();
      const statuses = new Map((await health.statuses(rows)).map((s) => [s.id, s]));
      return { ...page, results: page.results.map((p) => ({ ...p, status: statuses.get(p.id) ?? null })) };
    },
  );
  api.get('/api/smart_proxies/:id', { config: { access }, schema: { tags: TAGS, summary: 'Show a smart proxy', params: IdParamsSchema, response: { 200: SmartProxySchema } } }, async (req) =>
    serializeProxy(await findProxy(db, req.params.id)),
  );
  api.get('/api/smart_proxies/:id/status', { config: { access }, schema: { tags: TAGS, summary: 'Ask a proxy now: reachable, version, features, tasks running and queued', params: IdParamsSchema, response: { 200: SmartProxyStatusSchema } } }, async (req) =>
    probeProxy(await findProxy(db, req.params.id), ctx.secrets),
  );
  // The only answer that ever carries a credential's secret: shown once, never stored in clear.
  // Admins only: a credential is what lets a URL receive tasks (registration needs one).
  api.post(
    '/api/smart_proxies/credentials',
    {
      config: { access },
      preValidation: unwrapBody('smart_proxy'),
      schema: { tags: TAGS, summary: 'Issue a proxy credential (admins)', body: SmartProxyCredentialRequestSchema, response: { 201: SmartProxyCredentialSchema } },
    },
    async (req, reply) => {
      if (currentUser(req)?.admin !== true) throw new NotAllowedError('Only administrators can issue proxy credentials');
      const name = req.body.name;
      const credential = await issueProxyCredential(db, ctx.secrets, name);
      return reply.status(201).send({ name, credential });
    },
  );
  api.post(
    '/api/smart_proxies',
    { config: { access }, preValidation: unwrapBody('smart_proxy'), schema: { tags: TAGS, summary: 'Register a smart proxy', body: SmartProxyCreateSchema, response: { 201: SmartProxySchema } } },
    async (req, reply) => {
      const row = await registerProxy(db, ctx.secrets, req.body.name, req.body.url.replace(/\/+$/, ''));
      return reply.status(201).send(serializeProxy(row));
    },
  );
  api.put(
    '/api/smart_proxies/:id/refresh',
    { config: { access }, schema: { tags: TAGS, summary: "Refresh a proxy's features and credential", params: IdParamsSchema, response: { 200: SmartProxySchema } } },
    async (req) => {
      const p = await findProxy(db, req.params.id);
      return serializeProxy(await registerProxy(db, ctx.secrets, p.name, p.url, { replace: true }));
    },
  );
  api.put(
    '/api/smart_proxies/:id',
    {
      config: { access },
      preValidation: unwrapBody('smart_proxy'),
      schema: { tags: TAGS, summary: 'Rename or move a smart proxy (refreshed at its URL)', params: IdParamsSchema, body: SmartProxyUpdateSchema, response: { 200: SmartProxySchema } },
    },
    async (req) => serializeProxy(await updateProxy(db, ctx.secrets, req.params.id, req.body)),
  );
  api.delete('/api/smart_proxies/:id', { config: { access }, schema: { tags: TAGS, summary: 'Delete a smart proxy', params: IdParamsSchema, response: { 200: SmartProxySchema } } }, (req) =>
    deleteProxy(db, req.params.id),
  );
}
