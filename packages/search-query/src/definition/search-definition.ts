/**
 * @module
 * How a resource describes its searchable fields. A server module defines one
 * {@link SearchDefinition} per resource (hosts, job invocations…) with {@link defineSearch}.
 *
 * Glossary:
 * - **field**: a name usable on the left of an operator (`name`, `status`, `hostgroup`).
 * - **column field**: compares a column of the searched table(s) directly.
 * - **custom field**: the definition builds the predicate itself (`build`), typically an
 *   `EXISTS` subquery over a relation; `comparison.test(expr)` applies the operator to any
 *   expression.
 * - **key-value field**: a prefix such as `facts` or `params`; `facts.os_family = Debian` calls
 *   `build` with `key = 'os_family'`.
 * - **default fields**: fields searched by free text (a bare word); every field except
 *   `onlyExplicit` and key-value ones.
 * - **translated values** (`values`): words the user types mapped to stored codes
 *   (`status = failed` → 1).
 */
import type { Expression, ExpressionBuilder, SqlBool, StringReference } from 'kysely';
import { SearchFieldError } from '../errors/search-errors.ts';
import type { SourceSpan } from '../errors/search-errors.ts';
import type { ComparisonOperator } from '../lexer/token.ts';

/**
 * Type of a field, deciding which operators and values it accepts:
 * - `string`: all operators; `~`/`!~` are (I)LIKE with `*` wildcards;
 * - `integer`: values must be integers; no `~`;
 * - `datetime`: values are dates (`"2 days ago"`, `yesterday`, ISO); `= date` matches the whole
 *   day/unit;
 * - `boolean`: values `true`/`false` (or `values` if given); `=`/`!=`/`^`/`!^` only;
 * - `set`: values must be keys of `values`, translated to the stored codes.
 */
export type FieldType = 'string' | 'integer' | 'datetime' | 'boolean' | 'set';

/** A stored value a translated word maps to. */
export type StoredScalar = string | number | boolean;

/** Which stored value(s) each accepted word means. An array means "any of these" (IN). */
export type ValueTranslation = Readonly<Record<string, StoredScalar | readonly StoredScalar[]>>;

/** Options shared by every kind of field. */
export interface FieldOptions {
  /** How values are validated and compared. */
  readonly type: FieldType;
  /** Not searched by free text; must be named (`status = failed`). (Default: false; key-value fields are always explicit.) */
  readonly onlyExplicit?: boolean;
  /**
   * Word → stored value translation. Required for `set`; for `boolean` it defaults to
   * `{ true: true, false: false }`. Unknown words fail with
   * `'status' should be one of 'a, b', but the query was 'x'`.
   */
  readonly values?: ValueTranslation;
  /** Operators this field accepts; others fail with `Operator 'x' not supported for 'field'`. (Default: by type.) */
  readonly operators?: readonly ComparisonOperator[];
  /** Other names for the same field (`owner` for `user`). */
  readonly aliases?: readonly string[];
  /**
   * Accept the special value `current_user`, replaced by the signed-in user's `id` or `login`
   * from the compile context. (Default: not accepted; `current_user` is then a plain word.)
   */
  readonly currentUser?: 'id' | 'login';
  /**
   * For `string` fields: when the value is a number and the operator one of `= != > < >= <=`,
   * compare numerically (guarded CAST; non-numeric stored values never match). Needed for
   * `facts.memorysize_mb > 1024`. (Default: true for key-value fields, false otherwise.)
   */
  readonly numeric?: boolean;
  /**
   * Operator used when free text (a bare word) searches this field. (Default: `~` for `string`,
   * `=` for the other types.) Set `'='` for fields where partial matches make no sense.
   */
  readonly defaultOperator?: ComparisonOperator;
  /** Extra validation of each value: return `false` or a message to reject it. */
  readonly validate?: (value: string) => boolean | string;
  /** One-line description shown by autocompletion. */
  readonly description?: string;
}

/** A field compared on a column (or any reference) of the searched query. */
export interface ColumnField<DB, TB extends keyof DB> extends FieldOptions {
  /** The column, e.g. `'hosts.name'`. */
  readonly column: StringReference<DB, TB>;
  readonly keyValue?: false;
  readonly build?: never;
}

/**
 * How negative operators (`!=`, `!~`, `!^`) reach a custom or key-value `build`:
 * - `inside` (default, as scoped_search): `build` receives the negative operator, so
 *   `hostgroup != web` means "has a hostgroup, and it is not web";
 * - `outside`: `build` receives the positive operator and the result is negated
 *   (`NOT COALESCE(…, false)`), so `hostgroup != web` also matches hosts without a hostgroup.
 */
export type NegationMode = 'inside' | 'outside';

/** A field whose predicate the definition builds (relations, computed values). */
export interface CustomField<DB, TB extends keyof DB> extends FieldOptions {
  readonly keyValue?: false;
  readonly column?: never;
  /** Column to sort by when the field is named in an `order` parameter (see {@link resolveOrder}). */
  readonly orderColumn?: StringReference<DB, TB>;
  /** See {@link NegationMode}. (Default: `inside`.) */
  readonly negation?: NegationMode;
  /**
   * Ties the field to a row of a relation (scoped_search's `relation`): comparisons of fields of
   * the same relation ANDed together (`job_invocation.id = 5 and job_invocation.result =
   * failed`) must hold on the same related row, so the compiler hands them together to the
   * definition's `relations[name]`, each as `condition(sub, comparison)` on that row. Alone, the
   * field still compiles through `build`. Negative comparisons are never tied.
   */
  readonly relation?: { readonly name: string; condition(sub: never, comparison: FieldComparison): Expression<SqlBool> };
  /**
   * Builds the predicate. Call `comparison.test(expression)` to apply the operator and value to
   * an expression of your choice (inside a subquery if you like).
   * `null? field` is compiled as `NOT COALESCE(build(set? field), false)`, so `build` only ever
   * sees the presence operator `set`.
   */
  build(eb: ExpressionBuilder<DB, TB>, comparison: FieldComparison): Expression<SqlBool>;
}

/** A prefix field: `facts.<key>`, `params.<key>`. */
export interface KeyValueField<DB, TB extends keyof DB> extends FieldOptions {
  /** Marks the field as a prefix: `<name>.<key>`. */
  readonly keyValue: true;
  readonly column?: never;
  /** See {@link NegationMode}. (Default: `inside`.) */
  readonly negation?: NegationMode;
  /** Builds the predicate for one key; `comparison.key` is the part after the first dot. */
  build(eb: ExpressionBuilder<DB, TB>, comparison: FieldComparison & { readonly key: string }): Expression<SqlBool>;
}

/** Any field of a {@link SearchDefinition}. */
export type SearchField<DB, TB extends keyof DB> = ColumnField<DB, TB> | CustomField<DB, TB> | KeyValueField<DB, TB>;

/**
 * Builds one predicate over a relation from the row conditions of several tied fields (see
 * {@link CustomField.relation}): typically `EXISTS (… WHERE <all conditions>)`.
 */
export type RelationBuilder<DB, TB extends keyof DB> = (eb: ExpressionBuilder<DB, TB>, conditions: ReadonlyArray<(sub: never) => Expression<SqlBool>>) => Expression<SqlBool>;

/** The searchable fields of one resource. */
export interface SearchDefinition<DB, TB extends keyof DB> {
  /** Fields by name. Key-value fields are named by their prefix (`facts`). */
  readonly fields: Readonly<Record<string, SearchField<DB, TB>>>;
  /** Relations whose fields' comparisons are tied to one row when ANDed, by relation name. */
  readonly relations?: Readonly<Record<string, RelationBuilder<DB, TB>>>;
}

/** Operator of a {@link FieldComparison}: a comparison operator, or `set` for `set? field`. */
export type FieldOperator = ComparisonOperator | 'set';

/**
 * One comparison handed to a custom or key-value field's `build`, already validated and
 * translated.
 */
export interface FieldComparison {
  /** The field name as written (`facts.os_family`, `owner`). */
  readonly name: string;
  /** The definition's name of the field (`facts`, `user`). */
  readonly field: string;
  /** For key-value fields: the key after the prefix. */
  readonly key: string | undefined;
  readonly operator: FieldOperator;
  /** The values as written (after `current_user` substitution); empty for `set`. */
  readonly texts: readonly string[];
  /**
   * The values as bound to the database: translated codes, numbers for integer fields,
   * serialized dates (the range start for datetime fields).
   */
  readonly values: readonly unknown[];
  /** Where the comparison is in the query. */
  readonly span: SourceSpan;
  /**
   * Applies this comparison to an expression: `=`, `<>`, (I)LIKE with escaped patterns,
   * IN lists, guarded numeric casts, date ranges, IS NOT NULL for `set`.
   */
  test(expression: Expression<unknown>): Expression<SqlBool>;
}

/**
 * Identity function that fixes the type parameters and checks the definition.
 *
 * @example
 * ```ts
 * const hostSearch = defineSearch<Database, 'hosts'>({
 *   fields: {
 *     name: { type: 'string', column: 'hosts.name' },
 *     id: { type: 'integer', column: 'hosts.id', onlyExplicit: true },
 *   },
 * });
 * ```
 * @throws Error when a `set` field lacks `values` or two fields share a name or alias.
 */
export function defineSearch<DB, TB extends keyof DB>(definition: SearchDefinition<DB, TB>): SearchDefinition<DB, TB> {
  const names = new Set<string>(Object.keys(definition.fields));
  for (const [name, field] of Object.entries(definition.fields)) {
    if (field.type === 'set' && field.values === undefined) {
      throw new Error(`search field '${name}' has type 'set' but no values`);
    }
    const relation = (field as { relation?: { name: string } }).relation;
    if (relation !== undefined && definition.relations?.[relation.name] === undefined) throw new Error(`search field '${name}' names relation '${relation.name}', which the definition does not build`);
    for (const alias of field.aliases ?? []) {
      if (names.has(alias)) throw new Error(`search field alias '${alias}' of '${name}' is already a field name`);
      names.add(alias);
    }
  }
  return definition;
}

/** Whether a field is a key-value prefix field. @internal */
export function isKeyValueField<DB, TB extends keyof DB>(field: SearchField<DB, TB>): field is KeyValueField<DB, TB> {
  return field.keyValue === true;
}

/** Whether a field is a column field. @internal */
export function isColumnField<DB, TB extends keyof DB>(field: SearchField<DB, TB>): field is ColumnField<DB, TB> {
  return field.column !== undefined;
}

/** The result of {@link lookupField}. */
export interface FieldMatch<DB, TB extends keyof DB> {
  /** The definition's name for the field (the prefix for key-value fields). */
  readonly name: string;
  readonly field: SearchField<DB, TB>;
  /** The key of a key-value field (`os_family` in `facts.os_family`). */
  readonly key: string | undefined;
}

/**
 * Finds the field a name refers to: exact name, alias, case-insensitive name, then
 * `<prefix>.<key>` for key-value fields (the key is everything after the first dot).
 */
export function lookupField<DB, TB extends keyof DB>(definition: SearchDefinition<DB, TB>, name: string): FieldMatch<DB, TB> | undefined {
  const fields = definition.fields;
  const direct = findByName(fields, name) ?? findByName(fields, name.toLowerCase());
  if (direct !== undefined && !isKeyValueField(direct.field)) return { ...direct, key: undefined };
  const dot = name.indexOf('.');
  if (dot > 0 && dot < name.length - 1) {
    const prefix = findByName(fields, name.slice(0, dot)) ?? findByName(fields, name.slice(0, dot).toLowerCase());
    if (prefix !== undefined && isKeyValueField(prefix.field)) return { ...prefix, key: name.slice(dot + 1) };
  }
  return undefined;
}

function findByName<DB, TB extends keyof DB>(fields: Readonly<Record<string, SearchField<DB, TB>>>, name: string):
  { name: string; field: SearchField<DB, TB> } | undefined {
  if (Object.hasOwn(fields, name)) return { name, field: fields[name]! };
  for (const [fieldName, field] of Object.entries(fields)) {
    if (field.aliases?.includes(name) === true) return { name: fieldName, field };
  }
  return undefined;
}

/** A resolved `order` parameter (see {@link resolveOrder}). */
export interface SearchOrder<DB, TB extends keyof DB> {
  /** The definition's field name. */
  readonly field: string;
  readonly column: StringReference<DB, TB>;
  readonly direction: 'asc' | 'desc';
}

/**
 * Resolves a Foreman-style `order` parameter (`"name"`, `"name DESC"`) to a column of the
 * definition: the column of a column field, or the `orderColumn` of a custom field.
 *
 * @example
 * ```ts
 * const order = resolveOrder(request.order ?? 'name', hostSearch);
 * query = query.orderBy(order.column, order.direction).orderBy('hosts.id');
 * ```
 * @throws {@link SearchFieldError} `the field 'x' in the order statement is not valid field for search`.
 */
export function resolveOrder<DB, TB extends keyof DB>(order: string, definition: SearchDefinition<DB, TB>): SearchOrder<DB, TB> {
  const m = /^\s*(\S+)(?:\s+(asc|desc))?\s*$/i.exec(order);
  const name = m?.[1] ?? order.trim();
  const match = m === null ? undefined : lookupField(definition, name);
  const field = match?.field;
  const column = field === undefined ? undefined : isColumnField(field) ? field.column : isKeyValueField(field) ? undefined : field.orderColumn;
  if (match === undefined || column === undefined) {
    const begin = Math.max(0, order.indexOf(name));
    throw new SearchFieldError(`the field '${name}' in the order statement is not valid field for search`, { begin, end: begin + name.length },
      { query: order, field: name });
  }
  return { field: match.name, column, direction: m?.[2]?.toLowerCase() === 'desc' ? 'desc' : 'asc' };
}
