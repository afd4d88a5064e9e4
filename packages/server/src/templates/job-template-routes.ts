/**
 * @module
 * `/api/job_templates` (Foreman API v2): CRUD, import/export with the metadata header, clone,
 * revisions and preview. Locked templates can't be edited or deleted, only cloned.
 */
import { ForeignInputSetBodySchema, InputError, NotAllowedError, NotFoundError, TemplateInputCreateSchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { ServerContext } from '../context.ts';
import type { Database, JobTemplateRow } from '../db/schema.ts';
import { isSet, nowIso } from '../db/time.ts';
import { featureLabelOf } from '../features/feature-store.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { field, idParam, inputValues, listParams, unwrap } from '../http/params.ts';
import type { ForeignInputSetDefinition } from './foreign-input-sets.ts';
import { checkDependents, effectiveInputs, parseForeignInputSet, syncForeignInputSets } from './foreign-input-sets.ts';
import { findTemplate, insertTemplate, loadTemplate, serializeTemplate, syncInputs, templateFields } from './job-template-store.ts';
import type { InputDefinition } from './template-input-definition.ts';
import { checkedEntry, inputDefinition, storedInputAttributes } from './template-input-definition.ts';
import { compileJobTemplateSearch } from './job-template-search.ts';
import { importTemplate } from './template-import.ts';
import { exportFileName, templateToErb } from './template-metadata.ts';
import { checkInputs } from './input-values.ts';
import { loadHostData, previewTemplate } from './template-preview.ts';
import { hiddenNames, maskInputs } from '../jobs/hidden-inputs.ts';
import { REVISION_ORDER, compileTemplateRevisionSearch } from './template-revision-search.ts';
import { findRevision, recordRevision, serializeRevision } from './template-revisions.ts';

function attributeList(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown>[] | undefined {
  const key = keys.find((k) => body[k] !== undefined);
  if (key === undefined) return undefined;
  const v = body[key];
  const items = Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v) : null;
  if (items === null) throw new InputError(`${key} must be a list`);
  return items.map((item, i) => {
    if (item === null || typeof item !== 'object') throw new InputError(`${key}[${i}] must be an object`);
    return item as Record<string, unknown>;
  });
}

function inputAttributes(body: Record<string, unknown>): InputDefinition[] | undefined {
  return attributeList(body, ['template_inputs_attributes', 'template_inputs'])?.map((item, i) => inputDefinition(checkedEntry(TemplateInputCreateSchema, item, `template_inputs_attributes[${i}]`)));
}

async function setAttributes(db: Kysely<Database>, body: Record<string, unknown>): Promise<ForeignInputSetDefinition[] | undefined> {
  const items = attributeList(body, ['foreign_input_sets_attributes', 'foreign_input_sets']);
  if (items === undefined) return undefined;
  const out: ForeignInputSetDefinition[] = [];
  for (const [i, item] of items.entries()) out.push(await parseForeignInputSet(db, checkedEntry(ForeignInputSetBodySchema, item, `foreign_input_sets_attributes[${i}]`)));
  return out;
}

async function show(db: Kysely<Database>, row: JobTemplateRow): Promise<Record<string, unknown>> {
  return { ...serializeTemplate(await loadTemplate(db, row)), feature: await featureLabelOf(db, row.id) };
}

/** Registers job template routes. */
export function registerJobTemplateRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;

  app.get('/api/job_templates', async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id', 'job_category']),
      base: db.selectFrom('job_templates'),
      search: (text) => compileJobTemplateSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', job_category: 'job_category' },
      defaultOrder: 'name',
      select: (q) => q.selectAll(),
      serialize: (rows) =>
        rows.map((r) => ({
          id: r.id,
          name: r.name,
          job_category: r.job_category,
          provider_type: r.provider_type,
          snippet: isSet(r.snippet),
          locked: isSet(r.locked),
          default: isSet(r.default_template),
          description_format: r.description_format,
          cloned_from_id: r.cloned_from_id,
          created_at: r.created_at,
          updated_at: r.updated_at,
        })),
    }),
  );

  app.get('/api/job_templates/revision', async (req) => {
    const version = (req.query as Record<string, unknown>).version;
    if (typeof version !== 'string' || version === '') throw new InputError('version is required (a revision id)');
    return serializeRevision(await findRevision(db, version));
  });

  app.get('/api/job_templates/:id', async (req) => show(db, await findTemplate(db, idParam(req.params))));

  app.get('/api/job_templates/:id/revisions', async (req) => {
    const t = await findTemplate(db, idParam(req.params));
    return listResource({
      params: listParams(req.query, Object.keys(REVISION_ORDER)),
      base: db.selectFrom('template_revisions').where('template_id', '=', t.id),
      search: (text) => compileTemplateRevisionSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: REVISION_ORDER,
      defaultOrder: 'version',
      defaultDirection: 'desc',
      tiebreak: ['id'],
      tiebreakFollows: true,
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeRevision),
    });
  });

  app.post('/api/job_templates', async (req, reply) => {
    const body = unwrap(req.body, 'job_template');
    const fields = templateFields(body);
    const inputs = inputAttributes(body) ?? [];
    const login = currentUser(req)?.login ?? null;
    const row = await db.transaction().execute(async (trx) => {
      const created = await insertTemplate(trx, fields, inputs, { userLogin: login });
      const sets = await setAttributes(trx, body);
      if (sets) await syncForeignInputSets(trx, created.id, sets);
      return created;
    });
    return reply.status(201).send(await show(db, row));
  });

  app.put('/api/job_templates/:id', async (req) => {
    const body = unwrap(req.body, 'job_template');
    const login = currentUser(req)?.login ?? null;
    const row = await db.transaction().execute(async (trx) => {
      const t = await findTemplate(trx, idParam(req.params));
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
      const sets = await setAttributes(trx, body);
      if (sets) await syncForeignInputSets(trx, t.id, sets);
      if (inputs || sets) await checkDependents(trx, t.id);
      await recordRevision(trx, updated, 'update', login);
      return updated;
    });
    return show(db, row);
  });

  app.delete('/api/job_templates/:id', async (req) => {
    return db.transaction().execute(async (trx) => {
      const t = await findTemplate(trx, idParam(req.params));
      if (isSet(t.locked)) throw new NotAllowedError(`Job template '${t.name}' is locked and cannot be deleted`);
      if (await trx.selectFrom('job_invocations').select('id').where('template_id', '=', t.id).executeTakeFirst()) {
        throw new InputError(`Job template '${t.name}' is used by job invocations and cannot be deleted`);
      }
      const users = await trx
        .selectFrom('foreign_input_sets as f')
        .innerJoin('job_templates as u', 'u.id', 'f.template_id')
        .select('u.name')
        .where('f.target_template_id', '=', t.id)
        .execute();
      if (users.length > 0) throw new InputError(`Job template '${t.name}' provides inputs to ${users.map((u) => `'${u.name}'`).join(', ')} and cannot be deleted`);
      const out = await show(trx, t);
      await trx.deleteFrom('job_templates').where('id', '=', t.id).execute();
      return out;
    });
  });

  app.post('/api/job_templates/:id/clone', async (req, reply) => {
    const body = unwrap(req.body ?? {}, 'job_template');
    const name = field.required(body, 'name').trim();
    const login = currentUser(req)?.login ?? null;
    const row = await db.transaction().execute(async (trx) => {
      const source = await loadTemplate(trx, await findTemplate(trx, idParam(req.params)));
      const s = source.row;
      const fields = {
        name,
        template: s.template,
        snippet: s.snippet,
        job_category: s.job_category,
        provider_type: s.provider_type,
        description: s.description,
        description_format: s.description_format,
        locked: 0,
        effective_user_value: s.effective_user_value,
        effective_user_current_user: s.effective_user_current_user,
        effective_user_overridable: s.effective_user_overridable,
        execution_timeout_interval: s.execution_timeout_interval,
      };
      const inputs = source.inputs.map((i) => inputDefinition(storedInputAttributes(i)));
      const created = await insertTemplate(trx, fields, inputs, { cloned_from_id: s.id, action: 'clone', userLogin: login });
      await syncForeignInputSets(
        trx,
        created.id,
        source.foreignInputSets.map((f) => ({ target_template_id: f.target_template_id, include_all: isSet(f.include_all), include: f.include, exclude: f.exclude, description: f.description })),
      );
      return created;
    });
    return reply.status(201).send(await show(db, row));
  });

  app.post('/api/job_templates/import', async (req, reply) => {
    const body = unwrap(req.body, 'job_template');
    const text = field.str(body, 'template');
    if (text === undefined || text === null || text.trim() === '') throw new InputError("template can't be blank: send the template text with its metadata header");
    const rawOptions = body.options ?? {};
    if (rawOptions === null || typeof rawOptions !== 'object' || Array.isArray(rawOptions)) throw new InputError('options must be an object');
    const options = rawOptions as Record<string, unknown>;
    const associate = field.str(options, 'associate');
    if (associate !== undefined && associate !== null && !['new', 'always', 'never'].includes(associate)) throw new InputError("options.associate must be one of new, always, never");
    const result = await db.transaction().execute((trx) =>
      importTemplate(trx, text, {
        overwrite: field.bool(body, 'overwrite') ?? false,
        lock: field.bool(options, 'lock'),
        default: field.bool(options, 'default'),
        force: field.bool(options, 'force') ?? false,
        userLogin: currentUser(req)?.login ?? null,
      }),
    );
    return reply.status(result.created ? 201 : 200).send(await show(db, result.row));
  });

  app.get('/api/job_templates/:id/export', async (req, reply) => {
    const t = await loadTemplate(db, await findTemplate(db, idParam(req.params)));
    const text = templateToErb(t, await featureLabelOf(db, t.row.id));
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(t.row.name).replace(/["\\\r\n]/g, '_')}"`)
      .send(text);
  });

  app.post('/api/job_templates/:id/preview', async (req, reply) => {
    const body = unwrap(req.body ?? {}, 'job_template');
    const t = await loadTemplate(db, await findTemplate(db, idParam(req.params)));
    const unsaved = field.str(body, 'template');
    if (unsaved !== undefined && unsaved !== null) t.row = { ...t.row, template: unsaved };
    const hostRef = field.str(body, 'host_id') ?? field.str(body, 'host');
    let host = null;
    if (hostRef !== undefined && hostRef !== null && hostRef !== '') {
      const q = db.selectFrom('hosts').select('id');
      const h = /^\d+$/.test(hostRef) ? await q.where('id', '=', Number(hostRef)).executeTakeFirst() : await q.where('name', '=', hostRef).executeTakeFirst();
      if (!h) throw new NotFoundError(`Host '${hostRef}' not found`);
      host = await loadHostData(db, h.id);
    }
    const inputs = inputValues(body.inputs);
    // Unknown inputs and values outside an input's options are refused as when running the job;
    // a required input may still be empty while the job is being composed.
    const offered = await effectiveInputs(db, t.row.id);
    checkInputs(t, inputs, offered, { requireValues: false });
    // Shown to a user: hidden inputs (and, in loadHostData, hidden parameters) render as the mask.
    const text = await previewTemplate(db, t, host, maskInputs(inputs, hiddenNames(offered)), currentUser(req)?.login ?? null);
    return reply.type('text/plain; charset=utf-8').send(text);
  });
}
