/**
 * @module
 * `/api/smart_proxies`: registering fetches the proxy's `/features`, refuses anything that is not
 * a Remex proxy, and proves that the proxy at the URL holds the credential issued for its name
 * (`POST /api/smart_proxies/credentials`) before the server sends it anything else (ADR 0007).
 */
import { NotAllowedError } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { field, listParams, unwrap } from '../http/params.ts';
import { issueProxyCredential } from './proxy-credentials.ts';
import { compileSmartProxySearch } from './smart-proxy-search.ts';
import { findProxy, registerProxy, serializeProxy } from './smart-proxy-store.ts';

/** Registers smart proxy routes. */
export function registerSmartProxyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;
  app.get('/api/smart_proxies', async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id', 'url']),
      base: db.selectFrom('smart_proxies'),
      search: (text) => compileSmartProxySearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', url: 'url' },
      defaultOrder: 'name',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeProxy),
    }),
  );
  app.get('/api/smart_proxies/:id', async (req) => serializeProxy(await findProxy(db, (req.params as { id: string }).id)));
  // The only answer that ever carries a credential's secret: shown once, never stored in clear.
  // Admins only: a credential is what lets a URL receive tasks (registration needs one).
  app.post('/api/smart_proxies/credentials', async (req, reply) => {
    if (currentUser(req)?.admin !== true) throw new NotAllowedError('Only administrators can issue proxy credentials');
    const name = field.required(unwrap(req.body, 'smart_proxy'), 'name');
    const credential = await issueProxyCredential(db, ctx.secrets, name);
    return reply.status(201).send({ name, credential });
  });
  app.post('/api/smart_proxies', async (req, reply) => {
    const body = unwrap(req.body, 'smart_proxy');
    const row = await registerProxy(db, ctx.secrets, field.required(body, 'name'), field.required(body, 'url').replace(/\/+$/, ''));
    return reply.status(201).send(serializeProxy(row));
  });
  app.put('/api/smart_proxies/:id/refresh', async (req) => {
    const p = await findProxy(db, (req.params as { id: string }).id);
    return serializeProxy(await registerProxy(db, ctx.secrets, p.name, p.url, { replace: true }));
  });
  app.delete('/api/smart_proxies/:id', async (req) => {
    return db.transaction().execute(async (trx) => {
      const p = await findProxy(trx, (req.params as { id: string }).id);
      await trx.deleteFrom('subnet_proxies').where('smart_proxy_id', '=', p.id).execute();
      await trx.deleteFrom('smart_proxies').where('id', '=', p.id).execute();
      return serializeProxy(p);
    });
  });
}
