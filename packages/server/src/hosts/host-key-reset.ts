/**
 * @module
 * Resetting a host's trusted SSH host key after a legitimate re-key (`remex host reset-host-key`):
 * every registered proxy forgets the key it trusted for the host's addresses (name, IPv4, IPv6)
 * at the host's SSH port, so its next connection trusts the key the host presents (trust on
 * first use again). Proxies that cannot be reached are named in the answer; they keep refusing
 * the new key until asked again.
 */
import type { HostKeyReset } from '@remex/common';
import { coerceError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { resolveHostParameters } from '../parameters/parameter-resolver.ts';
import { endpointOf } from '../proxies/proxy-credentials.ts';
import { forgetHostKey } from '../proxies/proxy-client.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { findHost } from './host-store.ts';

/** Asks every proxy to forget the trusted key of host `ref`. */
export async function resetHostKey(db: Kysely<Database>, secrets: SecretBox, settings: SettingsStore, ref: string): Promise<HostKeyReset> {
  const host = await findHost(db, ref);
  const params = (await resolveHostParameters(db, [host])).get(host.id) ?? {};
  const port = Number(params.remote_execution_ssh_port ?? settings.get('remote_execution_ssh_port'));
  const addresses = [...new Set([host.name, host.ip, host.ip6].filter((a): a is string => a !== null && a !== ''))];
  const proxies = await db.selectFrom('smart_proxies').selectAll().where('credential_key_id', 'is not', null).orderBy('name').execute();
  const results = await Promise.all(
    proxies.map(async (p) => {
      try {
        return { name: p.name, forgotten: await forgetHostKey(endpointOf(p, secrets), { addresses, port }), error: null };
      } catch (e: unknown) {
        return { name: p.name, forgotten: 0, error: coerceError(e).message };
      }
    }),
  );
  return { host: host.name, addresses, port, proxies: results };
}
