/**
 * @module
 * The per-request context of a compilation: dialect, signed-in user, clock.
 */
import type { ParseOptions } from '../parser/parser.ts';

/** SQL dialects the compiler targets. LIKE is case-insensitive on both (ILIKE on PostgreSQL). */
export type SearchDialect = 'sqlite' | 'postgres';

/** The user that `current_user` stands for. */
export interface SearchUser {
  readonly id: number;
  readonly login: string;
}

/** Context of {@link compileSearch}. */
export interface CompileContext {
  /** Target dialect; decides LIKE vs ILIKE, numeric casts and boolean/date binding. */
  readonly dialect: SearchDialect;
  /** The signed-in user, for fields with `currentUser`. (Default: none; `current_user` then fails.) */
  readonly currentUser?: SearchUser | null;
  /** The current time for relative dates. (Default: `new Date()` at compile time.) */
  readonly now?: Date;
  /** Offset of the user's time zone from UTC in minutes, for `today` and dates without a zone. (Default: 0.) */
  readonly utcOffsetMinutes?: number;
  /**
   * How a date is bound as a parameter. (Default: the `Date` itself on PostgreSQL, for
   * `timestamptz` columns; `toISOString()` on SQLite, for ISO-8601 text columns.)
   */
  readonly serializeDate?: (date: Date) => unknown;
  /** Limits for parsing when a string query is given. */
  readonly parseOptions?: ParseOptions;
}
