/**
 * @module
 * Scoping of lists (ADR 0011): a list route whose permission is the `view_` permission of the
 * resource it lists returns only the records that permission's filters reach — their searches
 * OR-ed, compiled with the list's own search compiler, ANDed into the base query so totals,
 * subtotals and pages count only visible records.
 */
import type { Expression, ExpressionBuilder, ExpressionOrFactory, SqlBool } from 'kysely';
import { sql } from 'kysely';

import { OWNED_PARAMETER_LEVELS } from '../parameters/parameter-levels.ts';
import { reach } from './grants.ts';
import { permissionByName, RESOURCE_SEARCH_CONTROLLER } from './permissions.ts';
import { currentAuthz } from './request-context.ts';
import { ROUTE_PERMISSIONS } from './route-permissions.ts';

/** Nested lists of a resource, besides `GET /api/<controller>`, by resource type. */
const NESTED_LISTS: Readonly<Record<string, readonly string[]>> = {
  Parameter: ['GET /api/hosts/:owner/parameters', 'GET /api/hostgroups/:owner/parameters', ...OWNED_PARAMETER_LEVELS.map((l) => `GET ${l.base}`)],
};

/** The permission whose filters scope the list route `key`, if it is a scoped list. */
function scopingPermission(key: string): string | undefined {
  const permission = ROUTE_PERMISSIONS[key];
  const type = permission === undefined ? undefined : permissionByName(permission)?.resource_type;
  if (type === undefined || permission?.startsWith('view_') !== true) return undefined;
  const own = RESOURCE_SEARCH_CONTROLLER[type];
  return key === `GET /api/${own ?? ''}` || (NESTED_LISTS[type] ?? []).includes(key) ? permission : undefined;
}

/**
 * The condition limiting the list of the current request to what its user may view, or
 * undefined when nothing limits it (admin, unlimited filter, not a scoped list).
 * @param search - the list's search compiler (same language and aliases as the `search` parameter)
 */
export function listScope<DB, TB extends keyof DB>(search: (text: string) => ExpressionOrFactory<DB, TB, SqlBool>): ((eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool>) | undefined {
  const state = currentAuthz();
  if (state?.grants == null) return undefined;
  const permission = scopingPermission(state.route);
  if (permission === undefined) return undefined;
  const r = reach(state.grants, permission);
  if (r === 'all') return undefined;
  if (r === 'none') return () => sql<SqlBool>`1 = 0`;
  const compiled = r.map((text) => search(text));
  return (eb) => eb.or(compiled.map((c) => (typeof c === 'function' ? (c as (e: ExpressionBuilder<DB, TB>) => Expression<SqlBool>)(eb) : c)));
}
