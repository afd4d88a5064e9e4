/**
 * @module
 * `/api/job_templates` (Foreman API v2): CRUD, import/export with the metadata header, clone,
 * revisions and preview. Queries: `job-template-store.ts`, `job-template-changes.ts`; locked
 * templates can't be edited or deleted, only cloned.
 */
import type { ForeignInputSetBody, TemplateInputCreate } from '@remex/common';
import {
  IdParamsSchema,
  InputError,
  JobTemplateCloneSchema,
  JobTemplateCreateSchema,
  JobTemplateImportSchema,
  JobTemplateListSchema,
  JobTemplatePreviewSchema,
  JobTemplateRevisionQuerySchema,
  JobTemplateSchema,
  JobTemplateUpdateSchema,
  ListQuerySchema,
  TemplateRevisionListSchema,
  TemplateRevisionSchema,
  looseBoolean,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { featureLabelOf } from '../features/feature-store.ts';
import { findHost } from '../hosts/host-store.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { inputValues, listParams } from '../http/params.ts';
import { emptyBodyAllowed, typed, unwrapBody } from '../http/schema-first.ts';
import { hiddenNames, maskInputs } from '../jobs/compose/hidden-inputs.ts';
import { effectiveInputs } from './foreign-input-sets.ts';
import type { TemplateParts } from './job-template-changes.ts';
import { cloneTemplate, createTemplate, deleteTemplate, showTemplate, updateTemplate } from './job-template-changes.ts';
import { allTemplates, findTemplate, loadTemplate, serializeTemplateSummary } from './job-template-store.ts';
import { compileJobTemplateSearch } from './job-template-search.ts';
import { checkInputs } from './input-values.ts';
import { importTemplate } from './template-import.ts';
import { inputDefinition } from './template-input-definition.ts';
import { exportFileName, templateToErb } from './template-metadata.ts';
import { loadHostData, previewTemplate } from './template-preview.ts';
import { REVISION_ORDER, compileTemplateRevisionSearch } from './template-revision-search.ts';
import { findRevision, revisionsOf, serializeRevision } from './template-revisions.ts';
import { withAuditIds } from '../audit/revision-audits.ts';

/** Items of a list given as a list or as Rails' index map. */
function items<T>(v: T[] | Record<string, T> | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : Object.values(v);
}

/** The inputs and sets a create or update body gives. */
function partsOf(body: {
  template_inputs_attributes?: TemplateInputCreate[] | Record<string, TemplateInputCreate>;
  template_inputs?: TemplateInputCreate[] | Record<string, TemplateInputCreate>;
  foreign_input_sets_attributes?: ForeignInputSetBody[] | Record<string, ForeignInputSetBody>;
  foreign_input_sets?: ForeignInputSetBody[] | Record<string, ForeignInputSetBody>;
}): TemplateParts {
  return {
    inputs: items(body.template_inputs_attributes ?? body.template_inputs)?.map(inputDefinition),
    sets: items(body.foreign_input_sets_attributes ?? body.foreign_input_sets),
  };
}

const flagOr = (v: Parameters<typeof looseBoolean>[0] | null | undefined, fallback?: boolean) => (v === undefined || v === null ? fallback : looseBoolean(v));

/** Registers job template routes. */
export function registerJobTemplateRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const tags = ['job_templates'];
  const wrapped = unwrapBody('job_template');
  const login = (req: Parameters<typeof currentUser>[0]) => currentUser(req)?.login ?? null;

  api.get('/api/job_templates', { config: { access }, schema: { tags, summary: 'List job templates', querystring: ListQuerySchema, response: { 200: JobTemplateListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id', 'job_category']),
      base: allTemplates(db),
      search: (text) => compileJobTemplateSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', job_category: 'job_category' },
      defaultOrder: 'name',
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeTemplateSummary),
    }),
  );

  api.get(
    '/api/job_templates/revision',
    { config: { access }, schema: { tags, summary: 'Show a revision of a template text', querystring: JobTemplateRevisionQuerySchema, response: { 200: TemplateRevisionSchema } } },
    async (req) => {
      const version = req.query.version;
      if (version === undefined || version === '') throw new InputError('version is required (a revision id)');
      const revision = await findRevision(db, version);
      return (await withAuditIds(db, [revision], [serializeRevision(revision)]))[0];
    },
  );

  api.get('/api/job_templates/:id', { config: { access }, schema: { tags, summary: 'Show a job template', params: IdParamsSchema, response: { 200: JobTemplateSchema } } }, async (req) =>
    showTemplate(db, await findTemplate(db, req.params.id)),
  );

  api.get(
    '/api/job_templates/:id/revisions',
    { config: { access }, schema: { tags, summary: "List a template's revisions", params: IdParamsSchema, querystring: ListQuerySchema, response: { 200: TemplateRevisionListSchema } } },
    async (req) => {
      const t = await findTemplate(db, req.params.id);
      return listResource({
        params: listParams(req.query, Object.keys(REVISION_ORDER)),
        base: revisionsOf(db, t.id),
        search: (text) => compileTemplateRevisionSearch(text, ctx.store.dialect, currentUser(req)),
        orderColumns: REVISION_ORDER,
        defaultOrder: 'version',
        defaultDirection: 'desc',
        tiebreak: ['id'],
        tiebreakFollows: true,
        select: (q) => q.selectAll(),
        serialize: (rows) => withAuditIds(db, rows, rows.map(serializeRevision)),
      });
    },
  );

  api.post(
    '/api/job_templates',
    { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Create a job template', body: JobTemplateCreateSchema, response: { 201: JobTemplateSchema } } },
    async (req, reply) => {
      const parts = partsOf(req.body);
      const row = await db.transaction().execute((trx) => createTemplate(trx, req.body, parts, login(req)));
      return reply.status(201).send(await showTemplate(db, row));
    },
  );

  api.put(
    '/api/job_templates/:id',
    { config: { access }, preValidation: wrapped, schema: { tags, summary: 'Update a job template', params: IdParamsSchema, body: JobTemplateUpdateSchema, response: { 200: JobTemplateSchema } } },
    async (req) => {
      const parts = partsOf(req.body);
      const row = await db.transaction().execute((trx) => updateTemplate(trx, req.params.id, req.body, parts, login(req)));
      return showTemplate(db, row);
    },
  );

  api.delete('/api/job_templates/:id', { config: { access }, schema: { tags, summary: 'Delete a job template', params: IdParamsSchema, response: { 200: JobTemplateSchema } } }, async (req) =>
    db.transaction().execute((trx) => deleteTemplate(trx, req.params.id)),
  );

  api.post(
    '/api/job_templates/:id/clone',
    { config: { access }, preValidation: [emptyBodyAllowed, wrapped], schema: { tags, summary: 'Clone a job template', params: IdParamsSchema, body: JobTemplateCloneSchema, response: { 201: JobTemplateSchema } } },
    async (req, reply) => {
      const name = req.body.name.trim();
      const row = await db.transaction().execute((trx) => cloneTemplate(trx, req.params.id, name, login(req)));
      return reply.status(201).send(await showTemplate(db, row));
    },
  );

  api.post(
    '/api/job_templates/import',
    {
      config: { access },
      preValidation: wrapped,
      schema: { tags, summary: 'Import a template with its metadata header', body: JobTemplateImportSchema, response: { 200: JobTemplateSchema, 201: JobTemplateSchema } },
    },
    async (req, reply) => {
      const body = req.body;
      const text = body.template;
      if (text === undefined || text === null || text.trim() === '') throw new InputError("template can't be blank: send the template text with its metadata header");
      const options = body.options ?? {};
      const associate = options.associate;
      if (associate !== undefined && associate !== null && !['new', 'always', 'never'].includes(associate)) throw new InputError('options.associate must be one of new, always, never');
      const result = await db.transaction().execute((trx) =>
        importTemplate(trx, text, {
          overwrite: flagOr(body.overwrite, false),
          lock: flagOr(options.lock),
          default: flagOr(options.default),
          force: flagOr(options.force, false),
          userLogin: login(req),
        }),
      );
      return reply.status(result.created ? 201 : 200).send(await showTemplate(db, result.row));
    },
  );

  api.get('/api/job_templates/:id/export', { config: { access }, schema: { tags, summary: 'Export a template with its metadata header', params: IdParamsSchema } }, async (req, reply) => {
    const t = await loadTemplate(db, await findTemplate(db, req.params.id));
    const text = templateToErb(t, await featureLabelOf(db, t.row.id));
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(t.row.name).replace(/["\\\r\n]/g, '_')}"`)
      .send(text);
  });

  api.post(
    '/api/job_templates/:id/preview',
    { config: { access }, preValidation: [emptyBodyAllowed, wrapped], schema: { tags, summary: 'Render a template for a host', params: IdParamsSchema, body: JobTemplatePreviewSchema } },
    async (req, reply) => {
      const body = req.body;
      const t = await loadTemplate(db, await findTemplate(db, req.params.id));
      if (body.template !== undefined && body.template !== null) t.row = { ...t.row, template: body.template };
      const hostRef = body.host_id ?? body.host;
      const host = hostRef === undefined || hostRef === null || hostRef === '' ? null : await loadHostData(db, (await findHost(db, String(hostRef))).id);
      const inputs = inputValues(body.inputs);
      // Unknown inputs and values outside an input's options are refused as when running the job;
      // a required input may still be empty while the job is being composed.
      const offered = await effectiveInputs(db, t.row.id);
      checkInputs(t, inputs, offered, { requireValues: false });
      // Shown to a user: hidden inputs (and, in loadHostData, hidden parameters) render as the mask.
      const text = await previewTemplate(db, t, host, maskInputs(inputs, hiddenNames(offered)), login(req));
      return reply.type('text/plain; charset=utf-8').send(text);
    },
  );
}
