/**
 * @module
 * `/api/bookmarks`: saved searches (Foreman's bookmarks API). A bookmark is visible to its
 * owner, to admins, and to everyone when public; only its owner or an admin changes it.
 * Its query is checked against the resource named by `controller` when saved. Schema-first:
 * `@remex/common` `api/bookmark.ts`; queries in `bookmark-store.ts`.
 */
import { BookmarkCreateSchema, BookmarkListSchema, BookmarkSchema, BookmarkUpdateSchema, IdParamsSchema, ListQuerySchema, NotAllowedError } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import type { BookmarkRow } from '../db/schema.ts';
import type { CurrentUser } from '../users/user-store.ts';
import { checkBookmarkQuery, deleteBookmark, findBookmark, insertBookmark, listBookmarks, serializeBookmark, updateBookmark } from './bookmark-store.ts';

const TAGS = ['bookmarks'];

function checkMayChange(b: Pick<BookmarkRow, 'name' | 'owner_id'>, user: CurrentUser | null): void {
  if (!(user === null || user.admin || b.owner_id === user.id)) throw new NotAllowedError(`Bookmark '${b.name}' belongs to another user`);
}

/** Registers bookmark routes. */
export function registerBookmarkRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const dialect = ctx.store.dialect;
  const access = { auth: 'user' } as const;

  api.get('/api/bookmarks', { config: { access }, schema: { tags: TAGS, summary: 'List bookmarks', querystring: ListQuerySchema, response: { 200: BookmarkListSchema } } }, (req) =>
    listBookmarks(db, listParams(req.query, ['name', 'id', 'controller']), dialect, currentUser(req)),
  );

  api.get('/api/bookmarks/:id', { config: { access }, schema: { tags: TAGS, summary: 'Show a bookmark', params: IdParamsSchema, response: { 200: BookmarkSchema } } }, async (req) =>
    serializeBookmark(await findBookmark(db, req.params.id, currentUser(req))),
  );

  api.post(
    '/api/bookmarks',
    { config: { access }, preValidation: unwrapBody('bookmark'), schema: { tags: TAGS, summary: 'Create a bookmark', body: BookmarkCreateSchema, response: { 201: BookmarkSchema } } },
    async (req, reply) => {
      const user = currentUser(req);
      const body = { ...req.body, name: req.body.name.trim(), controller: req.body.controller.trim(), query: req.body.query.trim() };
      checkBookmarkQuery(body.controller, body.query, dialect, user);
      return reply.status(201).send(serializeBookmark(await insertBookmark(db, body, user?.id ?? null)));
    },
  );

  api.put(
    '/api/bookmarks/:id',
    {
      config: { access },
      preValidation: unwrapBody('bookmark'),
      schema: { tags: TAGS, summary: 'Update a bookmark', params: IdParamsSchema, body: BookmarkUpdateSchema, response: { 200: BookmarkSchema } },
    },
    async (req) => {
      const user = currentUser(req);
      const mayChange = (b: BookmarkRow) => checkMayChange(b, user);
      return serializeBookmark(await updateBookmark(db, req.params.id, user, mayChange, req.body, (controller, query) => checkBookmarkQuery(controller, query, dialect, user)));
    },
  );

  api.delete('/api/bookmarks/:id', { config: { access }, schema: { tags: TAGS, summary: 'Delete a bookmark', params: IdParamsSchema, response: { 200: BookmarkSchema } } }, async (req) => {
    const user = currentUser(req);
    return serializeBookmark(await deleteBookmark(db, req.params.id, user, (b) => checkMayChange(b, user)));
  });
}
