/**
 * @module
 * The server side of the search language: compiles a `search` parameter against a resource's
 * {@link SearchDefinition} and turns search errors into 422s. Every list endpoint goes through
 * {@link compileResourceSearch}; the definitions themselves live beside their resources
 * (`hosts/host-search.ts`, `jobs/search/job-invocation-search.ts`, …).
 */
import { InputError } from '@remex/common';
import type { CompileContext, QueryNode, SearchDefinition, SearchDialect, SearchUser } from '@remex/search-query';
import { SearchError, compileSearch, parseQuery } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

/** Compile context with ISO-8601 text dates (ADR 0002: timestamps are text on both engines). */
export function searchContext(dialect: SearchDialect, currentUser: SearchUser | null = null): CompileContext {
  return { dialect, currentUser, serializeDate: (d) => d.toISOString() };
}

/**
 * The message of a search error for an API answer: Foreman's words on the first line, then the
 * query with a caret line under the offending part (the position), e.g.
 * ```
 * Field 'colour' not recognized for searching!
 * colour = red
 * ^^^^^^
 * ```
 */
export function searchErrorMessage(e: SearchError, query?: string): string {
  const text = e.query ?? query;
  if (text === undefined || text.includes('\n') || text.length > 500) return e.message;
  const width = Math.max(1, Math.min(e.position.end, text.length + 1) - e.position.begin);
  return `${e.message}\n${text}\n${' '.repeat(e.position.begin)}${'^'.repeat(width)}`;
}

/**
 * Search errors become 422 `InputError`s (code `invalid_search`) with the library's message and
 * the position; anything else is rethrown as is.
 * @param e - the caught error
 * @param query - the query text, for the caret line when the error does not carry it
 */
export function asInputError(e: unknown, query?: string): never {
  if (e instanceof SearchError) throw new InputError(searchErrorMessage(e, query), { cause: e, code: 'invalid_search' });
  throw e;
}

/**
 * Parses `query` now (syntax errors are thrown here, as 422s) and returns a `where` callback
 * that compiles it against `definition` (field errors are thrown when the callback runs, i.e.
 * when the Kysely query is built, before anything reaches the database).
 *
 * @example
 * ```ts
 * const rows = await db.selectFrom('job_templates as jt').selectAll()
 *   .where(compileResourceSearch(jobTemplateSearch, 'name ~ ping', 'sqlite', user)).execute();
 * ```
 */
export function compileResourceSearch<DB, TB extends keyof DB>(
  definition: SearchDefinition<DB, TB>,
  query: string,
  dialect: SearchDialect,
  user: SearchUser | null = null,
): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  let ast: QueryNode;
  try {
    ast = parseQuery(query);
  } catch (e: unknown) {
    return asInputError(e, query);
  }
  return (eb) => {
    try {
      return compileSearch(ast, definition, eb, searchContext(dialect, user));
    } catch (e: unknown) {
      return asInputError(e, query);
    }
  };
}
