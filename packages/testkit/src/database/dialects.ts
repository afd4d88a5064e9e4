/**
 * @module
 * Which database engines the DB suites run on.
 */

/** A database engine Remex supports. */
export type Dialect = 'sqlite' | 'postgres';

const ALL: readonly Dialect[] = ['sqlite', 'postgres'];

/**
 * Parses a `REMEX_TEST_DIALECTS` value ("sqlite,postgres"; spaces and case ignored).
 * Empty or unset gives both engines; an unknown name throws.
 */
export function parseDialects(value: string | undefined): Dialect[] {
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
  if (names.length === 0) return [...ALL];
  const out: Dialect[] = [];
  for (const name of names) {
    const dialect = ALL.find((d) => d === name);
    if (dialect === undefined) {
      throw new Error(`REMEX_TEST_DIALECTS: unknown dialect "${name}" (expected ${ALL.join(', ')})`);
    }
    if (!out.includes(dialect)) out.push(dialect);
  }
  return out;
}

/**
 * Dialects to run DB suites on, from env `REMEX_TEST_DIALECTS` ("sqlite,postgres"; Default: both).
 * The global setup sets it to `sqlite` (with a warning) when PostgreSQL is unreachable outside CI.
 *
 * @example
 * ```ts
 * describe.each(DIALECTS)('job store on %s', (dialect) => { ... });
 * ```
 */
export const DIALECTS: Dialect[] = parseDialects(process.env['REMEX_TEST_DIALECTS']);
