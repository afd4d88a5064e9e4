/**
 * @module
 * Passes on cancels asked while tasks were on their way to the proxy (job-cancel.ts marks them;
 * the proxy did not know them yet when it was asked).
 */
import type { Kysely } from 'kysely';

import type { Database, SmartProxyRow } from '../../db/schema.ts';
import { cancelTask } from '../../proxies/proxy-client.ts';
import { endpointOf } from '../../proxies/proxy-credentials.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';

/** Asks `proxy` to cancel those of `taskIds` whose cancel was asked meanwhile. */
export async function forwardCancels(db: Kysely<Database>, secrets: SecretBox, proxy: SmartProxyRow, taskIds: readonly number[]): Promise<void> {
  const asked = await db.selectFrom('template_invocations').select('id').where('id', 'in', taskIds).where('cancel_requested_at', 'is not', null).execute();
  const endpoint = endpointOf(proxy, secrets);
  for (const t of asked) await cancelTask(endpoint, t.id);
}
