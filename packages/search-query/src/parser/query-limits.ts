/**
 * @module
 * Size limits of a parsed query, checked by `parseQuery` after parsing. They keep every query
 * far below the limits of the databases it is compiled for (SQLite: 1,000 levels of expression
 * depth, 32,766 bind variables, 50,000-byte LIKE patterns; PostgreSQL: 65,535 bind variables),
 * so an over-large query is refused with a message naming the limit instead of failing in SQL.
 */
import type { QueryNode, QueryValue } from '../ast/nodes.ts';
import { SearchSyntaxError } from '../errors/search-errors.ts';

/** The size limits of one query. */
export interface QueryLimits {
  /** Most conditions (comparisons, free-text terms, `set?`/`null?`) in one query. */
  readonly maxConditions: number;
  /** Most values in one `^ (…)` / `!^ (…)` list. */
  readonly maxListValues: number;
  /** Most values in the whole query (each becomes one or more bind variables). */
  readonly maxValues: number;
  /** Longest free-text term and longest `~`/`!~` value (LIKE pattern), in characters. */
  readonly maxPatternLength: number;
  /** Longest other value, in characters. */
  readonly maxValueLength: number;
}

/** Default {@link QueryLimits}. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxConditions: 200,
  maxListValues: 1000,
  maxValues: 2000,
  maxPatternLength: 256,
  maxValueLength: 4096,
};

/**
 * Throws a {@link SearchSyntaxError} (pointing at the offending part) when `ast` is over one of
 * `limits`.
 */
export function checkQueryLimits(ast: QueryNode, text: string, limits: QueryLimits): void {
  let conditions = 0;
  let values = 0;
  const fail = (message: string, value: { span: QueryNode['span'] }): never => {
    throw new SearchSyntaxError(message, value.span, { query: text });
  };
  const condition = (node: QueryNode): void => {
    conditions++;
    if (conditions > limits.maxConditions) fail(`Query has too many conditions (more than ${limits.maxConditions} allowed)`, node);
  };
  const value = (v: QueryValue, pattern: boolean, what: string): void => {
    values++;
    if (values > limits.maxValues) fail(`Query has too many values (more than ${limits.maxValues} allowed)`, v);
    const max = pattern ? limits.maxPatternLength : limits.maxValueLength;
    if (v.text.length > max) fail(`${what} is too long (${v.text.length} characters, at most ${max} allowed)`, v);
  };
  const walk = (node: QueryNode): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        for (const c of node.children) walk(c);
        return;
      case 'not':
        walk(node.operand);
        return;
      case 'term':
        condition(node);
        value(node.value, true, 'Free-text search term');
        return;
      case 'presence':
        condition(node);
        return;
      case 'comparison': {
        condition(node);
        if (node.values.length > limits.maxListValues) {
          fail(`List of values after '${node.operator}' is too long (${node.values.length} values, at most ${limits.maxListValues} allowed)`, node);
        }
        const like = node.operator === '~' || node.operator === '!~';
        // A comparison without a field searches the default fields like free text.
        for (const v of node.values) value(v, like || node.field === null, like ? `Value after '${node.operator}'` : 'Value');
        return;
      }
      case 'empty':
        return;
    }
  };
  walk(ast);
}
