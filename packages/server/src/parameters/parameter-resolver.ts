/**
 * @module
 * Parameter inheritance: common (global) → hostgroup chain (root first) → host; the last wins.
 * Batch-oriented, so the dispatcher resolves thousands of hosts with three queries.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { chunks } from '../db/time.ts';

/** A host's identity for parameter resolution. */
export interface ParameterOwner {
  id: number;
  hostgroup_id: number | null;
}

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

/** Effective parameters of each host (`host id → name → value`). */
export async function resolveHostParameters(
  db: Kysely<Database>,
  hosts: readonly ParameterOwner[],
): Promise<Map<number, Record<string, string>>> {
  const groups = await db.selectFrom('hostgroups').select(['id', 'parent_id']).execute();
  const parents = new Map(groups.map((g) => [g.id, g.parent_id]));
  const common = await db.selectFrom('parameters').select(['name', 'value']).where('scope', '=', 'common').execute();
  const groupParams = new Map<number, Array<{ name: string; value: string }>>();
  for (const p of await db.selectFrom('parameters').select(['scope_id', 'name', 'value']).where('scope', '=', 'hostgroup').execute()) {
    const list = groupParams.get(p.scope_id) ?? [];
    list.push(p);
    groupParams.set(p.scope_id, list);
  }
  const hostParams = new Map<number, Array<{ name: string; value: string }>>();
  for (const ids of chunks(
    hosts.map((h) => h.id),
    5000,
  )) {
    const rows = await db
      .selectFrom('parameters')
      .select(['scope_id', 'name', 'value'])
      .where('scope', '=', 'host')
      .where('scope_id', 'in', ids)
      .execute();
    for (const p of rows) {
      const list = hostParams.get(p.scope_id) ?? [];
      list.push(p);
      hostParams.set(p.scope_id, list);
    }
  }
  const result = new Map<number, Record<string, string>>();
  for (const host of hosts) {
    const params: Record<string, string> = {};
    for (const p of common) params[p.name] = p.value;
    for (const gid of hostgroupChain(host.hostgroup_id, parents)) for (const p of groupParams.get(gid) ?? []) params[p.name] = p.value;
    for (const p of hostParams.get(host.id) ?? []) params[p.name] = p.value;
    result.set(host.id, params);
  }
  return result;
}
