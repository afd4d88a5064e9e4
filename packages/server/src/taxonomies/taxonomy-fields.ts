/**
 * @module
 * The `organization_id` and `location_id` search fields of taxable resources (ADR 0023): a record
 * matches when it is in a matching organization (location) — or in none at all, since a record
 * assigned to no organization belongs to every one of them. Hosts hold their taxonomies in
 * columns; host groups, subnets, smart proxies, job templates and users in `taxable_taxonomies`.
 * These fields are what the taxonomy scoping of users compiles to (`taxonomy-scope.ts`).
 */
import type { FieldComparison } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

/** The two kinds of taxonomy. */
export type TaxonomyKind = 'Organization' | 'Location';

/** The search field of a kind. */
export const TAXONOMY_FIELDS: Readonly<Record<TaxonomyKind, 'organization_id' | 'location_id'>> = { Organization: 'organization_id', Location: 'location_id' };

/** Which `taxable_type` each taxable resource type is stored as. */
export type TaxableType = 'Hostgroup' | 'Subnet' | 'SmartProxy' | 'JobTemplate' | 'User';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEb = ExpressionBuilder<any, any>;

/** `record id column` is in a taxonomy of `kind` that matches `c`, or in none of that kind. */
function taxableCondition(eb: AnyEb, type: TaxableType, kind: TaxonomyKind, idColumn: string, c: FieldComparison): Expression<SqlBool> {
  const rows = (test: boolean) =>
    eb
      .selectFrom('taxable_taxonomies as tt')
      .innerJoin('taxonomies as tx', 'tx.id', 'tt.taxonomy_id')
      .select(sql.lit(1).as('one'))
      .where('tt.taxable_type', '=', type)
      .whereRef('tt.taxable_id', '=', sql.ref(idColumn))
      .where('tx.type', '=', kind)
      .where((sub: AnyEb) => (test ? c.test(sub.ref('tt.taxonomy_id')) : sql<SqlBool>`1 = 1`));
  return eb.or([eb.not(eb.exists(rows(false))), eb.exists(rows(true))]);
}

/** Field definitions for a taxable resource whose id is `idColumn`. */
export function taxableFields(type: TaxableType, idColumn: string) {
  const field = (kind: TaxonomyKind) => ({
    type: 'integer' as const,
    onlyExplicit: true,
    description: `${kind} id (records in no ${kind.toLowerCase()} match every one)`,
    build: (eb: AnyEb, c: FieldComparison) => taxableCondition(eb, type, kind, idColumn, c),
  });
  return { organization_id: field('Organization'), location_id: field('Location') };
}

/** Field definitions for hosts (`organization_id`, `location_id` columns of `alias`). */
export function hostTaxonomyFields(alias: string) {
  const field = (column: string, kind: TaxonomyKind) => ({
    type: 'integer' as const,
    onlyExplicit: true,
    description: `${kind} id (hosts in no ${kind.toLowerCase()} match every one)`,
    build: (eb: AnyEb, c: FieldComparison) => eb.or([eb(sql.ref(`${alias}.${column}`), 'is', null), c.test(sql.ref(`${alias}.${column}`))]),
  });
  return { organization_id: field('organization_id', 'Organization'), location_id: field('location_id', 'Location') };
}
