/**
 * @module
 * The search-field pattern "matches through a related table": `EXISTS (SELECT 1 FROM related
 * WHERE related.fk = outer.id AND …)`. Search definitions build the correlated rows; this adds
 * the selection and the `EXISTS`.
 */
import type { Expression, ExpressionBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

/**
 * `EXISTS` over `rows` (a correlated `selectFrom … whereRef … where …` without a selection).
 * @param eb - expression builder of the outer query
 * @param rows - the related rows that make the field match
 */
export function existsRow<DB, TB extends keyof DB, RDB, RTB extends keyof RDB>(eb: ExpressionBuilder<DB, TB>, rows: SelectQueryBuilder<RDB, RTB, object>): Expression<SqlBool> {
  return eb.exists(rows.select(sql.lit(1).as('one')));
}
