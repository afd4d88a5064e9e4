/**
 * @module
 * The one list sequence of the API: total → search → subtotal → order → page → envelope.
 * Every `GET` of a collection goes through {@link listResource}, so all lists count, search,
 * order and page alike (subtotal equals total when there is no search).
 */
import type { ExpressionOrFactory, SelectQueryBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

import { listScope } from '../authz/list-scope.ts';
import { countRows } from '../db/count-rows.ts';
import type { ListParams, ListResponse } from './params.ts';
import { listResponse } from './params.ts';

/** How one collection is listed. */
export interface ListSpec<DB, TB extends keyof DB, O, T> {
  /** Parsed `page`/`per_page`/`search`/`order` (see `listParams`). */
  params: ListParams;
  /** The rows the caller may see before the search (scope filters included). */
  base: SelectQueryBuilder<DB, TB, object>;
  /** Counts `total` when it is not the count of {@link base} (e.g. a join that adds no rows). */
  total?: () => Promise<number>;
  /**
   * A condition of the request besides `search` (e.g. the job hosts' `awaiting`): like a search it
   * narrows the page and the subtotal, never the total.
   */
  narrow?: ExpressionOrFactory<DB, TB, SqlBool>;
  /** Compiles the `search` parameter into a condition over {@link base}. */
  search: (search: string) => ExpressionOrFactory<DB, TB, SqlBool>;
  /** Column (SQL reference) of each accepted `order` field. */
  orderColumns: Readonly<Record<string, string>>;
  /** Order field used without an `order` parameter. */
  defaultOrder: string;
  /** Direction used without an `order` parameter (default ascending). */
  defaultDirection?: 'asc' | 'desc';
  /** Further columns ordered after the chosen one (ascending unless `tiebreakDirection`), for a stable page. */
  tiebreak?: readonly string[];
  /** Whether the tiebreak columns follow the chosen direction. */
  tiebreakFollows?: boolean;
  /** The selection of a page row. */
  select: (query: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>;
  /** Turns the rows of the page into the results of the answer. */
  serialize: (rows: O[]) => T[] | Promise<T[]>;
}

/** Runs the list sequence of `spec` and builds Foreman's list envelope. */
export async function listResource<DB, TB extends keyof DB, O, T>(spec: ListSpec<DB, TB, O, T>): Promise<ListResponse<T>> {
  const lp = spec.params;
  // The user's view filters (ADR 0011) limit the base: totals, subtotals and pages count only visible rows.
  const scope = listScope(spec.search);
  const scoped = scope === undefined ? spec.base : spec.base.where(scope);
  // The taxonomy context (`?organization_id=`) limits the list as a whole, as in Foreman.
  const base = lp.context == null ? scoped : scoped.where(spec.search(lp.context));
  const narrowed = spec.narrow === undefined ? base : base.where(spec.narrow);
  const filtered = lp.search === null ? narrowed : narrowed.where(spec.search(lp.search));
  const counted = lp.search !== null || spec.narrow !== undefined;
  const by = lp.order?.by ?? spec.defaultOrder;
  const direction = lp.order?.direction ?? spec.defaultDirection ?? 'asc';
  const column = spec.orderColumns[by] ?? spec.orderColumns[spec.defaultOrder] ?? by;
  let page = spec.select(filtered).orderBy(sql.ref(column), direction);
  for (const extra of spec.tiebreak ?? []) page = page.orderBy(sql.ref(extra), spec.tiebreakFollows === true ? direction : 'asc');
  // Total, subtotal and page are independent: on PostgreSQL they run on separate pooled connections.
  const [total, subtotal, rows] = await Promise.all([
    spec.total && scope === undefined && lp.context == null ? spec.total() : countRows(base),
    counted ? countRows(filtered) : Promise.resolve(null),
    page
      .limit(lp.perPage)
      .offset((lp.page - 1) * lp.perPage)
      .execute(),
  ]);
  return listResponse(lp, total, subtotal ?? total, await spec.serialize(rows));
}
