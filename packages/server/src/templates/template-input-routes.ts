/**
 * @module
 * `/api/templates/:template_id/template_inputs` and `/api/templates/:template_id/foreign_input_sets`
 * CRUD (Foreman core API shapes, reference §1d). Queries and checks: `template-input-store.ts`;
 * `search` fields: `template-input-search.ts`.
 */
import {
  ForeignInputSetBodySchema,
  ForeignInputSetListSchema,
  ForeignInputSetSchema,
  ListQuerySchema,
  TemplateChildParamsSchema,
  TemplateInputCreateSchema,
  TemplateInputListSchema,
  TemplateInputSchema,
  TemplateInputUpdateSchema,
  TemplateParamsSchema,
} from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import { mergedSetBody, parseForeignInputSet } from './foreign-input-sets.ts';
import { findTemplate } from './job-template-store.ts';
import { inputDefinition } from './template-input-definition.ts';
import { compileForeignInputSetSearch, compileTemplateInputSearch } from './template-input-search.ts';
import {
  createInput,
  createSet,
  deleteInput,
  deleteSet,
  findInput,
  findSet,
  inputJson,
  inputsOfTemplate,
  setJson,
  setsOfTemplate,
  updateInput,
  updateSet,
} from './template-input-store.ts';

/** Registers template input and foreign input set routes. */
export function registerTemplateInputRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const inputTags = ['template_inputs'];
  const setTags = inputTags;
  const inputs = '/api/templates/:template_id/template_inputs';
  const sets = '/api/templates/:template_id/foreign_input_sets';
  const inputBody = unwrapBody('template_input');
  const setBody = unwrapBody('foreign_input_set');

  api.get(inputs, { config: { access }, schema: { tags: inputTags, summary: "List a template's inputs", params: TemplateParamsSchema, querystring: ListQuerySchema, response: { 200: TemplateInputListSchema } } }, async (req) => {
    const t = await findTemplate(db, req.params.template_id);
    return listResource({
      params: listParams(req.query, ['name', 'id', 'input_type']),
      base: inputsOfTemplate(db, t.id),
      search: (text) => compileTemplateInputSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', input_type: 'input_type' },
      defaultOrder: 'id',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(inputJson),
    });
  });

  api.get(`${inputs}/:id`, { config: { access }, schema: { tags: inputTags, summary: 'Show a template input', params: TemplateChildParamsSchema, response: { 200: TemplateInputSchema } } }, async (req) => {
    const t = await findTemplate(db, req.params.template_id);
    return inputJson(await findInput(db, t.id, req.params.id));
  });

  api.post(
    inputs,
    { config: { access }, preValidation: inputBody, schema: { tags: inputTags, summary: 'Add an input to a template', params: TemplateParamsSchema, body: TemplateInputCreateSchema, response: { 201: TemplateInputSchema } } },
    async (req, reply) => {
      const d = inputDefinition(req.body);
      const row = await db.transaction().execute((trx) => createInput(trx, req.params.template_id, d));
      return reply.status(201).send(inputJson(row));
    },
  );

  api.put(
    `${inputs}/:id`,
    { config: { access }, preValidation: inputBody, schema: { tags: inputTags, summary: 'Update a template input', params: TemplateChildParamsSchema, body: TemplateInputUpdateSchema, response: { 200: TemplateInputSchema } } },
    async (req) => inputJson(await db.transaction().execute((trx) => updateInput(trx, req.params.template_id, req.params.id, req.body))),
  );

  api.delete(`${inputs}/:id`, { config: { access }, schema: { tags: inputTags, summary: 'Delete a template input', params: TemplateChildParamsSchema, response: { 200: TemplateInputSchema } } }, async (req) =>
    inputJson(await db.transaction().execute((trx) => deleteInput(trx, req.params.template_id, req.params.id))),
  );

  api.get(sets, { config: { access }, schema: { tags: setTags, summary: "List a template's foreign input sets", params: TemplateParamsSchema, querystring: ListQuerySchema, response: { 200: ForeignInputSetListSchema } } }, async (req) => {
    const t = await findTemplate(db, req.params.template_id);
    return listResource({
      params: listParams(req.query, ['id', 'target_template_id']),
      base: setsOfTemplate(db, t.id),
      search: (text) => compileForeignInputSetSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { id: 'id', target_template_id: 'target_template_id' },
      defaultOrder: 'id',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => Promise.all(rows.map((f) => setJson(db, f))),
    });
  });

  api.get(`${sets}/:id`, { config: { access }, schema: { tags: setTags, summary: 'Show a foreign input set', params: TemplateChildParamsSchema, response: { 200: ForeignInputSetSchema } } }, async (req) => {
    const t = await findTemplate(db, req.params.template_id);
    return setJson(db, await findSet(db, t.id, req.params.id));
  });

  api.post(
    sets,
    { config: { access }, preValidation: setBody, schema: { tags: setTags, summary: "Import another template's inputs", params: TemplateParamsSchema, body: ForeignInputSetBodySchema, response: { 201: ForeignInputSetSchema } } },
    async (req, reply) => {
      const row = await db.transaction().execute((trx) => createSet(trx, req.params.template_id, () => parseForeignInputSet(trx, req.body)));
      return reply.status(201).send(await setJson(db, row));
    },
  );

  api.put(
    `${sets}/:id`,
    { config: { access }, preValidation: setBody, schema: { tags: setTags, summary: 'Update a foreign input set', params: TemplateChildParamsSchema, body: ForeignInputSetBodySchema, response: { 200: ForeignInputSetSchema } } },
    async (req) => {
      const row = await db.transaction().execute((trx) => updateSet(trx, req.params.template_id, req.params.id, (f) => parseForeignInputSet(trx, mergedSetBody(f, req.body))));
      return setJson(db, row);
    },
  );

  api.delete(`${sets}/:id`, { config: { access }, schema: { tags: setTags, summary: 'Delete a foreign input set', params: TemplateChildParamsSchema, response: { 200: ForeignInputSetSchema } } }, async (req) =>
    db.transaction().execute((trx) => deleteSet(trx, req.params.template_id, req.params.id)),
  );
}
