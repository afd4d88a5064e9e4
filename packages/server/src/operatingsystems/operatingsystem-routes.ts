/**
 * @module
 * `/api/operatingsystems` (Foreman API v2). Schema-first: `@remex/common` `api/operatingsystem.ts`;
 * lookups and checks in `operatingsystem-store.ts`.
 */
import { ConflictError, IdParamsSchema, ListQuerySchema, OperatingsystemCreateSchema, OperatingsystemListSchema, OperatingsystemSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { compileOperatingsystemSearch } from './operatingsystem-search.ts';
import { checkUnique, findOperatingsystem, operatingsystemTitle, osFields, serializeOperatingsystem } from './operatingsystem-store.ts';

const TAGS = ['operatingsystems'];

/** Registers operating system routes. */
export function registerOperatingsystemRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const wrapped = unwrapBody('operatingsystem');

  api.get('/api/operatingsystems', { config: { access }, schema: { tags: TAGS, summary: 'List operating systems', querystring: ListQuerySchema, response: { 200: OperatingsystemListSchema } } }, (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id', 'family', 'major', 'minor']),
      base: db.selectFrom('operatingsystems'),
      search: (text) => compileOperatingsystemSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', family: 'family', major: 'major', minor: 'minor' },
      defaultOrder: 'name',
      tiebreak: ['name', 'major', 'minor', 'id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeOperatingsystem),
    }),
  );

  api.get('/api/operatingsystems/:id', { config: { access }, schema: { tags: TAGS, summary: 'Show an operating system', params: IdParamsSchema, response: { 200: OperatingsystemSchema } } }, async (req) =>
    serializeOperatingsystem(await findOperatingsystem(db, req.params.id)),
  );

  api.post(
    '/api/operatingsystems',
    { config: { access }, preValidation: wrapped, schema: { tags: TAGS, summary: 'Create an operating system', body: OperatingsystemCreateSchema, response: { 201: OperatingsystemSchema } } },
    async (req, reply) => {
      const f = osFields(req.body);
      const row = await db.transaction().execute(async (trx) => {
        await checkUnique(trx, f);
        const now = nowIso();
        return trx.insertInto('operatingsystems').values({ ...f, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
      });
      return reply.status(201).send(serializeOperatingsystem(row));
    },
  );

  api.put(
    '/api/operatingsystems/:id',
    {
      config: { access },
      preValidation: wrapped,
      schema: { tags: TAGS, summary: 'Update an operating system', params: IdParamsSchema, body: OperatingsystemCreateSchema, response: { 200: OperatingsystemSchema } },
    },
    async (req) => {
      const row = await db.transaction().execute(async (trx) => {
        const os = await findOperatingsystem(trx, req.params.id);
        const f = osFields(req.body, os);
        await checkUnique(trx, f, os.id);
        return trx.updateTable('operatingsystems').set({ ...f, updated_at: nowIso() }).where('id', '=', os.id).returningAll().executeTakeFirstOrThrow();
      });
      return serializeOperatingsystem(row);
    },
  );

  api.delete('/api/operatingsystems/:id', { config: { access }, schema: { tags: TAGS, summary: 'Delete an operating system', params: IdParamsSchema, response: { 200: OperatingsystemSchema } } }, (req) =>
    db.transaction().execute(async (trx) => {
      const os = await findOperatingsystem(trx, req.params.id);
      const used = await trx.selectFrom('hosts').select((eb) => eb.fn.countAll<number>().as('n')).where('operatingsystem_id', '=', os.id).executeTakeFirstOrThrow();
      if (Number(used.n) > 0) throw new ConflictError(`Operating system ${operatingsystemTitle(os)} is used by ${Number(used.n)} host(s) and cannot be deleted`);
      await trx.deleteFrom('operatingsystems').where('id', '=', os.id).execute();
      return serializeOperatingsystem(os);
    }),
  );
}
