/**
 * @module
 * `/api/bookmarks`: saved searches (Foreman's bookmarks API). A bookmark is visible to its
 * owner, to admins, and to everyone when public; only its owner or an admin changes it.
 * Its query is checked against the resource named by `controller` when saved.
 */
import { ConflictError, InputError, NotAllowedError } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { flag, nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { field, idParam, listParams, unwrap } from '../http/params.ts';
import type { CurrentUser } from '../users/user-store.ts';
import { compileBookmarkSearch } from './bookmark-search.ts';
import { checkBookmarkQuery, findBookmark, serializeBookmark } from './bookmark-store.ts';

const NAME_MAX = 255;

function mayChange(owner: number | null, user: CurrentUser | null): boolean {
  return user === null || user.admin || owner === user.id;
}

/** Registers bookmark routes. */
export function registerBookmarkRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;
  const dialect = ctx.store.dialect;

  app.get('/api/bookmarks', async (req) => {
    const user = currentUser(req);
    let visible = db.selectFrom('bookmarks');
    if (user !== null && !user.admin) visible = visible.where((eb) => eb.or([eb('public', '=', 1), eb('owner_id', '=', user.id)]));
    return listResource({
      params: listParams(req.query, ['name', 'id', 'controller']),
      base: visible,
      search: (text) => compileBookmarkSearch(text, dialect, user),
      orderColumns: { name: 'name', id: 'id', controller: 'controller' },
      defaultOrder: 'name',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeBookmark),
    });
  });

  app.get('/api/bookmarks/:id', async (req) => serializeBookmark(await findBookmark(db, idParam(req.params), currentUser(req))));

  app.post('/api/bookmarks', async (req, reply) => {
    const user = currentUser(req);
    const body = unwrap(req.body, 'bookmark');
    const name = field.required(body, 'name').trim();
    if (name.length > NAME_MAX) throw new InputError(`Name is too long (maximum is ${NAME_MAX} characters)`);
    const controller = field.required(body, 'controller').trim();
    const query = field.required(body, 'query').trim();
    checkBookmarkQuery(controller, query, dialect, user);
    const row = await db.transaction().execute(async (trx) => {
      const clash = await trx.selectFrom('bookmarks').select('id').where('controller', '=', controller).where('name', '=', name).executeTakeFirst();
      if (clash) throw new ConflictError(`Name has already been taken: bookmark '${name}' exists for ${controller}`);
      const now = nowIso();
      return trx
        .insertInto('bookmarks')
        .values({ name, controller, query, public: flag(field.bool(body, 'public') ?? false), owner_id: user?.id ?? null, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return reply.status(201).send(serializeBookmark(row));
  });

  app.put('/api/bookmarks/:id', async (req) => {
    const user = currentUser(req);
    const body = unwrap(req.body, 'bookmark');
    const row = await db.transaction().execute(async (trx) => {
      const b = await findBookmark(trx, idParam(req.params), user);
      if (!mayChange(b.owner_id, user)) throw new NotAllowedError(`Bookmark '${b.name}' belongs to another user`);
      const name = field.str(body, 'name')?.trim() || b.name;
      const controller = field.str(body, 'controller')?.trim() || b.controller;
      const query = field.str(body, 'query')?.trim() || b.query;
      checkBookmarkQuery(controller, query, dialect, user);
      if (name !== b.name || controller !== b.controller) {
        const clash = await trx.selectFrom('bookmarks').select('id').where('controller', '=', controller).where('name', '=', name).executeTakeFirst();
        if (clash) throw new ConflictError(`Name has already been taken: bookmark '${name}' exists for ${controller}`);
      }
      const pub = field.bool(body, 'public');
      return trx
        .updateTable('bookmarks')
        .set({ name, controller, query, ...(pub === undefined ? {} : { public: flag(pub) }), updated_at: nowIso() })
        .where('id', '=', b.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return serializeBookmark(row);
  });

  app.delete('/api/bookmarks/:id', async (req) => {
    const user = currentUser(req);
    const b = await findBookmark(db, idParam(req.params), user);
    if (!mayChange(b.owner_id, user)) throw new NotAllowedError(`Bookmark '${b.name}' belongs to another user`);
    await db.deleteFrom('bookmarks').where('id', '=', b.id).execute();
    return serializeBookmark(b);
  });
}
