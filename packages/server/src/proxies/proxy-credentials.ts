/**
 * @module
 * Per-proxy credentials on the server (ADR 0007): issuing one for a proxy name (shown once,
 * stored sealed with the server's SecretBox), and opening the credential of a registered proxy
 * to sign requests to it.
 */
import type { ProxyCredential } from '@remex/common';
import { formatProxyCredential, generateProxyCredential, InputError, InternalError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, SmartProxyRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { ProxyEndpoint } from './proxy-client.ts';

/** Longest proxy name accepted when issuing a credential. */
const MAX_NAME = 255;

/**
 * Issues a new credential for the proxy `name` and returns its text form, the only time it is
 * shown. It replaces an earlier one issued for that name and not yet used; a registered proxy of
 * that name keeps its current credential until a registration or refresh proves the new one.
 * @throws InputError when the name is empty or too long
 */
export async function issueProxyCredential(db: Kysely<Database>, secrets: SecretBox, name: string): Promise<string> {
  if (name.trim() === '' || name.length > MAX_NAME) throw new InputError(`Proxy name must be 1 to ${MAX_NAME} characters`);
  const credential = generateProxyCredential();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('proxy_credentials').where('name', '=', name).execute();
    await trx.insertInto('proxy_credentials').values({ name, key_id: credential.keyId, credential: secrets.seal(credential.secret), created_at: nowIso() }).execute();
  });
  return formatProxyCredential(credential);
}

/** The credential issued for `name` and not used yet, or null. */
export async function issuedCredential(db: Kysely<Database>, secrets: SecretBox, name: string): Promise<ProxyCredential | null> {
  const row = await db.selectFrom('proxy_credentials').select(['key_id', 'credential']).where('name', '=', name).executeTakeFirst();
  return row ? { keyId: row.key_id, secret: secrets.open(row.credential) } : null;
}

/** The credential of a registered proxy, or null when it was registered before credentials existed. */
export function credentialOf(row: Pick<SmartProxyRow, 'credential_key_id' | 'credential'>, secrets: SecretBox): ProxyCredential | null {
  if (row.credential_key_id === null || row.credential === null) return null;
  return { keyId: row.credential_key_id, secret: secrets.open(row.credential) };
}

/**
 * How to reach a registered proxy.
 * @throws InternalError when it has no credential (registered before migration 0009)
 */
export function endpointOf(row: Pick<SmartProxyRow, 'name' | 'url' | 'credential_key_id' | 'credential' | 'tls_certificate'>, secrets: SecretBox): ProxyEndpoint {
  const credential = credentialOf(row, secrets);
  if (!credential) {
    throw new InternalError(
      `proxy ${row.name} has no credential (registered before per-proxy credentials): issue one with \`remex proxy-registration credential --name ${row.name}\`, configure the proxy with it and refresh the registration`,
    );
  }
  return { name: row.name, url: row.url, credential, tlsCertificate: row.tls_certificate };
}
