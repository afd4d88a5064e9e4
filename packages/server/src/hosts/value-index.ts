/**
 * @module
 * Lets exact fact and parameter comparisons use the value indexes. On PostgreSQL those are
 * partial B-tree indexes `WHERE length(value) <= 400` (migration 0005: a B-tree entry is limited
 * to about 2.7 kB and values can be longer); the planner uses a partial index only when the query
 * repeats its condition, so `=` and `^ (…)` comparisons whose values all fit add it. On SQLite
 * the indexes are complete and the condition is a cheap no-op.
 */
import type { FieldComparison } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

/** Longest value (characters) in the partial value indexes. */
export const INDEXED_VALUE_LENGTH = 400;

/**
 * `length(column) <= 400` when `c` is an exact comparison (`=`, `^`) of short values (it cannot
 * exclude a match then), else `true`.
 */
export function indexedValueGuard<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: string, c: FieldComparison): Expression<SqlBool> {
  const exact = (c.operator === '=' || c.operator === '^') && c.texts.length > 0 && c.texts.every((t) => t.length <= INDEXED_VALUE_LENGTH);
  if (!exact) return sql<SqlBool>`1 = 1`;
  return eb(sql`length(${sql.ref(column)})`, '<=', sql.lit(INDEXED_VALUE_LENGTH));
}
