/**
 * @module
 * Smart proxy store: lookup, API shape and registration (with proof of the issued credential, ADR 0007) of smart proxies.
 */
import { X509Certificate } from 'node:crypto';
import type { SmartProxy, SmartProxyList, SmartProxyUpdate } from '@remex/common';
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
    tls_fingerprint: p.tls_certificate === null ? null : new X509Certificate(p.tls_certificate).fingerprint256,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/**
 * Takes the credential issued for `name` under `keyId` out of the issued ones (it is now the
 * proxy's): the columns to store on the proxy row, or nothing when the proxy keeps its own.
 */
async function takeIssued(trx: Kysely<Database>, name: string, keyId: string): Promise<Partial<Pick<SmartProxyRow, 'credential_key_id' | 'credential'>>> {
  const issued = await trx.selectFrom('proxy_credentials').select(['key_id', 'credential']).where('name', '=', name).where('key_id', '=', keyId).executeTakeFirst();
  await trx.deleteFrom('proxy_credentials').where('name', '=', name).where('key_id', '=', keyId).execute();
  return issued ? { credential_key_id: issued.key_id, credential: issued.credential } : {};
}

function missingCredential(name: string): InputError {
  return new InputError(
    `No credential was issued for proxy '${name}': issue one (POST /api/smart_proxies/credentials, \`remex proxy-registration credential --name ${name}\`), configure the proxy with it, then register`,
    { code: 'proxy_credential_missing' },
  );
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
  if (!credential) throw missingCredential(name);
  const { features, pubkey, certificate } = await fetchProxyFeatures(url);
  const tls_certificate = certificate?.pem ?? null;
  await verifyProxyCredential({ name, url, credential, tlsCertificate: tls_certificate });
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const byName = await trx.selectFrom('smart_proxies').selectAll().where('name', '=', name).executeTakeFirst();
    const byUrl = await trx.selectFrom('smart_proxies').selectAll().where('url', '=', url).executeTakeFirst();
    if (!options.replace) {
      if (byName) throw new ConflictError(`Name has already been taken: smart proxy '${name}' exists`);
      if (byUrl) throw new ConflictError(`URL has already been taken by smart proxy '${byUrl.name}'`);
    }
    if (byUrl && byUrl.id !== byName?.id) await trx.deleteFrom('smart_proxies').where('id', '=', byUrl.id).execute();
    const sealed = await takeIssued(trx, name, credential.keyId);
    const values = { name, url, features: JSON.stringify(features.features), pubkey, tls_certificate, updated_at: now, ...sealed };
    if (byName) return trx.updateTable('smart_proxies').set(values).where('id', '=', byName.id).returningAll().executeTakeFirstOrThrow();
    return trx.insertInto('smart_proxies').values({ ...values, created_at: now }).returningAll().executeTakeFirstOrThrow();
  });
}

/**
 * Renames a proxy and/or moves it to a new URL, then refreshes it as a registration does: the
 * URL must answer as a Remex proxy and prove the proxy's credential (or one newly issued for the
 * new name, which then replaces it). Nothing changes when the proof fails.
 * @throws ConflictError when another proxy has the name or the URL
 */
export async function updateProxy(db: Kysely<Database>, secrets: SecretBox, ref: string, body: SmartProxyUpdate): Promise<SmartProxyRow> {
  const p = await findProxy(db, ref);
  const name = body.name?.trim() ?? p.name;
  const url = (body.url?.trim() ?? p.url).replace(/\/+$/, '');
  const credential = (await issuedCredential(db, secrets, name)) ?? credentialOf(p, secrets);
  if (!credential) throw missingCredential(name);
  const { features, pubkey, certificate } = await fetchProxyFeatures(url);
  const tls_certificate = certificate?.pem ?? null;
  await verifyProxyCredential({ name, url, credential, tlsCertificate: tls_certificate });
  return db.transaction().execute(async (trx) => {
    const current = await findProxy(trx, String(p.id));
    const byName = await trx.selectFrom('smart_proxies').select('id').where('name', '=', name).where('id', '!=', current.id).executeTakeFirst();
    if (byName) throw new ConflictError(`Name has already been taken: smart proxy '${name}' exists`);
    const byUrl = await trx.selectFrom('smart_proxies').select('name').where('url', '=', url).where('id', '!=', current.id).executeTakeFirst();
    if (byUrl) throw new ConflictError(`URL has already been taken by smart proxy '${byUrl.name}'`);
    const sealed = await takeIssued(trx, name, credential.keyId);
    return trx
      .updateTable('smart_proxies')
      .set({ name, url, features: JSON.stringify(features.features), pubkey, tls_certificate, updated_at: nowIso(), ...sealed })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
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
