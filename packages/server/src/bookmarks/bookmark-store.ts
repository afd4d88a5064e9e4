/**
 * @module
 * Bookmarks (saved search queries): lookup with visibility, validation of the query against
 * the resource it searches, and the API JSON (Foreman's bookmark: id, name, controller, query,
 * public, owner_id, owner_type).
 */
import { InputError, NotFoundError } from '@remex/common';
import type { SearchUser } from '@remex/search-query';
import { compileSearch } from '@remex/search-query';
import type { Kysely } from 'kysely';
import { expressionBuilder } from 'kysely';

import type { BookmarkRow, Database } from '../db/schema.ts';
import { isSet } from '../db/time.ts';
import { asInputError, searchContext } from '../search/resource-search.ts';
import { SEARCH_CONTROLLERS, SEARCH_DEFINITIONS } from '../search/search-registry.ts';
import type { CurrentUser } from '../users/user-store.ts';

/** Whether `user` may see `b` (public, their own, or an admin). */
export function canSeeBookmark(b: BookmarkRow, user: CurrentUser | null): boolean {
  return isSet(b.public) || user === null || user.admin || b.owner_id === user.id;
}

/**
 * Finds a visible bookmark by id or by name (a name shared by several controllers needs
 * `controller`); 404 otherwise.
 */
export async function findBookmark(db: Kysely<Database>, ref: string | number, user: CurrentUser | null, controller?: string): Promise<BookmarkRow> {
  const text = String(ref).trim();
  let q = db.selectFrom('bookmarks').selectAll();
  q = /^\d+$/.test(text) ? q.where('id', '=', Number(text)) : q.where('name', '=', text);
  if (controller !== undefined) q = q.where('controller', '=', controller);
  const rows = (await q.orderBy('id').execute()).filter((b) => canSeeBookmark(b, user));
  const [first] = rows;
  if (first === undefined) throw new NotFoundError(`Bookmark '${text}' not found${controller === undefined ? '' : ` for ${controller}`}`);
  if (rows.length > 1) {
    throw new InputError(`Bookmark name '${text}' is used for ${rows.map((r) => r.controller).join(', ')}: give its id or the controller`);
  }
  return first;
}

/** Checks that `controller` is searchable and `query` is a valid search for it (422 otherwise). */
export function checkBookmarkQuery(controller: string, query: string, dialect: 'sqlite' | 'postgres', user: SearchUser | null): void {
  const definition = SEARCH_DEFINITIONS[controller];
  if (definition === undefined) throw new InputError(`Controller '${controller}' is not searchable; use one of ${SEARCH_CONTROLLERS.join(', ')}`);
  try {
    compileSearch(query, definition, expressionBuilder(), searchContext(dialect, user));
  } catch (e: unknown) {
    asInputError(e, query);
  }
}

/** The bookmark JSON. */
export function serializeBookmark(b: BookmarkRow): Record<string, unknown> {
  return {
    id: b.id,
    name: b.name,
    controller: b.controller,
    query: b.query,
    public: isSet(b.public),
    owner_id: b.owner_id,
    owner_type: b.owner_id === null ? null : 'User',
    created_at: b.created_at,
    updated_at: b.updated_at,
  };
}
