/**
 * @module
 * Smart proxy store: lookup, API shape and registration (with proof of the issued credential, ADR 0007) of smart proxies.
 */
import type { SmartProxy, SmartProxyList } from '@remex/common';
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, SmartProxyRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { compileSmartProxySearch } from './smart-proxy-search.ts';
import { fetchProxyFeatures, verifyProxyCredential } from './proxy-client.ts';
import { credentialOf, issuedCredential } from './proxy-credentials.ts';

/** Finds a smart proxy by id or name; 404 otherwise. */
export async function findProxy(db: Kysely<Database>, ref: string): Promise<SmartProxyRow> {
  const q = db.selectFrom('smart_proxies').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Smart proxy '${ref}' not found`);
  return row;
}

/** Proxy JSON (Foreman shape plus `remote_execution_pubkey`). */
export function serializeProxy(p: SmartProxyRow): SmartProxy {
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

/** A page of smart proxies. */
export function listProxies(db: Kysely<Database>, params: ListParams, search: (text: string) => ReturnType<typeof compileSmartProxySearch>): Promise<SmartProxyList> {
  return listResource({
    params,
    base: db.selectFrom('smart_proxies'),
    search,
    orderColumns: { name: 'name', id: 'id', url: 'url' },
    defaultOrder: 'name',
    tiebreak: ['id'],
    select: (q) => q.selectAll(),
    serialize: (rows) => rows.map(serializeProxy),
  });
}

/** Deletes a proxy (its subnets lose it); answers what was deleted. */
export function deleteProxy(db: Kysely<Database>, ref: string): Promise<SmartProxy> {
  return db.transaction().execute(async (trx) => {
    const p = await findProxy(trx, ref);
    await trx.deleteFrom('subnet_proxies').where('smart_proxy_id', '=', p.id).execute();
    await trx.deleteFrom('smart_proxies').where('id', '=', p.id).execute();
    return serializeProxy(p);
  });
}
