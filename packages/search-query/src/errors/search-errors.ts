/**
 * @module
 * Error classes of the search language. Every error carries the span of the query text it is
 * about, so callers can underline the offending part (`excerpt()` draws a caret line).
 */

/** A half-open range `[begin, end)` of character offsets (UTF-16 code units) in the query text. */
export interface SourceSpan {
  /** Offset of the first character (0-based). */
  readonly begin: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** Options shared by the search error constructors. */
export interface SearchErrorOptions {
  /** The query text the span points into (used by {@link SearchError.excerpt}). */
  readonly query?: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * Base class of every error thrown by `@remex/search-query`.
 * The message is the user-facing text (Foreman's words where Foreman has them); the position is
 * kept apart in {@link SearchError.position} so the message stays compatible.
 */
export class SearchError extends Error {
  /** Machine-readable code, stable across versions. */
  readonly code: string;
  /** Where in the query the problem is. */
  readonly position: SourceSpan;
  /** The query text, when known. */
  readonly query: string | undefined;

  constructor(message: string, code: string, position: SourceSpan, options: SearchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SearchError';
    this.code = code;
    this.position = { begin: position.begin, end: position.end };
    this.query = options.query;
  }

  /**
   * The query with a caret line under the offending span, e.g.
   * ```
   * name = (a
   *        ^
   * ```
   * Returns only the message when the query text is unknown.
   */
  excerpt(): string {
    if (this.query === undefined) return this.message;
    const flat = this.query.replace(/[\r\n\t]/g, ' ');
    const width = Math.max(1, this.position.end - this.position.begin);
    return `${flat}\n${' '.repeat(this.position.begin)}${'^'.repeat(width)}`;
  }
}

/**
 * The query text does not follow the grammar: unbalanced parentheses, a missing value, an
 * unterminated quoted string, or a query above the configured limits.
 */
export class SearchSyntaxError extends SearchError {
  constructor(message: string, position: SourceSpan, options: SearchErrorOptions = {}) {
    super(message, 'SEARCH_SYNTAX', position, options);
    this.name = 'SearchSyntaxError';
  }
}

/**
 * The query is well formed but does not fit the resource's fields: unknown field, an operator the
 * field does not support, or a value the field cannot take.
 */
export class SearchFieldError extends SearchError {
  /** The field the error is about (as written in the query), when there is one. */
  readonly field: string | undefined;

  constructor(message: string, position: SourceSpan, options: SearchErrorOptions & { field?: string } = {}) {
    super(message, 'SEARCH_FIELD', position, options);
    this.name = 'SearchFieldError';
    this.field = options.field;
  }
}
