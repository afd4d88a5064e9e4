/**
 * @module
 * Dialect-specific column types for portable migrations.
 */
import type { ColumnDataType, ColumnDefinitionBuilder, Expression } from 'kysely';
import { sql } from 'kysely';

/** A column type accepted by Kysely's schema builder. */
export type DataTypeExpression = ColumnDataType | Expression<unknown>;

/** The SQL dialects Remex runs on. */
export type DialectName = 'sqlite' | 'postgres';

/** Column helpers handed to every migration. */
export interface MigrationHelpers {
  dialect: DialectName;
  /** Integer surrogate key type. */
  id: DataTypeExpression;
  /** 64-bit surrogate key type (large append-only tables). */
  bigId: DataTypeExpression;
  /** Double precision float. */
  float: DataTypeExpression;
  /** Marks a column as auto-incrementing primary key. */
  pk(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
}

/** Builds the helpers for `dialect`. */
export function migrationHelpers(dialect: DialectName): MigrationHelpers {
  if (dialect === 'postgres') {
    return {
      dialect,
      id: 'serial',
      bigId: 'bigserial',
      float: sql`double precision`,
      pk: (c) => c.primaryKey(),
    };
  }
  return {
    dialect,
    id: 'integer',
    bigId: 'integer',
    float: 'real',
    pk: (c) => c.primaryKey().autoIncrement(),
  };
}
