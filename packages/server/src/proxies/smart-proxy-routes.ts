/**
 * @module
 * `/api/smart_proxies`: registering fetches the proxy's `/features`, refuses anything that is not
 * a Remex proxy, and proves that the proxy at the URL holds the credential issued for its name
 * (`POST /api/smart_proxies/credentials`) before the server sends it anything else (ADR 0007).
 */
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@remex/common';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import { countRows } from '../db/count-rows.ts';
import type { ServerContext } from '../context.ts';
import type { Database, SmartProxyRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { field, listParams, listResponse, unwrap } from '../http/params.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { fetchProxyFeatures, verifyProxyCredential } from './proxy-client.ts';
import { credentialOf, issuedCredential, issueProxyCredential } from './proxy-credentials.ts';
import { compileSmartProxySearch } from './smart-proxy-search.ts';

async function findProxy(db: Kysely<Database>, ref: string): Promise<SmartProxyRow> {
  const q = db.selectFrom('smart_proxies').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Smart proxy '${ref}' not found`);
  return row;
}

/** Proxy JSON (Foreman shape plus `remote_execution_pubkey`). */
export function serializeProxy(p: SmartProxyRow): Record<string, unknown> {
  const features = JSON.parse(p.features) as string[];
  return {
    id: p.id,
    name: p.name,
    url: p.url,
    features: features.map((name, i) => ({ id: i + 1, name })),
    remote_execution_pubkey: p.pubkey,
    credential_configured: p.credential_key_id !== null,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/**
 * Registers (or refreshes) a proxy by name and URL: checks its `/features`, then proves that the
 * proxy at `url` holds the credential issued for `name` (or, on a refresh without a newly issued
 * one, its current credential) before storing it. A newly issued credential replaces the current
 * one only once proven. Used by the API and by `remex up` for the embedded proxy.
 * @throws InputError when no credential was issued for `name` or the URL does not prove it
 */
export async function registerProxy(db: Kysely<Database>, secrets: SecretBox, name: string, url: string, options: { replace?: boolean } = {}): Promise<SmartProxyRow> {
  const existing = await db.selectFrom('smart_proxies').selectAll().where('name', '=', name).executeTakeFirst();
  const credential = (await issuedCredential(db, secrets, name)) ?? (options.replace && existing ? credentialOf(existing, secrets) : null);
  if (!credential) {
    throw new InputError(
      `No credential was issued for proxy '${name}': issue one (POST /api/smart_proxies/credentials, \`remex proxy-registration credential --name ${name}\`), configure the proxy with it, then register`,
      { code: 'proxy_credential_missing' },
    );
  }
  const { features, pubkey } = await fetchProxyFeatures(url);
  await verifyProxyCredential({ name, url, credential });
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const byName = await trx.selectFrom('smart_proxies').selectAll().where('name', '=', name).executeTakeFirst();
    const byUrl = await trx.selectFrom('smart_proxies').selectAll().where('url', '=', url).executeTakeFirst();
    if (!options.replace) {
      if (byName) throw new ConflictError(`Name has already been taken: smart proxy '${name}' exists`);
      if (byUrl) throw new ConflictError(`URL has already been taken by smart proxy '${byUrl.name}'`);
    }
    if (byUrl && byUrl.id !== byName?.id) await trx.deleteFrom('smart_proxies').where('id', '=', byUrl.id).execute();
    const issued = await trx.selectFrom('proxy_credentials').select(['key_id', 'credential']).where('name', '=', name).where('key_id', '=', credential.keyId).executeTakeFirst();
    await trx.deleteFrom('proxy_credentials').where('name', '=', name).where('key_id', '=', credential.keyId).execute();
    const sealed = issued ? { credential_key_id: issued.key_id, credential: issued.credential } : {};
    const values = { name, url, features: JSON.stringify(features.features), pubkey, updated_at: now, ...sealed };
    if (byName) return trx.updateTable('smart_proxies').set(values).where('id', '=', byName.id).returningAll().executeTakeFirstOrThrow();
    return trx.insertInto('smart_proxies').values({ ...values, created_at: now }).returningAll().executeTakeFirstOrThrow();
  });
}

/** Registers smart proxy routes. */
export function registerSmartProxyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;
  app.get('/api/smart_proxies', async (req) => {
    const lp = listParams(req.query, ['name', 'id', 'url']);
    const total = await countRows(db.selectFrom('smart_proxies'));
    let q = db.selectFrom('smart_proxies');
    if (lp.search) q = q.where(compileSmartProxySearch(lp.search, ctx.store.dialect, currentUser(req)));
    const subtotal = lp.search ? await countRows(q) : total;
    const rows = await q
      .selectAll()
      .orderBy(lp.order?.by === 'id' ? 'id' : lp.order?.by === 'url' ? 'url' : 'name', lp.order?.direction ?? 'asc')
      .orderBy('id')
      .limit(lp.perPage)
      .offset((lp.page - 1) * lp.perPage)
      .execute();
    return listResponse(lp, total, subtotal, rows.map(serializeProxy));
  });
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
