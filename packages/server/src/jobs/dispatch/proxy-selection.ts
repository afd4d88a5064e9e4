/**
 * @module
 * Proxy choice for a host: the host subnet's REX proxies, else (setting
 * `remote_execution_global_proxy`) every proxy; proxies that refused a batch lately are skipped,
 * and among the rest the least loaded (tasks planned or running) is taken.
 */
import type { Kysely } from 'kysely';

import type { Database, SmartProxyRow } from '../../db/schema.ts';
import type { SettingsStore } from '../../settings/settings-store.ts';

/** How long a proxy that refused a batch is skipped (ms). */
export const PROXY_DOWN_MS = 15_000;

/** Proxies skipped until a time (ms since epoch), after they refused a batch. */
export class DownProxies {
  readonly #until = new Map<number, number>();

  /** Marks `proxyId` down for {@link PROXY_DOWN_MS}. */
  markDown(proxyId: number): void {
    this.#until.set(proxyId, Date.now() + PROXY_DOWN_MS);
  }

  /** Whether `proxyId` may be used now. */
  isLive(proxyId: number): boolean {
    return (this.#until.get(proxyId) ?? 0) < Date.now();
  }
}

/** What proxy selection needs, loaded once per batch. */
export interface ProxyView {
  proxies: SmartProxyRow[];
  subnetProxies: Array<{ subnet_id: number; smart_proxy_id: number }>;
  /** Tasks planned or running per proxy id (updated as tasks are assigned). */
  load: Map<number, number>;
}

/** Loads the proxies, their subnets and their load. */
export async function loadProxyView(db: Kysely<Database>): Promise<ProxyView> {
  const proxies = await db.selectFrom('smart_proxies').selectAll().orderBy('id').execute();
  const subnetProxies = await db.selectFrom('subnet_proxies').selectAll().execute();
  return { proxies, subnetProxies, load: await proxyLoad(db) };
}

/** The chosen proxy and the live candidates (for failover), or why none can be used. */
export type ProxyChoice = { proxy: SmartProxyRow; live: SmartProxyRow[] } | { failure: string };

/** Chooses the proxy of a host in subnet `subnetId` and counts the task in its load. */
export function chooseProxy(subnetId: number | null, view: ProxyView, down: DownProxies, settings: SettingsStore): ProxyChoice {
  const pool = pickProxies(subnetId, view.proxies, view.subnetProxies, settings);
  const live = pool.filter((p) => down.isLive(p.id));
  if (pool.length === 0) {
    return { failure: 'Could not use any proxy for the script job. Consider configuring remote_execution_global_proxy, remote_execution_fallback_proxy in settings' };
  }
  if (live.length === 0) {
    return { failure: pool.length === 1 ? `The only applicable proxy ${pool[0]?.name ?? ''} is down` : `All ${pool.length} applicable proxies are down. Tried ${pool.map((p) => p.name).join(', ')}` };
  }
  live.sort((a, b) => (view.load.get(a.id) ?? 0) - (view.load.get(b.id) ?? 0));
  const proxy = live[0] as SmartProxyRow;
  view.load.set(proxy.id, (view.load.get(proxy.id) ?? 0) + 1);
  return { proxy, live };
}

async function proxyLoad(db: Kysely<Database>): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('template_invocations')
    .select(['smart_proxy_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['planned', 'running'])
    .where('smart_proxy_id', 'is not', null)
    .groupBy('smart_proxy_id')
    .execute();
  return new Map(rows.map((r) => [r.smart_proxy_id ?? 0, Number(r.n)]));
}

/** Proxy strategies in order: the host subnet's REX proxies, then (global setting) every proxy. */
function pickProxies(
  subnetId: number | null,
  proxies: readonly SmartProxyRow[],
  subnetProxies: ReadonlyArray<{ subnet_id: number; smart_proxy_id: number }>,
  settings: SettingsStore,
): SmartProxyRow[] {
  if (subnetId !== null) {
    const ids = new Set(subnetProxies.filter((s) => s.subnet_id === subnetId).map((s) => s.smart_proxy_id));
    const fromSubnet = proxies.filter((p) => ids.has(p.id));
    if (fromSubnet.length > 0) return fromSubnet;
  }
  const global = settings.get('remote_execution_global_proxy');
  return global === true || global === 'true' ? [...proxies] : [];
}
