/**
 * @module
 * Turns a `~` value into a LIKE pattern the way scoped_search does, with escaping:
 * without `*` or `%` the value is wrapped as `%value%`; otherwise `*` (and `%`) are wildcards,
 * runs squeezed into one `%`, and nothing is wrapped. `_` and `\` are escaped with `\` so they
 * match only themselves; the SQL uses `ESCAPE '\'`.
 */

/** The LIKE pattern (escape character `\`) for a `~`/`!~` value. */
export function likePattern(value: string): string {
  const escaped = value.replace(/[\\_]/g, (c) => `\\${c}`);
  if (!/[%*]/.test(value)) return `%${escaped}%`;
  return escaped.replace(/[%*]+/g, '%');
}
