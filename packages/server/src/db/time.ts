/**
 * @module
 * Timestamp helpers for the portable ISO-8601 columns.
 */

/** Now as an ISO-8601 UTC string. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** 0/1 flag from a boolean. */
export function flag(value: boolean | null | undefined): number {
  return value ? 1 : 0;
}

/** Boolean from a stored 0/1 flag (PostgreSQL and SQLite both return numbers for integer columns). */
export function isSet(value: number | boolean | null | undefined): boolean {
  return value === true || value === 1;
}

/** Splits `items` into arrays of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
