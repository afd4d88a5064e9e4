/**
 * @module
 * Proxy choice for a host: the host subnet's REX proxies, then (setting
 * `remote_execution_global_proxy`) every proxy — a subnet whose proxies are all down falls back to
 * the next strategy; proxies that refused a batch lately are skipped, and among the rest the least
 * loaded (tasks planned or running) is taken. When no proxy applies at all and the setting
 * `remote_execution_without_proxy` is on (manual §4.2), the installation's built-in runner (the
 * proxy `remex up` starts beside the server) runs the task.
 */
import type { Kysely } from 'kysely';

import type { Database, SmartProxyRow } from '../../db/schema.ts';
import type { SettingsStore } from '../../settings/settings-store.ts';

/** How long a proxy that refused a batch is skipped (ms). */
export const PROXY_DOWN_MS = 15_000;

/**
 * Proxies skipped until a time (ms since epoch), after they refused a batch; a proxy whose
 * registration was refreshed since (it proved itself again) is live at once.
 */
export class DownProxies {
  readonly #marks = new Map<number, { at: number; until: number }>();

  /** Marks `proxyId` down for {@link PROXY_DOWN_MS}. */
  markDown(proxyId: number): void {
    const now = Date.now();
    this.#marks.set(proxyId, { at: now, until: now + PROXY_DOWN_MS });
  }

  /** Whether `proxy` may be used now. */
  isLive(proxy: Pick<SmartProxyRow, 'id' | 'updated_at'>): boolean {
    const mark = this.#marks.get(proxy.id);
    if (!mark) return true;
    return mark.until < Date.now() || Date.parse(proxy.updated_at) > mark.at;
  }
}

/** What proxy selection needs, loaded once per batch. */
export interface ProxyView {
  proxies: SmartProxyRow[];
  subnetProxies: Array<{ subnet_id: number; smart_proxy_id: number }>;
  /** Tasks planned or running per proxy id (updated as tasks are assigned). */
  load: Map<number, number>;
  /** The organizations and locations of the proxies placed in some (ADR 0023). */
  taxonomies?: ReadonlyMap<number, { Organization: ReadonlySet<number>; Location: ReadonlySet<number> }>;
}

/** Where a host is: its subnet and its taxonomies. */
export interface HostPlacement {
  subnet_id: number | null;
  organization_id?: number | null;
  location_id?: number | null;
}

/** Loads the proxies, their subnets and their load. */
export async function loadProxyView(db: Kysely<Database>): Promise<ProxyView> {
  const proxies = await db.selectFrom('smart_proxies').selectAll().orderBy('id').execute();
  const subnetProxies = await db.selectFrom('subnet_proxies').selectAll().execute();
  const placed = await db
    .selectFrom('taxable_taxonomies as tt')
    .innerJoin('taxonomies as tx', 'tx.id', 'tt.taxonomy_id')
    .select(['tt.taxable_id', 'tx.id', 'tx.type'])
    .where('tt.taxable_type', '=', 'SmartProxy')
    .execute();
  const taxonomies = new Map<number, { Organization: Set<number>; Location: Set<number> }>();
  for (const r of placed) {
    const entry = taxonomies.get(r.taxable_id) ?? { Organization: new Set<number>(), Location: new Set<number>() };
    entry[r.type].add(r.id);
    taxonomies.set(r.taxable_id, entry);
  }
  return { proxies, subnetProxies, load: await proxyLoad(db), taxonomies };
}

/** The chosen proxy and the live candidates (for failover), or why none can be used. */
export type ProxyChoice = { proxy: SmartProxyRow; live: SmartProxyRow[] } | { failure: string };

/**
 * Chooses the proxy of a host in subnet `subnetId` and counts the task in its load: the first
 * strategy (Foreman's order: the subnet's proxies, then with `remote_execution_global_proxy`
 * every proxy) that has a live proxy gives the least loaded one; the live proxies of that and the
 * later strategies are the failover candidates. Foreman's messages when none can be used.
 */
export function chooseProxy(where: number | null | HostPlacement, view: ProxyView, down: DownProxies, settings: SettingsStore, builtinProxy?: string): ProxyChoice {
  const host: HostPlacement = typeof where === 'object' && where !== null ? where : { subnet_id: where };
  // The global strategy offers only proxies of the host's organization and location (a proxy in
  // none of a kind serves all of them, ADR 0023).
  const sameTaxonomies = (p: SmartProxyRow): boolean => {
    const placed = view.taxonomies?.get(p.id);
    if (placed === undefined) return true;
    const fits = (ids: ReadonlySet<number>, hostId: number | null | undefined) => ids.size === 0 || hostId === null || hostId === undefined || ids.has(hostId);
    return fits(placed.Organization, host.organization_id) && fits(placed.Location, host.location_id);
  };
  const strategies = proxyStrategies(host.subnet_id, view.proxies, view.subnetProxies, settings, sameTaxonomies);
  if (strategies.length === 0 && isOn(settings.get('remote_execution_without_proxy'))) {
    const builtin = view.proxies.find((p) => p.name === builtinProxy);
    if (builtin !== undefined) strategies.push([builtin]);
  }
  const tried = [...new Map(strategies.flat().map((p) => [p.id, p])).values()];
  if (tried.length === 0) {
    return { failure: 'Could not use any proxy for the script job. Consider configuring remote_execution_global_proxy, remote_execution_fallback_proxy in settings' };
  }
  const at = strategies.findIndex((pool) => pool.some((p) => down.isLive(p)));
  if (at < 0) {
    return { failure: tried.length === 1 ? `The only applicable proxy ${tried[0]?.name ?? ''} is down` : `All ${tried.length} applicable proxies are down. Tried ${tried.map((p) => p.name).join(', ')}` };
  }
  const first = strategies[at]!.filter((p) => down.isLive(p)).sort((a, b) => (view.load.get(a.id) ?? 0) - (view.load.get(b.id) ?? 0));
  const proxy = first[0] as SmartProxyRow;
  const live = [...new Map([...first, ...strategies.slice(at + 1).flat().filter((p) => down.isLive(p))].map((p) => [p.id, p])).values()];
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

/**
 * Proxy strategies in order: the host subnet's REX proxies, then (`remote_execution_global_proxy`)
 * every proxy. (`remote_execution_fallback_proxy` looks for other proxies associated with the host;
 * a Remex host has none besides its subnet's.)
 */
function proxyStrategies(
  subnetId: number | null,
  proxies: readonly SmartProxyRow[],
  subnetProxies: ReadonlyArray<{ subnet_id: number; smart_proxy_id: number }>,
  settings: SettingsStore,
  global: (p: SmartProxyRow) => boolean = () => true,
): SmartProxyRow[][] {
  const strategies: SmartProxyRow[][] = [];
  if (subnetId !== null) {
    const ids = new Set(subnetProxies.filter((s) => s.subnet_id === subnetId).map((s) => s.smart_proxy_id));
    const fromSubnet = proxies.filter((p) => ids.has(p.id));
    if (fromSubnet.length > 0) strategies.push(fromSubnet);
  }
  const everywhere = proxies.filter(global);
  if (isOn(settings.get('remote_execution_global_proxy')) && everywhere.length > 0) strategies.push(everywhere);
  return strategies;
}

/** A boolean setting's value is on. */
function isOn(value: unknown): boolean {
  return value === true || value === 'true';
}
