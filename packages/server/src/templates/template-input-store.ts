/**
 * @module
 * Template inputs and foreign input sets of one template (`/api/templates/:template_id/…`):
 * lookups, the JSON shapes, the input definition checks and the writes. Inputs and sets of a
 * locked template cannot be changed; every change is checked for duplicate input names and
 * foreign-input-set cycles. Writes take the transaction they run in.
 */
import type { ForeignInputSet, TemplateInput, TemplateInputAttributes } from '@remex/common';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, ForeignInputSetRow, JobTemplateRow, TemplateInputRow } from '../db/schema.ts';
import { flag, isSet, nowIso } from '../db/time.ts';
import type { ForeignInputSetDefinition } from './foreign-input-sets.ts';
import { checkDependents, checkForeignInputs } from './foreign-input-sets.ts';
import { findTemplate } from './job-template-store.ts';
import type { InputDefinition, NamedInputAttributes } from './template-input-definition.ts';
import { HIDDEN_DEFAULT_MASK, inputDefinition, inputRowValues, serializeInput, shownInput } from './template-input-definition.ts';

/** Template input JSON of the nested routes. */
export function inputJson(i: TemplateInputRow): TemplateInput {
  return { ...shownInput(i), template_id: i.template_id, resource_type: null };
}

/** Foreign input set JSON of the nested routes (with the target's name). */
export async function setJson(db: Kysely<Database>, f: ForeignInputSetRow): Promise<ForeignInputSet> {
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

/** The rows listed by `GET /api/templates/:template_id/template_inputs`. */
export function inputsOfTemplate(db: Kysely<Database>, templateId: number) {
  return db.selectFrom('template_inputs').where('template_id', '=', templateId);
}

/** The rows listed by `GET /api/templates/:template_id/foreign_input_sets`. */
export function setsOfTemplate(db: Kysely<Database>, templateId: number) {
  return db.selectFrom('foreign_input_sets').where('template_id', '=', templateId);
}

/** A template whose inputs may change; 403 when it is locked. */
export async function editableTemplate(db: Kysely<Database>, ref: string): Promise<JobTemplateRow> {
  const t = await findTemplate(db, ref);
  if (isSet(t.locked)) throw new NotAllowedError(`Job template '${t.name}' is locked; clone it to change its inputs`);
  return t;
}

/** An input of a template by id or name; 404 otherwise. */
export async function findInput(db: Kysely<Database>, templateId: number, ref: string): Promise<TemplateInputRow> {
  const q = db.selectFrom('template_inputs').selectAll().where('template_id', '=', templateId);
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Template input '${ref}' not found in template ${templateId}`);
  return row;
}

/** A foreign input set of a template by id; 404 otherwise. */
export async function findSet(db: Kysely<Database>, templateId: number, ref: string): Promise<ForeignInputSetRow> {
  const row = /^\d+$/.test(ref)
    ? await db.selectFrom('foreign_input_sets').selectAll().where('template_id', '=', templateId).where('id', '=', Number(ref)).executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError(`Foreign input set '${ref}' not found in template ${templateId}`);
  return row;
}

/** Checks the template and those importing from it, and marks it changed. */
async function afterChange(db: Kysely<Database>, templateId: number): Promise<void> {
  await checkForeignInputs(db, templateId);
  await checkDependents(db, templateId);
  await db.updateTable('job_templates').set({ updated_at: nowIso() }).where('id', '=', templateId).execute();
}

async function checkNameFree(db: Kysely<Database>, t: JobTemplateRow, name: string): Promise<void> {
  if (await db.selectFrom('template_inputs').select('id').where('template_id', '=', t.id).where('name', '=', name).executeTakeFirst()) {
    throw new ConflictError(`Name has already been taken: template '${t.name}' has an input '${name}'`);
  }
}

/** Adds an input to an editable template. Run inside a transaction. */
export async function createInput(db: Kysely<Database>, templateRef: string, d: InputDefinition): Promise<TemplateInputRow> {
  const t = await editableTemplate(db, templateRef);
  await checkNameFree(db, t, d.name);
  const created = await db.insertInto('template_inputs').values({ ...inputRowValues(d), template_id: t.id }).returningAll().executeTakeFirstOrThrow();
  await afterChange(db, t.id);
  return created;
}

/** Changes what `attributes` names of an input. Run inside a transaction. */
export async function updateInput(db: Kysely<Database>, templateRef: string, ref: string, attributes: TemplateInputAttributes): Promise<TemplateInputRow> {
  const t = await editableTemplate(db, templateRef);
  const input = await findInput(db, t.id, ref);
  const merged: NamedInputAttributes = { ...serializeInput(input), ...attributes, name: attributes.name ?? input.name };
  if (attributes.default_value !== undefined && attributes.default === undefined) merged.default = attributes.default_value;
  // A hidden input's masked default sent back as shown keeps the stored one.
  if (merged.default === HIDDEN_DEFAULT_MASK && (merged.hidden_value ?? isSet(input.hidden_value))) merged.default = input.default_value;
  const d = inputDefinition(merged);
  if (d.name !== input.name) await checkNameFree(db, t, d.name);
  const row = await db.updateTable('template_inputs').set(inputRowValues(d)).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow();
  await afterChange(db, t.id);
  return row;
}

/** Deletes an input. Run inside a transaction. */
export async function deleteInput(db: Kysely<Database>, templateRef: string, ref: string): Promise<TemplateInputRow> {
  const t = await editableTemplate(db, templateRef);
  const input = await findInput(db, t.id, ref);
  await db.deleteFrom('template_inputs').where('id', '=', input.id).execute();
  await db.updateTable('job_templates').set({ updated_at: nowIso() }).where('id', '=', t.id).execute();
  return input;
}

function setValues(d: ForeignInputSetDefinition) {
  return { target_template_id: d.target_template_id, include_all: flag(d.include_all), include: d.include, exclude: d.exclude, description: d.description };
}

function checkNotSelf(t: JobTemplateRow, d: ForeignInputSetDefinition): void {
  if (d.target_template_id === t.id) throw new InputError(`Job template '${t.name}' cannot import its own inputs`, { code: 'foreign_input_set_cycle' });
}

/** Adds a foreign input set (`resolve` reads the body once the template is known). Run inside a transaction. */
export async function createSet(db: Kysely<Database>, templateRef: string, resolve: () => Promise<ForeignInputSetDefinition>): Promise<ForeignInputSetRow> {
  const t = await editableTemplate(db, templateRef);
  const d = await resolve();
  checkNotSelf(t, d);
  const created = await db.insertInto('foreign_input_sets').values({ template_id: t.id, ...setValues(d) }).returningAll().executeTakeFirstOrThrow();
  await afterChange(db, t.id);
  return created;
}

/** Changes a foreign input set (`resolve` merges the body into the stored set). Run inside a transaction. */
export async function updateSet(
  db: Kysely<Database>,
  templateRef: string,
  ref: string,
  resolve: (stored: ForeignInputSetRow) => Promise<ForeignInputSetDefinition>,
): Promise<ForeignInputSetRow> {
  const t = await editableTemplate(db, templateRef);
  const f = await findSet(db, t.id, ref);
  const d = await resolve(f);
  checkNotSelf(t, d);
  const updated = await db.updateTable('foreign_input_sets').set(setValues(d)).where('id', '=', f.id).returningAll().executeTakeFirstOrThrow();
  await afterChange(db, t.id);
  return updated;
}

/** Deletes a foreign input set and answers it as it was. Run inside a transaction. */
export async function deleteSet(db: Kysely<Database>, templateRef: string, ref: string): Promise<ForeignInputSet> {
  const t = await editableTemplate(db, templateRef);
  const f = await findSet(db, t.id, ref);
  const out = await setJson(db, f);
  await db.deleteFrom('foreign_input_sets').where('id', '=', f.id).execute();
  await db.updateTable('job_templates').set({ updated_at: nowIso() }).where('id', '=', t.id).execute();
  return out;
}
