/**
 * @module
 * `/api/job_templates` CRUD (Foreman API v2). Locked templates can't be edited or deleted.
 */
import { InputError, NotAllowedError } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { isSet, nowIso } from '../db/time.ts';
import { listParams, listResponse, unwrap } from '../http/params.ts';
import type { InputDefinition } from './job-template-store.ts';
import { findTemplate, insertTemplate, loadTemplate, parseInputDefinition, serializeTemplate, syncInputs, templateFields } from './job-template-store.ts';

function inputAttributes(body: Record<string, unknown>): InputDefinition[] | undefined {
  const v = body.template_inputs_attributes ?? body.template_inputs;
  if (v === undefined) return undefined;
  const items = Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v) : null;
  if (items === null) throw new InputError('template_inputs_attributes must be a list of inputs');
  return items.map((item, i) => {
    if (item === null || typeof item !== 'object') throw new InputError(`template_inputs_attributes[${i}] must be an object`);
    return parseInputDefinition(item as Record<string, unknown>);
  });
}

/** Registers job template routes. */
export function registerJobTemplateRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;

  app.get('/api/job_templates', async (req) => {
    const lp = listParams(req.query, ['name', 'id', 'job_category']);
    const total = Number((await db.selectFrom('job_templates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    let q = db.selectFrom('job_templates');
    if (lp.search) {
      const m = /^\s*(name|job_category|provider_type)\s*(=|~)\s*(?:"([^"]*)"|(.*?))\s*$/.exec(lp.search);
      if (m) {
        const value = m[3] ?? m[4] ?? '';
        q = q.where(m[1] as 'name', m[2] === '=' ? '=' : 'like', m[2] === '=' ? value : `%${value}%`);
      } else {
        q = q.where('name', 'like', `%${lp.search}%`);
      }
    }
    const subtotal = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await q
      .selectAll()
      .orderBy(lp.order?.by === 'id' ? 'id' : lp.order?.by === 'job_category' ? 'job_category' : 'name', lp.order?.direction ?? 'asc')
      .limit(lp.perPage)
      .offset((lp.page - 1) * lp.perPage)
      .execute();
    const results = rows.map((r) => ({
      id: r.id,
      name: r.name,
      job_category: r.job_category,
      provider_type: r.provider_type,
      snippet: isSet(r.snippet),
      locked: isSet(r.locked),
      description_format: r.description_format,
      created_at: r.created_at,
      updated_at: r.updated_at,
    }));
    return listResponse(lp, total, subtotal, results);
  });

  app.get('/api/job_templates/:id', async (req) => serializeTemplate(await loadTemplate(db, await findTemplate(db, (req.params as { id: string }).id))));

  app.post('/api/job_templates', async (req, reply) => {
    const body = unwrap(req.body, 'job_template');
    const fields = templateFields(body);
    const inputs = inputAttributes(body) ?? [];
    const row = await db.transaction().execute((trx) => insertTemplate(trx, fields, inputs));
    return reply.status(201).send(serializeTemplate(await loadTemplate(db, row)));
  });

  app.put('/api/job_templates/:id', async (req) => {
    const body = unwrap(req.body, 'job_template');
    const row = await db.transaction().execute(async (trx) => {
      const t = await findTemplate(trx, (req.params as { id: string }).id);
      const unlocking = body.locked === false || body.locked === 'false';
      if (isSet(t.locked) && !(unlocking && Object.keys(body).length === 1)) {
        throw new NotAllowedError(`Job template '${t.name}' is locked; clone it to make changes`);
      }
      const fields = templateFields(body, t);
      if (fields.name !== t.name && (await trx.selectFrom('job_templates').select('id').where('name', '=', fields.name).executeTakeFirst())) {
        throw new InputError(`Name has already been taken: job template '${fields.name}' exists`);
      }
      const updated = await trx.updateTable('job_templates').set({ ...fields, updated_at: nowIso() }).where('id', '=', t.id).returningAll().executeTakeFirstOrThrow();
      const inputs = inputAttributes(body);
      if (inputs) await syncInputs(trx, t.id, inputs);
      return updated;
    });
    return serializeTemplate(await loadTemplate(db, row));
  });

  app.delete('/api/job_templates/:id', async (req) => {
    return db.transaction().execute(async (trx) => {
      const t = await findTemplate(trx, (req.params as { id: string }).id);
      if (isSet(t.locked)) throw new NotAllowedError(`Job template '${t.name}' is locked and cannot be deleted`);
      if (await trx.selectFrom('job_invocations').select('id').where('template_id', '=', t.id).executeTakeFirst()) {
        throw new InputError(`Job template '${t.name}' is used by job invocations and cannot be deleted`);
      }
      const out = serializeTemplate(await loadTemplate(trx, t));
      await trx.deleteFrom('job_templates').where('id', '=', t.id).execute();
      return out;
    });
  });
}
