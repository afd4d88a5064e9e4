/**
 * @module
 * Parameter inheritance in Foreman's order: global → organization (its ancestors first) →
 * location (likewise) → domain → operating system → host group chain (root first) → host; the
 * last wins. Batch-oriented, so the dispatcher resolves thousands of hosts with a few queries. Hidden values
 * are stored sealed (`parameter-secrets.ts`): {@link resolveHostParameters} gives them masked,
 * {@link realParameters} opens them (for the script sent to a proxy only).
 */
import type { Kysely } from 'kysely';

import type { Database, ParameterScope } from '../db/schema.ts';
import { chunks } from '../db/time.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { isHiddenParameter } from './hidden-parameters.ts';

/** A host's identity for parameter resolution. */
export interface ParameterOwner {
  id: number;
  hostgroup_id: number | null;
  organization_id?: number | null;
  location_id?: number | null;
  domain_id?: number | null;
  operatingsystem_id?: number | null;
}

/** Where an effective parameter comes from (Foreman's `associated_type`). */
export type ParameterSource = 'global' | 'organization' | 'location' | 'domain' | 'os' | 'host group' | 'host';

/** Ids of `hostgroupId` and its ancestors, root first. */
export function hostgroupChain(hostgroupId: number | null, parents: ReadonlyMap<number, number | null>): number[] {
  const chain: number[] = [];
  const seen = new Set<number>();
  let current = hostgroupId;
  while (current !== null && current !== undefined && !seen.has(current)) {
    seen.add(current);
    chain.unshift(current);
    current = parents.get(current) ?? null;
  }
  return chain;
}

/** One effective parameter of a host: its value as stored (sealed when hidden) and whether it is hidden. */
export interface ResolvedParameter {
  stored: string;
  hidden: boolean;
  /** The level that set it. */
  source?: ParameterSource;
}

/** What a hidden parameter value is shown as (in the API and in every script shown to a user). */
export const PARAMETER_MASK = '*****';

type ParamRow = { name: string; value: string; hidden_value: number };

/**
 * Effective parameters of each host (`host id → name → entry`): the winning row of each name
 * decides whether it is hidden (marked so, or a known secret).
 */
export async function resolveHostParameterEntries(db: Kysely<Database>, hosts: readonly ParameterOwner[]): Promise<Map<number, Map<string, ResolvedParameter>>> {
  const groups = await db.selectFrom('hostgroups').select(['id', 'parent_id']).execute();
  const parents = new Map(groups.map((g) => [g.id, g.parent_id]));
  const taxonomyParents = new Map((await db.selectFrom('taxonomies').select(['id', 'parent_id']).execute()).map((t) => [t.id, t.parent_id]));
  const common = await db.selectFrom('parameters').select(['name', 'value', 'hidden_value']).where('scope', '=', 'common').execute();
  const byScope = async (scope: ParameterScope): Promise<Map<number, ParamRow[]>> => {
    const out = new Map<number, ParamRow[]>();
    for (const p of await db.selectFrom('parameters').select(['scope_id', 'name', 'value', 'hidden_value']).where('scope', '=', scope).execute()) {
      const list = out.get(p.scope_id) ?? [];
      list.push(p);
      out.set(p.scope_id, list);
    }
    return out;
  };
  const [orgParams, locParams, domainParams, osParams, groupParams] = await Promise.all([byScope('organization'), byScope('location'), byScope('domain'), byScope('os'), byScope('hostgroup')]);
  const hostParams = new Map<number, ParamRow[]>();
  for (const ids of chunks(
    hosts.map((h) => h.id),
    5000,
  )) {
    const rows = await db
      .selectFrom('parameters')
      .select(['scope_id', 'name', 'value', 'hidden_value'])
      .where('scope', '=', 'host')
      .where('scope_id', 'in', ids)
      .execute();
    for (const p of rows) {
      const list = hostParams.get(p.scope_id) ?? [];
      list.push(p);
      hostParams.set(p.scope_id, list);
    }
  }
  const proxyKeys = await proxyPublicKeys(db);
  const result = new Map<number, Map<string, ResolvedParameter>>();
  const put = (params: Map<string, ResolvedParameter>, p: ParamRow, source: ParameterSource) => params.set(p.name, { stored: p.value, hidden: isHiddenParameter(p.name, p.hidden_value), source });
  const level = (params: Map<string, ResolvedParameter>, rows: Map<number, ParamRow[]>, ids: readonly number[], source: ParameterSource) => {
    for (const id of ids) for (const p of rows.get(id) ?? []) put(params, p, source);
  };
  const one = (id: number | null | undefined): number[] => (id === null || id === undefined ? [] : [id]);
  for (const host of hosts) {
    const params = new Map<string, ResolvedParameter>();
    for (const p of common) put(params, p, 'global');
    level(params, orgParams, hostgroupChain(host.organization_id ?? null, taxonomyParents), 'organization');
    level(params, locParams, hostgroupChain(host.location_id ?? null, taxonomyParents), 'location');
    level(params, domainParams, one(host.domain_id), 'domain');
    level(params, osParams, one(host.operatingsystem_id), 'os');
    level(params, groupParams, hostgroupChain(host.hostgroup_id, parents), 'host group');
    level(params, hostParams, [host.id], 'host');
    withProxyKeys(params, proxyKeys);
    result.set(host.id, params);
  }
  return result;
}

/** The SSH public keys of the registered proxies (one per line), sorted. */
async function proxyPublicKeys(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('smart_proxies').select('pubkey').where('pubkey', 'is not', null).orderBy('name').execute();
  return rows.map((r) => (r.pubkey ?? '').trim()).filter((k) => k !== '');
}

/**
 * Foreman's injected host parameter `remote_execution_ssh_keys`: the keys set on the host, its
 * groups or globally (one per line) followed by the keys of the proxies, without repeats.
 */
function withProxyKeys(params: Map<string, ResolvedParameter>, proxyKeys: readonly string[]): void {
  if (proxyKeys.length === 0) return;
  const own = params.get('remote_execution_ssh_keys');
  if (own?.hidden === true) return;
  const keys = [...(own?.stored ?? '').split('\n').map((k) => k.trim()), ...proxyKeys].filter((k) => k !== '');
  params.set('remote_execution_ssh_keys', { stored: [...new Set(keys)].join('\n'), hidden: false, source: own?.source ?? 'global' });
}

/** The values a script shown to a user is rendered with: every hidden one (not empty) is {@link PARAMETER_MASK}. */
export function maskedParameters(entries: ReadonlyMap<string, ResolvedParameter>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, e] of entries) out[name] = e.hidden && e.stored !== '' ? PARAMETER_MASK : e.stored;
  return out;
}

/**
 * The real values (hidden ones opened), for the script sent to the proxy only. `opened` caches
 * opened values across hosts (a common secret is opened once per batch).
 */
export function realParameters(entries: ReadonlyMap<string, ResolvedParameter>, secrets: SecretBox, opened: Map<string, string> = new Map()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, e] of entries) {
    if (!e.hidden) {
      out[name] = e.stored;
      continue;
    }
    let v = opened.get(e.stored);
    if (v === undefined) {
      v = secrets.open(e.stored);
      opened.set(e.stored, v);
    }
    out[name] = v;
  }
  return out;
}

/** Whether any of the effective parameters is hidden (then a display render differs from the real one). */
export function hasHiddenParameters(entries: ReadonlyMap<string, ResolvedParameter>): boolean {
  for (const e of entries.values()) if (e.hidden && e.stored !== '') return true;
  return false;
}

/** Effective parameters of each host (`host id → name → value`), hidden values masked: safe to show. */
export async function resolveHostParameters(db: Kysely<Database>, hosts: readonly ParameterOwner[]): Promise<Map<number, Record<string, string>>> {
  const entries = await resolveHostParameterEntries(db, hosts);
  return new Map([...entries].map(([id, e]) => [id, maskedParameters(e)]));
}
