/**
 * @module
 * `/api/remote_execution_features` (Foreman API v2): list, show and update (assign a job
 * template), plus `GET /api/hosts/:id/available_remote_execution_features`. `search` fields:
 * `feature-search.ts`.
 */
import { InputError } from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { ServerContext } from '../context.ts';
import type { Database, RemoteExecutionFeatureRow } from '../db/schema.ts';
import { isSet, nowIso } from '../db/time.ts';
import { findHost } from '../hosts/host-store.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { field, idParam, listParams, unwrap } from '../http/params.ts';
import { findTemplate } from '../templates/job-template-store.ts';
import { compileFeatureSearch } from './feature-search.ts';
import { findFeature, serializeFeature } from './feature-store.ts';

async function showAll(db: Kysely<Database>, rows: RemoteExecutionFeatureRow[]): Promise<Record<string, unknown>[]> {
  const ids = [...new Set(rows.map((r) => r.job_template_id).filter((id): id is number => id !== null))];
  const names = ids.length ? await db.selectFrom('job_templates').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  return rows.map((r) => serializeFeature(r, names.find((n) => n.id === r.job_template_id)?.name ?? null));
}

/** Registers feature routes. */
export function registerFeatureRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;

  /** A page of features (`assignedOnly`: those with a job template), searched and ordered. */
  const page = async (req: FastifyRequest, assignedOnly: boolean) => {
    const visible = db.selectFrom('remote_execution_features');
    return listResource({
      params: listParams(req.query, ['name', 'label', 'id']),
      base: assignedOnly ? visible.where('job_template_id', 'is not', null) : visible,
      search: (text) => compileFeatureSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', label: 'label', id: 'id' },
      defaultOrder: 'label',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => showAll(db, rows),
    });
  };

  app.get('/api/remote_execution_features', (req) => page(req, false));

  app.get('/api/remote_execution_features/:id', async (req) => (await showAll(db, [await findFeature(db, idParam(req.params))]))[0]);

  app.put('/api/remote_execution_features/:id', async (req) => {
    const body = unwrap(req.body, 'remote_execution_feature');
    if (body.job_template_id === undefined) throw new InputError('job_template_id is required');
    const ref = field.str(body, 'job_template_id');
    const row = await db.transaction().execute(async (trx) => {
      const f = await findFeature(trx, idParam(req.params));
      let templateId: number | null = null;
      if (ref !== null && ref !== undefined && ref !== '') {
        const t = await findTemplate(trx, ref);
        if (isSet(t.snippet)) throw new InputError(`Job template '${t.name}' is a snippet and cannot run a feature`);
        templateId = t.id;
      }
      return trx.updateTable('remote_execution_features').set({ job_template_id: templateId, updated_at: nowIso() }).where('id', '=', f.id).returningAll().executeTakeFirstOrThrow();
    });
    return (await showAll(db, [row]))[0];
  });

  app.get('/api/hosts/:id/available_remote_execution_features', async (req) => {
    await findHost(db, idParam(req.params));
    return page(req, true);
  });
}
