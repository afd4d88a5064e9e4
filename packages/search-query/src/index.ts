/**
 * @module
 * `@remex/search-query`: the scoped_search (4.3) query language used by Foreman, parsed into an
 * immutable AST and compiled to Kysely expressions for SQLite and PostgreSQL.
 *
 * Pipeline: {@link tokenize} → {@link parseQuery} → {@link QueryNode} → {@link compileSearch}
 * (with a resource's {@link SearchDefinition} from {@link defineSearch}). {@link autocomplete}
 * suggests fields, operators and values for partial queries.
 */
export { SearchError, SearchFieldError, SearchSyntaxError } from './errors/search-errors.ts';
export type { SearchErrorOptions, SourceSpan } from './errors/search-errors.ts';
export { tokenize } from './lexer/lexer.ts';
export type { TokenizeOptions } from './lexer/lexer.ts';
export { COMPARISON_OPERATORS } from './lexer/token.ts';
export type { ComparisonOperator, SymbolName, SymbolToken, Token, ValueToken } from './lexer/token.ts';
export {
  AndNode, ComparisonNode, EmptyNode, NotNode, OrNode, PresenceNode, QueryValue, TermNode,
} from './ast/nodes.ts';
export type { QueryNode, QueryNodeKind } from './ast/nodes.ts';
export { formatQuery, visitNode } from './ast/visitor.ts';
export type { QueryNodeVisitor } from './ast/visitor.ts';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, parseQuery } from './parser/parser.ts';
export type { ParseOptions } from './parser/parser.ts';
export { DEFAULT_QUERY_LIMITS } from './parser/query-limits.ts';
export type { QueryLimits } from './parser/query-limits.ts';
export { defineSearch, lookupField, resolveOrder } from './definition/search-definition.ts';
export type {
  ColumnField, CustomField, FieldComparison, FieldMatch, FieldOperator, FieldOptions, FieldType, KeyValueField,
  NegationMode, SearchDefinition, SearchField, SearchOrder, StoredScalar, ValueTranslation,
} from './definition/search-definition.ts';
export { compileSearch } from './compile/search-compiler.ts';
export type { CompileContext, SearchDialect, SearchUser } from './compile/compile-context.ts';
export { DEFAULT_OPERATORS } from './compile/comparison-builder.ts';
export { likePattern } from './compile/like-pattern.ts';
export { parseTemporal } from './compile/temporal.ts';
export type { TemporalOptions, TemporalUnit, TemporalValue } from './compile/temporal.ts';
export { autocomplete } from './autocomplete/autocomplete.ts';
export type { AutocompleteOptions, CompletionRequest, Suggestion, SuggestionKind } from './autocomplete/autocomplete.ts';
