/**
 * @module
 * Taxonomy scoping of a non-admin user (ADR 0023): a user assigned to some organizations works
 * inside them (and their sub-organizations); the same for locations. The scope is added to the
 * user's grants as a search on the taxable resources (`organization_id ^ (…) and
 * location_id ^ (…)`), so every place that honours filter searches — lists and their totals,
 * shows and edits, autocompletion, job targets, the per-host check before dispatch — honours the
 * taxonomies too. A user assigned to no organization (location) is not limited by that kind.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { TAXONOMY_FIELDS, type TaxonomyKind } from './taxonomy-fields.ts';

/** Resource types (of the permission catalog) that live in taxonomies. */
export const TAXABLE_RESOURCE_TYPES: ReadonlySet<string> = new Set(['Host', 'Hostgroup', 'Subnet', 'SmartProxy', 'JobTemplate']);

/** The taxonomy ids a user works in, per kind; undefined: not limited by that kind. */
export interface UserTaxonomies {
  Organization?: readonly number[];
  Location?: readonly number[];
}

/** Ids of `roots` and all their descendants. */
async function withDescendants(db: Kysely<Database>, roots: readonly number[]): Promise<number[]> {
  const all = new Set(roots);
  let frontier = [...roots];
  while (frontier.length > 0) {
    const children = await db.selectFrom('taxonomies').select('id').where('parent_id', 'in', frontier).execute();
    frontier = children.map((c) => c.id).filter((id) => !all.has(id));
    for (const id of frontier) all.add(id);
  }
  return [...all].sort((a, b) => a - b);
}

/** The organizations and locations user `userId` is assigned to, with their descendants. */
export async function userTaxonomies(db: Kysely<Database>, userId: number): Promise<UserTaxonomies> {
  const rows = await db
    .selectFrom('taxable_taxonomies as tt')
    .innerJoin('taxonomies as tx', 'tx.id', 'tt.taxonomy_id')
    .select(['tx.id', 'tx.type'])
    .where('tt.taxable_type', '=', 'User')
    .where('tt.taxable_id', '=', userId)
    .execute();
  const out: UserTaxonomies = {};
  for (const kind of ['Organization', 'Location'] as const) {
    const roots = rows.filter((r) => r.type === kind).map((r) => r.id);
    if (roots.length > 0) out[kind] = await withDescendants(db, roots);
  }
  return out;
}

/** The scope as a search (`organization_id ^ (1,2) and location_id ^ (3)`), or null when unlimited. */
export function taxonomySearch(t: UserTaxonomies): string | null {
  const parts = (['Organization', 'Location'] as const satisfies readonly TaxonomyKind[])
    .filter((k) => t[k] !== undefined)
    .map((k) => `${TAXONOMY_FIELDS[k]} ^ (${(t[k] ?? []).join(', ')})`);
  return parts.length === 0 ? null : parts.join(' and ');
}

/**
 * `searches` (the filters granting one permission: null = unlimited) limited to the taxonomy
 * scope: each becomes `(search) and scope`, an unlimited one becomes the scope.
 */
export function scopeSearches(searches: readonly (string | null)[], scope: string): string[] {
  return searches.map((s) => (s === null ? scope : `(${s}) and ${scope}`));
}
