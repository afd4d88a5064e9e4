/**
 * @module
 * `/api/templates/:template_id/template_inputs` and `/api/templates/:template_id/foreign_input_sets`
 * CRUD (Foreman core API shapes, reference §1d). Inputs and sets of a locked template cannot be
 * changed; every change is checked for duplicate input names and foreign-input-set cycles.
 * `search` fields: `template-input-search.ts`.
 */
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@remex/common';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { ServerContext } from '../context.ts';
import type { Database, ForeignInputSetRow, JobTemplateRow, TemplateInputRow } from '../db/schema.ts';
import { flag, isSet, nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { idParam, listParams, unwrap } from '../http/params.ts';
import { checkDependents, checkForeignInputs, parseForeignInputSet } from './foreign-input-sets.ts';
import { findTemplate, parseInputDefinition, serializeInput } from './job-template-store.ts';
import { compileForeignInputSetSearch, compileTemplateInputSearch } from './template-input-search.ts';

function inputJson(i: TemplateInputRow): Record<string, unknown> {
  return { ...serializeInput(i), template_id: i.template_id, resource_type: null };
}

async function setJson(db: Kysely<Database>, f: ForeignInputSetRow): Promise<Record<string, unknown>> {
  const target = await db.selectFrom('job_templates').select('name').where('id', '=', f.target_template_id).executeTakeFirst();
  return {
    id: f.id,
    template_id: f.template_id,
    target_template_id: f.target_template_id,
    target_template_name: target?.name ?? null,
    include_all: isSet(f.include_all),
    include: f.include,
    exclude: f.exclude,
    description: f.description,
  };
}

async function editableTemplate(db: Kysely<Database>, ref: string): Promise<JobTemplateRow> {
  const t = await findTemplate(db, ref);
  if (isSet(t.locked)) throw new NotAllowedError(`Job template '${t.name}' is locked; clone it to change its inputs`);
  return t;
}

async function touch(db: Kysely<Database>, templateId: number): Promise<void> {
  await db.updateTable('job_templates').set({ updated_at: nowIso() }).where('id', '=', templateId).execute();
}

async function findInput(db: Kysely<Database>, templateId: number, ref: string): Promise<TemplateInputRow> {
  const q = db.selectFrom('template_inputs').selectAll().where('template_id', '=', templateId);
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Template input '${ref}' not found in template ${templateId}`);
  return row;
}

async function findSet(db: Kysely<Database>, templateId: number, ref: string): Promise<ForeignInputSetRow> {
  const row = /^\d+$/.test(ref)
    ? await db.selectFrom('foreign_input_sets').selectAll().where('template_id', '=', templateId).where('id', '=', Number(ref)).executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError(`Foreign input set '${ref}' not found in template ${templateId}`);
  return row;
}

function inputValues(body: Record<string, unknown>, base?: TemplateInputRow) {
  const merged: Record<string, unknown> = base
    ? {
        name: base.name,
        description: base.description,
        input_type: base.input_type,
        required: isSet(base.required),
        advanced: isSet(base.advanced),
        options: base.options,
        default: base.default_value,
        hidden_value: isSet(base.hidden_value),
        value_type: base.value_type,
        fact_name: base.fact_name,
        variable_name: base.variable_name,
        puppet_class_name: base.puppet_class_name,
        puppet_parameter_name: base.puppet_parameter_name,
        ...body,
      }
    : body;
  if (merged.default_value !== undefined && body.default === undefined) merged.default = merged.default_value;
  const d = parseInputDefinition(merged);
  return { ...d, required: flag(d.required), advanced: flag(d.advanced), hidden_value: flag(d.hidden_value) };
}

/** Registers template input and foreign input set routes. */
export function registerTemplateInputRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;
  const tid = (params: unknown) => idParam(params, 'template_id');

  app.get('/api/templates/:template_id/template_inputs', async (req) => {
    const t = await findTemplate(db, tid(req.params));
    return listResource({
      params: listParams(req.query, ['name', 'id', 'input_type']),
      base: db.selectFrom('template_inputs').where('template_id', '=', t.id),
      search: (text) => compileTemplateInputSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', input_type: 'input_type' },
      defaultOrder: 'id',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(inputJson),
    });
  });

  app.get('/api/templates/:template_id/template_inputs/:id', async (req) => {
    const t = await findTemplate(db, tid(req.params));
    return inputJson(await findInput(db, t.id, idParam(req.params)));
  });

  app.post('/api/templates/:template_id/template_inputs', async (req, reply) => {
    const values = inputValues(unwrap(req.body, 'template_input'));
    const row = await db.transaction().execute(async (trx) => {
      const t = await editableTemplate(trx, tid(req.params));
      if (await trx.selectFrom('template_inputs').select('id').where('template_id', '=', t.id).where('name', '=', values.name).executeTakeFirst()) {
        throw new ConflictError(`Name has already been taken: template '${t.name}' has an input '${values.name}'`);
      }
      const created = await trx.insertInto('template_inputs').values({ ...values, template_id: t.id }).returningAll().executeTakeFirstOrThrow();
      await checkForeignInputs(trx, t.id);
      await checkDependents(trx, t.id);
      await touch(trx, t.id);
      return created;
    });
    return reply.status(201).send(inputJson(row));
  });

  app.put('/api/templates/:template_id/template_inputs/:id', async (req) => {
    const body = unwrap(req.body, 'template_input');
    return db.transaction().execute(async (trx) => {
      const t = await editableTemplate(trx, tid(req.params));
      const input = await findInput(trx, t.id, idParam(req.params));
      const values = inputValues(body, input);
      if (values.name !== input.name && (await trx.selectFrom('template_inputs').select('id').where('template_id', '=', t.id).where('name', '=', values.name).executeTakeFirst())) {
        throw new ConflictError(`Name has already been taken: template '${t.name}' has an input '${values.name}'`);
      }
      const row = await trx.updateTable('template_inputs').set(values).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow();
      await checkForeignInputs(trx, t.id);
      await checkDependents(trx, t.id);
      await touch(trx, t.id);
      return inputJson(row);
    });
  });

  app.delete('/api/templates/:template_id/template_inputs/:id', async (req) => {
    return db.transaction().execute(async (trx) => {
      const t = await editableTemplate(trx, tid(req.params));
      const input = await findInput(trx, t.id, idParam(req.params));
      await trx.deleteFrom('template_inputs').where('id', '=', input.id).execute();
      await touch(trx, t.id);
      return inputJson(input);
    });
  });

  app.get('/api/templates/:template_id/foreign_input_sets', async (req) => {
    const t = await findTemplate(db, tid(req.params));
    return listResource({
      params: listParams(req.query, ['id', 'target_template_id']),
      base: db.selectFrom('foreign_input_sets').where('template_id', '=', t.id),
      search: (text) => compileForeignInputSetSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { id: 'id', target_template_id: 'target_template_id' },
      defaultOrder: 'id',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => Promise.all(rows.map((f) => setJson(db, f))),
    });
  });

  app.get('/api/templates/:template_id/foreign_input_sets/:id', async (req) => {
    const t = await findTemplate(db, tid(req.params));
    return setJson(db, await findSet(db, t.id, idParam(req.params)));
  });

  app.post('/api/templates/:template_id/foreign_input_sets', async (req, reply) => {
    const body = unwrap(req.body, 'foreign_input_set');
    const row = await db.transaction().execute(async (trx) => {
      const t = await editableTemplate(trx, tid(req.params));
      const d = await parseForeignInputSet(trx, body);
      if (d.target_template_id === t.id) throw new InputError(`Job template '${t.name}' cannot import its own inputs`, { code: 'foreign_input_set_cycle' });
      const created = await trx
        .insertInto('foreign_input_sets')
        .values({ template_id: t.id, target_template_id: d.target_template_id, include_all: flag(d.include_all), include: d.include, exclude: d.exclude, description: d.description })
        .returningAll()
        .executeTakeFirstOrThrow();
      await checkForeignInputs(trx, t.id);
      await checkDependents(trx, t.id);
      await touch(trx, t.id);
      return created;
    });
    return reply.status(201).send(await setJson(db, row));
  });

  app.put('/api/templates/:template_id/foreign_input_sets/:id', async (req) => {
    const body = unwrap(req.body, 'foreign_input_set');
    const row = await db.transaction().execute(async (trx) => {
      const t = await editableTemplate(trx, tid(req.params));
      const f = await findSet(trx, t.id, idParam(req.params));
      const d = await parseForeignInputSet(trx, {
        target_template_id: f.target_template_id,
        include_all: isSet(f.include_all),
        include: f.include,
        exclude: f.exclude,
        description: f.description,
        ...body,
      });
      if (d.target_template_id === t.id) throw new InputError(`Job template '${t.name}' cannot import its own inputs`, { code: 'foreign_input_set_cycle' });
      const updated = await trx
        .updateTable('foreign_input_sets')
        .set({ target_template_id: d.target_template_id, include_all: flag(d.include_all), include: d.include, exclude: d.exclude, description: d.description })
        .where('id', '=', f.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await checkForeignInputs(trx, t.id);
      await checkDependents(trx, t.id);
      await touch(trx, t.id);
      return updated;
    });
    return setJson(db, row);
  });

  app.delete('/api/templates/:template_id/foreign_input_sets/:id', async (req) => {
    return db.transaction().execute(async (trx) => {
      const t = await editableTemplate(trx, tid(req.params));
      const f = await findSet(trx, t.id, idParam(req.params));
      const out = await setJson(trx, f);
      await trx.deleteFrom('foreign_input_sets').where('id', '=', f.id).execute();
      await touch(trx, t.id);
      return out;
    });
  });
}
