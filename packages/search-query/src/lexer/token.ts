/**
 * @module
 * Token shapes produced by the lexer. Every token keeps its position in the query text.
 */

/** The comparison operators of the language, in their canonical spelling. */
export type ComparisonOperator = '=' | '!=' | '~' | '!~' | '>' | '<' | '>=' | '<=' | '^' | '!^';

/** All comparison operators, canonical spelling (useful for autocompletion). */
export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = Object.freeze([
  '=', '!=', '~', '!~', '>', '<', '>=', '<=', '^', '!^',
]);

/**
 * Non-value token kinds: logical operators, presence keywords (`set?`/`has` → `set`,
 * `null?` → `null`), punctuation and comparison operators.
 */
export type SymbolName = 'and' | 'or' | 'not' | 'set' | 'null' | 'lparen' | 'rparen' | 'comma' | ComparisonOperator;

/** A value: a bare word (`web-01`, `facts.os::family`, `set*`) or a double-quoted string. */
export interface ValueToken {
  readonly type: 'value';
  /** The value with quotes removed and `\` escapes resolved. */
  readonly text: string;
  /** Whether the value was written between double quotes. */
  readonly quoted: boolean;
  /** Offset of the first character (including the opening quote). */
  readonly begin: number;
  /** Offset just past the last character (including the closing quote). */
  readonly end: number;
}

/** An operator, keyword or punctuation token. */
export interface SymbolToken {
  readonly type: 'symbol';
  readonly symbol: SymbolName;
  /** The text as written (`&&`, `AND`, `before`, `<>`…). */
  readonly raw: string;
  readonly begin: number;
  readonly end: number;
}

/** One token of a search query. */
export type Token = ValueToken | SymbolToken;

/** Whether a symbol is a comparison operator. */
export function isComparisonOperator(symbol: SymbolName): symbol is ComparisonOperator {
  return (COMPARISON_OPERATORS as readonly string[]).includes(symbol);
}
