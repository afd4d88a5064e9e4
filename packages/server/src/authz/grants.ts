/**
 * @module
 * A user's effective grants: for each permission, the searches of the filters (of all the
 * user's roles) that grant it — OR between filters, `null` for an unlimited filter. Loaded from
 * the database for each request and for each task just before dispatch, so a revoked role
 * grants nothing from the next request or task on (no cache to go stale). For a user placed in
 * organizations or locations, the grants on taxable resources are limited to them
 * (`taxonomies/taxonomy-scope.ts`).
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { scopeSearches, TAXABLE_RESOURCE_TYPES, taxonomySearch, userTaxonomies } from '../taxonomies/taxonomy-scope.ts';
import { permissionByName } from './permissions.ts';

/** Searches granting each permission (`null` = unlimited). */
export type Grants = ReadonlyMap<string, readonly (string | null)[]>;

/** The grants of user `userId` through all of their roles. */
export async function loadGrants(db: Kysely<Database>, userId: number): Promise<Grants> {
  const rows = await db
    .selectFrom('user_roles as ur')
    .innerJoin('filters as f', 'f.role_id', 'ur.role_id')
    .innerJoin('filter_permissions as fp', 'fp.filter_id', 'f.id')
    .select(['fp.permission', 'f.search'])
    .where('ur.user_id', '=', userId)
    .execute();
  const grants = new Map<string, (string | null)[]>();
  for (const r of rows) {
    const search = r.search === null || r.search.trim() === '' ? null : r.search;
    grants.set(r.permission, [...(grants.get(r.permission) ?? []), search]);
  }
  // A user placed in organizations or locations works inside them (ADR 0023).
  const scope = taxonomySearch(await userTaxonomies(db, userId));
  if (scope !== null) {
    for (const [permission, searches] of grants) {
      if (TAXABLE_RESOURCE_TYPES.has(permissionByName(permission)?.resource_type ?? '')) grants.set(permission, scopeSearches(searches, scope));
    }
  }
  return grants;
}

/**
 * What `permission` lets its holder reach: `'all'` (some filter is unlimited), the searches to
 * OR together, or `'none'` when no filter grants it.
 */
export function reach(grants: Grants, permission: string): 'all' | 'none' | readonly string[] {
  const searches = grants.get(permission);
  if (searches === undefined || searches.length === 0) return 'none';
  if (searches.includes(null)) return 'all';
  return searches.filter((s): s is string => s !== null);
}
