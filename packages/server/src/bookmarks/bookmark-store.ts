/**
 * @module
 * Bookmarks (saved search queries): lookup with visibility, validation of the query against
 * the resource it searches, and the API JSON (Foreman's bookmark: id, name, controller, query,
 * public, owner_id, owner_type).
 */
import type { Bookmark, BookmarkCreate, BookmarkUpdate } from '@remex/common';
import { ConflictError, InputError, NotFoundError, looseBoolean } from '@remex/common';
import type { SearchUser } from '@remex/search-query';
import { compileSearch } from '@remex/search-query';
import type { Kysely } from 'kysely';
import { expressionBuilder } from 'kysely';

import type { BookmarkRow, Database } from '../db/schema.ts';
import { flag, isSet, nowIso } from '../db/time.ts';
import { asInputError, searchContext } from '../search/resource-search.ts';
import { SEARCH_CONTROLLERS, SEARCH_DEFINITIONS } from '../search/search-registry.ts';
import type { CurrentUser } from '../users/user-store.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams, ListResponse } from '../http/params.ts';
import { compileBookmarkSearch } from './bookmark-search.ts';

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
export function serializeBookmark(b: BookmarkRow): Bookmark {
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

async function nameFree(db: Kysely<Database>, controller: string, name: string): Promise<void> {
  const clash = await db.selectFrom('bookmarks').select('id').where('controller', '=', controller).where('name', '=', name).executeTakeFirst();
  if (clash) throw new ConflictError(`Name has already been taken: bookmark '${name}' exists for ${controller}`);
}

/** Stores a new bookmark of `ownerId` (the attributes are checked by the caller). */
export function insertBookmark(db: Kysely<Database>, body: BookmarkCreate & { name: string; controller: string; query: string }, ownerId: number | null): Promise<BookmarkRow> {
  return db.transaction().execute(async (trx) => {
    await nameFree(trx, body.controller, body.name);
    const now = nowIso();
    return trx
      .insertInto('bookmarks')
      .values({ name: body.name, controller: body.controller, query: body.query, public: flag(body.public === undefined ? false : looseBoolean(body.public)), owner_id: ownerId, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Who may change a bookmark: throws when `user` may not (see the bookmark routes). */
export type MayChange = (b: BookmarkRow) => void;

/**
 * Updates the bookmark `ref` names (as {@link findBookmark} finds it for `user`) with `body`
 * (blank attributes keep their value), in one transaction with its lookup; `mayChange`
 * authorizes and `check` validates the resulting controller and query before anything is written.
 */
export function updateBookmark(
  db: Kysely<Database>,
  ref: string,
  user: CurrentUser | null,
  mayChange: MayChange,
  body: BookmarkUpdate,
  check: (controller: string, query: string) => void,
): Promise<BookmarkRow> {
  return db.transaction().execute(async (trx) => {
    const b = await findBookmark(trx, ref, user);
    mayChange(b);
    const name = body.name?.trim() || b.name;
    const controller = body.controller?.trim() || b.controller;
    const query = body.query?.trim() || b.query;
    check(controller, query);
    if (name !== b.name || controller !== b.controller) await nameFree(trx, controller, name);
    const pub = body.public === undefined || body.public === null ? undefined : looseBoolean(body.public);
    return trx
      .updateTable('bookmarks')
      .set({ name, controller, query, ...(pub === undefined ? {} : { public: flag(pub) }), updated_at: nowIso() })
      .where('id', '=', b.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Deletes the bookmark `ref` names for `user` once `mayChange` allows it; answers it as it was. */
export function deleteBookmark(db: Kysely<Database>, ref: string, user: CurrentUser | null, mayChange: MayChange): Promise<BookmarkRow> {
  return db.transaction().execute(async (trx) => {
    const b = await findBookmark(trx, ref, user);
    mayChange(b);
    await trx.deleteFrom('bookmarks').where('id', '=', b.id).execute();
    return b;
  });
}

/** A page of the bookmarks `user` may see. */
export function listBookmarks(db: Kysely<Database>, params: ListParams, dialect: 'sqlite' | 'postgres', user: CurrentUser | null): Promise<ListResponse<Bookmark>> {
  let visible = db.selectFrom('bookmarks');
  if (user !== null && !user.admin) visible = visible.where((eb) => eb.or([eb('public', '=', 1), eb('owner_id', '=', user.id)]));
  return listResource({
    params,
    base: visible,
    search: (text) => compileBookmarkSearch(text, dialect, user),
    orderColumns: { name: 'name', id: 'id', controller: 'controller' },
    defaultOrder: 'name',
    tiebreak: ['id'],
    select: (q) => q.selectAll(),
    serialize: (rows) => rows.map(serializeBookmark),
  });
}
