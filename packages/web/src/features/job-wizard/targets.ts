/**
 * @module
 * Search queries for explicit host lists.
 */

/** Quotes a search value when it is not a bare word. */
export function searchValue(v: string): string {
  return /^[\w.\-:@]+$/.test(v) ? v : `"${v.replace(/["\\]/g, '')}"`;
}

/** `name ^ (a, b)` for the named hosts (`name = a` for one). */
export function hostsQuery(names: readonly string[]): string {
  if (names.length === 1) return `name = ${searchValue(names[0] ?? '')}`;
  return `name ^ (${names.map(searchValue).join(', ')})`;
}

/** `hostgroup ^ (a, b)` for host groups. */
export function hostgroupsQuery(names: readonly string[]): string {
  if (names.length === 1) return `hostgroup = ${searchValue(names[0] ?? '')}`;
  return `hostgroup ^ (${names.map(searchValue).join(', ')})`;
}
