/**
 * @module
 * Live health of registered proxies: asked at the moment (`GET /api/smart_proxies/:id/status`)
 * or through a short cache for lists (`GET /api/smart_proxies`), so a page of proxies costs at
 * most one probe per proxy per {@link HEALTH_TTL_MS}, probes of one list run side by side, and a
 * proxy that does not answer costs at most {@link LIST_PROBE_TIMEOUT_MS}.
 */
import type { SmartProxyStatus } from '@remex/common';
import { coerceError } from '@remex/common';

import type { SmartProxyRow } from '../db/schema.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { fetchProxyFeatures, proxyTaskCounts } from './proxy-client.ts';
import { endpointOf } from './proxy-credentials.ts';

/** How long a list reuses a proxy's last probe. */
export const HEALTH_TTL_MS = 10_000;
/** Longest wait for one proxy while listing. */
export const LIST_PROBE_TIMEOUT_MS = 2_000;

/** Asks `row`'s proxy now: reachable (proving its credential), latency, version, features, tasks. */
export async function probeProxy(row: SmartProxyRow, secrets: SecretBox, timeoutMs?: number): Promise<SmartProxyStatus> {
  const started = performance.now();
  try {
    const [{ features }, counts] = await Promise.all([
      fetchProxyFeatures(row.url, { kind: 'pinned', certificate: row.tls_certificate }, timeoutMs),
      proxyTaskCounts(endpointOf(row, secrets), timeoutMs),
    ]);
    return { id: row.id, name: row.name, reachable: true, latency_ms: Math.round(performance.now() - started), version: features.version, features: features.features, running: counts.running, queued: counts.queued, error: null };
  } catch (e: unknown) {
    return { id: row.id, name: row.name, reachable: false, latency_ms: null, version: null, features: [], running: null, queued: null, error: coerceError(e).message };
  }
}

/** A short cache of probes, one per proxy registration (a refresh or move asks again). */
export class ProxyHealth {
  readonly #secrets: SecretBox;
  readonly #cache = new Map<number, { key: string; at: number; status: Promise<SmartProxyStatus> }>();

  constructor(secrets: SecretBox) {
    this.#secrets = secrets;
  }

  /** The status of each of `rows`, probing those not probed within {@link HEALTH_TTL_MS}. */
  statuses(rows: readonly SmartProxyRow[]): Promise<SmartProxyStatus[]> {
    const now = Date.now();
    return Promise.all(
      rows.map((row) => {
        const key = `${row.url}|${row.updated_at}`;
        const hit = this.#cache.get(row.id);
        if (hit && hit.key === key && now - hit.at < HEALTH_TTL_MS) return hit.status;
        const status = probeProxy(row, this.#secrets, LIST_PROBE_TIMEOUT_MS);
        this.#cache.set(row.id, { key, at: now, status });
        return status;
      }),
    );
  }
}
