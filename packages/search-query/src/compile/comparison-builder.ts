/**
 * @module
 * Validates one comparison against its field (operator, value type, translation,
 * `current_user`) and produces the {@link FieldComparison} whose `test(expr)` builds the SQL
 * predicate with Kysely's `sql` template: every user value is a bound parameter, only fixed
 * operator keywords of this module are spliced in.
 */
import { sql } from 'kysely';
import type { Expression, RawBuilder, SqlBool } from 'kysely';
import { SearchFieldError } from '../errors/search-errors.ts';
import type { SourceSpan } from '../errors/search-errors.ts';
import type { QueryValue } from '../ast/nodes.ts';
import type { ComparisonOperator } from '../lexer/token.ts';
import type {
  FieldComparison, FieldOperator, FieldType, SearchField, StoredScalar, ValueTranslation,
} from '../definition/search-definition.ts';
import { isKeyValueField } from '../definition/search-definition.ts';
import type { CompileContext } from './compile-context.ts';
import { likePattern } from './like-pattern.ts';
import { addUnits, parseTemporal } from './temporal.ts';
import type { TemporalValue } from './temporal.ts';

/** Operators each field type accepts when the field does not list its own. */
export const DEFAULT_OPERATORS: Readonly<Record<FieldType, readonly ComparisonOperator[]>> = {
  string: ['=', '!=', '~', '!~', '^', '!^', '>', '<', '>=', '<='],
  integer: ['=', '!=', '>', '<', '>=', '<=', '^', '!^'],
  datetime: ['=', '!=', '>', '<', '>=', '<='],
  boolean: ['=', '!=', '^', '!^'],
  set: ['=', '!=', '^', '!^'],
};

const SQL_OPERATORS: Readonly<Record<'=' | '!=' | '>' | '<' | '>=' | '<=', string>> = {
  '=': '=', '!=': '<>', '>': '>', '<': '<', '>=': '>=', '<=': '<=',
};

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** The operators a field accepts. @internal */
export function operatorsOf(field: { readonly type: FieldType; readonly operators?: readonly ComparisonOperator[] }): readonly ComparisonOperator[] {
  return field.operators ?? DEFAULT_OPERATORS[field.type];
}

/** The word → stored value translation of a field, if it has one. @internal */
export function translationOf(field: { readonly type: FieldType; readonly values?: ValueTranslation }): ValueTranslation | undefined {
  return field.values ?? (field.type === 'boolean' ? { true: true, false: false } : undefined);
}

/** Whether a value is an integer literal as the `integer` type accepts it. @internal */
export function isIntegerText(text: string): boolean {
  return INTEGER.test(text) && Number.isSafeInteger(Number(text));
}

/** Everything {@link buildComparison} needs to know about the comparison. @internal */
export interface ComparisonRequest<DB, TB extends keyof DB> {
  /** Field name as written. */
  readonly name: string;
  /** Definition name of the field. */
  readonly fieldName: string;
  readonly field: SearchField<DB, TB>;
  readonly key: string | undefined;
  readonly operator: FieldOperator;
  readonly values: readonly QueryValue[];
  readonly span: SourceSpan;
}

function bindScalar(value: StoredScalar, context: CompileContext): unknown {
  if (typeof value === 'boolean' && context.dialect === 'sqlite') return value ? 1 : 0;
  return value;
}

function serializeDate(date: Date, context: CompileContext): unknown {
  if (context.serializeDate !== undefined) return context.serializeDate(date);
  return context.dialect === 'postgres' ? date : date.toISOString();
}

function inList(lhs: Expression<unknown>, values: readonly unknown[], negated: boolean): RawBuilder<SqlBool> {
  if (values.length === 1) {
    return negated ? sql<SqlBool>`${lhs} <> ${values[0]}` : sql<SqlBool>`${lhs} = ${values[0]}`;
  }
  const list = sql.join(values.map((v) => sql`${v}`));
  return negated ? sql<SqlBool>`${lhs} not in (${list})` : sql<SqlBool>`${lhs} in (${list})`;
}

function binary(lhs: Expression<unknown>, operator: keyof typeof SQL_OPERATORS, value: unknown): RawBuilder<SqlBool> {
  return sql<SqlBool>`${lhs} ${sql.raw(SQL_OPERATORS[operator])} ${value}`;
}

/** A numeric view of a text expression that is NULL unless the text is a plain decimal number. */
function numericView(lhs: Expression<unknown>, context: CompileContext): RawBuilder<unknown> {
  if (context.dialect === 'postgres') {
    return sql`(case when cast(${lhs} as text) ~ '^-?[0-9]+([.][0-9]+)?$' then cast(cast(${lhs} as text) as numeric) end)`;
  }
  return sql`(case when (${lhs} glob '[0-9]*' or ${lhs} glob '-[0-9]*') and substr(${lhs}, 2) not glob '*[^0-9.]*' and ${lhs} not glob '*.*.*' and ${lhs} glob '*[0-9]' then cast(${lhs} as numeric) end)`;
}

function like(lhs: Expression<unknown>, pattern: string, negated: boolean, context: CompileContext): RawBuilder<SqlBool> {
  const op = sql.raw(context.dialect === 'postgres' ? 'ilike' : 'like');
  const test = sql<SqlBool>`${lhs} ${op} ${pattern} escape '\\'`;
  return negated ? sql<SqlBool>`not (${test})` : test;
}

function dateTest(lhs: Expression<unknown>, operator: ComparisonOperator, value: TemporalValue, context: CompileContext): RawBuilder<SqlBool> {
  const start = value.start;
  const end = addUnits(start, value.unit, 1);
  const wholeDays = value.unit === 'day' || value.unit === 'month' || value.unit === 'year';
  const from = serializeDate(start, context);
  const to = serializeDate(end, context);
  switch (operator) {
    case '=': return sql<SqlBool>`(${lhs} >= ${from} and ${lhs} < ${to})`;
    case '!=': return sql<SqlBool>`not (${lhs} >= ${from} and ${lhs} < ${to})`;
    case '>': return wholeDays ? sql<SqlBool>`${lhs} >= ${to}` : sql<SqlBool>`${lhs} > ${from}`;
    case '<=': return wholeDays ? sql<SqlBool>`${lhs} < ${to}` : sql<SqlBool>`${lhs} <= ${from}`;
    case '<': return sql<SqlBool>`${lhs} < ${from}`;
    case '>=': return sql<SqlBool>`${lhs} >= ${from}`;
    default: throw new Error(`operator ${operator} on a date`);
  }
}

function fieldError(message: string, span: SourceSpan, field: string): SearchFieldError {
  return new SearchFieldError(message, span, { field });
}

function translate(translation: ValueTranslation, word: string, fieldName: string, span: SourceSpan): readonly StoredScalar[] {
  let stored = Object.hasOwn(translation, word) ? translation[word] : undefined;
  if (stored === undefined) {
    const lower = word.toLowerCase();
    const hit = Object.keys(translation).find((k) => k.toLowerCase() === lower);
    stored = hit === undefined ? undefined : translation[hit];
  }
  if (stored === undefined) {
    throw fieldError(`'${fieldName}' should be one of '${Object.keys(translation).join(', ')}', but the query was '${word}'`, span, fieldName);
  }
  return Array.isArray(stored) ? (stored as readonly StoredScalar[]) : [stored as StoredScalar];
}

/**
 * Validates a comparison and returns the {@link FieldComparison} for it.
 * @internal
 * @throws {@link SearchFieldError} for an unsupported operator or an invalid value.
 */
export function buildComparison<DB, TB extends keyof DB>(request: ComparisonRequest<DB, TB>, context: CompileContext): FieldComparison {
  const { field, name, operator, span } = request;
  const base = { name, field: request.fieldName, key: request.key, operator, span };
  if (operator === 'set') {
    return { ...base, texts: [], values: [], test: (lhs) => sql<SqlBool>`${lhs} is not null` };
  }
  const allowed = operatorsOf(field);
  if (!allowed.includes(operator)) {
    const message = field.operators !== undefined || translationOf(field) !== undefined
      ? `Operator '${operator}' not supported for '${name}'`
      : `the operator '${operator}' is not supported for field type '${field.type}'`;
    throw fieldError(message, span, name);
  }
  const texts = request.values.map((v) => {
    if (field.currentUser !== undefined && v.text === 'current_user') {
      const user = context.currentUser;
      if (user === undefined || user === null) throw fieldError(`'current_user' cannot be used for '${name}' without a signed-in user`, v.span, name);
      return String(field.currentUser === 'id' ? user.id : user.login);
    }
    return v.text;
  });
  if (field.validate !== undefined) {
    texts.forEach((text, i) => {
      const verdict = field.validate!(text);
      if (verdict !== true) {
        const reason = typeof verdict === 'string' ? `: ${verdict}` : '';
        throw fieldError(`Value '${text}' is not valid for field '${name}'${reason}`, request.values[i]!.span, name);
      }
    });
  }
  const negated = operator === '!=' || operator === '!^';

  const translation = translationOf(field);
  if (translation !== undefined) {
    const stored = texts.flatMap((t, i) => translate(translation, t, name, request.values[i]!.span)).map((v) => bindScalar(v, context));
    if (operator === '=' || operator === '!=' || operator === '^' || operator === '!^') {
      return { ...base, texts, values: stored, test: (lhs) => inList(lhs, stored, negated) };
    }
    if (stored.length !== 1 || operator === '~' || operator === '!~') {
      throw fieldError(`Operator '${operator}' not supported for '${name}'`, span, name);
    }
    return { ...base, texts, values: stored, test: (lhs) => binary(lhs, operator, stored[0]) };
  }

  switch (field.type) {
    case 'integer': {
      const numbers = texts.map((t, i) => {
        if (!isIntegerText(t.trim())) throw fieldError(`Value '${t}' is not valid for field '${name}' (an integer is expected)`, request.values[i]!.span, name);
        return Number(t.trim());
      });
      if (operator === '^' || operator === '!^' ) return { ...base, texts, values: numbers, test: (lhs) => inList(lhs, numbers, negated) };
      return { ...base, texts, values: numbers, test: (lhs) => binary(lhs, operator as keyof typeof SQL_OPERATORS, numbers[0]) };
    }
    case 'datetime': {
      const parsed = texts.map((t, i) => {
        const value = parseTemporal(t, { now: context.now, utcOffsetMinutes: context.utcOffsetMinutes });
        if (value === null) throw fieldError(`Value '${t}' is not a valid date or time for field '${name}'`, request.values[i]!.span, name);
        return value;
      });
      const first = parsed[0]!;
      return { ...base, texts, values: [serializeDate(first.start, context)], test: (lhs) => dateTest(lhs, operator, first, context) };
    }
    default: {
      if (operator === '~' || operator === '!~') {
        const pattern = likePattern(texts[0]!);
        return { ...base, texts, values: [pattern], test: (lhs) => like(lhs, pattern, operator === '!~', context) };
      }
      if (operator === '^' || operator === '!^') {
        const list = texts.map((t) => t.trim());
        return { ...base, texts, values: list, test: (lhs) => inList(lhs, list, negated) };
      }
      const text = texts[0]!;
      const numeric = field.numeric ?? isKeyValueField(field);
      if (numeric && NUMBER.test(text)) {
        const bound = context.dialect === 'postgres' ? text : Number(text);
        return { ...base, texts, values: [bound], test: (lhs) => binary(numericView(lhs, context), operator, bound) };
      }
      return { ...base, texts, values: [text], test: (lhs) => binary(lhs, operator, text) };
    }
  }
}
