/**
 * @module
 * Token shapes shared by the ERB scanner, the Ruby lexer and the parser. Every token keeps the
 * offsets `{begin, end}` into its {@link SourceFile}, so any error can point at line:col.
 */

/** Kinds of tokens in the single stream the parser reads (ERB text and Ruby code interleaved). */
export type TokenKind =
  | 'text' // literal template text outside tags
  | 'out_open' // `<%=`
  | 'out_close' // `%>` closing a `<%=` tag
  | 'nl' // newline, `;` or the end of a `<% %>` tag: a statement separator
  | 'int'
  | 'float'
  | 'str' // string without interpolation
  | 'dstr' // double-quoted string with `#{}` parts
  | 'sym' // `:name`
  | 'dsym' // `:"..."` with interpolation parts
  | 'words' // `%w[]` / `%i[]`
  | 'regex' // `/…/flags` or `%r{…}flags`: value is the flags, parts the raw source with `#{}` parts
  | 'ident' // local variable or method name (may end in `?` or `!`)
  | 'const' // capitalised name
  | 'ivar' // `@name`
  | 'label' // `name:` in a hash or keyword argument
  | 'kw' // keyword
  | 'op' // operator or punctuation
  | 'eof';

/** A part of an interpolated string: literal text or the tokens of one `#{…}`. */
export type StringPart = string | { readonly tokens: readonly Token[]; readonly begin: number; readonly end: number };

/** One token; `spaceBefore` tells the parser about `foo -1` vs `foo - 1` and `foo [1]` vs `foo[1]`. */
export interface Token {
  readonly kind: TokenKind;
  /** Source text for ident/op/kw/const/ivar/label (without `@`/`:`), decoded value for str/sym. */
  readonly value: string;
  readonly begin: number;
  readonly end: number;
  readonly spaceBefore: boolean;
  /** Numeric value of int/float tokens. */
  readonly num?: number;
  /** Parts of dstr/dsym tokens. */
  readonly parts?: readonly StringPart[];
  /** Elements of `%w[]` (`words`) tokens; `symbols` is true for `%i[]`. */
  readonly words?: readonly string[];
  readonly symbols?: boolean;
  /** Offset of the first source character of a `regex` token's pattern (for error positions). */
  readonly bodyBegin?: number;
}

/** Ruby keywords the lexer recognises (after `.` they are plain method names). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'if', 'elsif', 'else', 'unless', 'case', 'when', 'then', 'end', 'while', 'until', 'do', 'and', 'or', 'not',
  'nil', 'true', 'false', 'self', 'begin', 'rescue', 'ensure', 'def', 'class', 'module', 'return', 'break',
  'next', 'redo', 'retry', 'yield', 'for', 'in', 'defined?', 'alias', 'undef', 'super', 'BEGIN', 'END',
  '__FILE__', '__LINE__', '__method__', '__dir__', '__ENCODING__', 'lambda', 'proc',
]);
