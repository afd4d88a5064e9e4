/**
 * @module
 * `COUNT(*)` of a query, for the `total`/`subtotal` of list answers.
 */
import type { SelectQueryBuilder } from 'kysely';

/** Number of rows `query` selects (its selection is replaced by `COUNT(*)`). */
export async function countRows<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  // The selection's type cannot be worked out for a generic DB; the row is `{ n }` either way.
  const row = (await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()) as { n: number | string };
  return Number(row.n);
}
