/**
 * @module
 * `/api/audits`: the audit log, read only (append-only: no create, update or delete route).
 * Searchable (`type = job_template and user = bob`), paged, newest first. Schema-first:
 * `@remex/common` `api/audit.ts`.
 */
import { AuditListSchema, AuditSchema, IdParamsSchema, ListQuerySchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { typed } from '../http/schema-first.ts';
import { compileAuditSearch } from './audit-search.ts';
import { findAudit, serializeAudit } from './audit-store.ts';

/** Registers the audit routes. */
export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const tags = ['audits'];

  api.get('/api/audits', { config: { access }, schema: { tags, summary: 'List audits (newest first)', querystring: ListQuerySchema, response: { 200: AuditListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['id', 'created_at', 'time', 'type', 'user', 'action']),
      base: db.selectFrom('audits'),
      search: (text) => compileAuditSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { id: 'audits.id', created_at: 'audits.created_at', time: 'audits.created_at', type: 'audits.auditable_type', user: 'audits.user_login', action: 'audits.action' },
      defaultOrder: 'id',
      defaultDirection: 'desc',
      tiebreak: ['audits.id'],
      tiebreakFollows: true,
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeAudit),
    }),
  );

  api.get('/api/audits/:id', { config: { access }, schema: { tags, summary: 'Show an audit', params: IdParamsSchema, response: { 200: AuditSchema } } }, async (req) =>
    serializeAudit(await findAudit(db, req.params.id)),
  );
}
