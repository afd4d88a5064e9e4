/**
 * @module
 * Job templates and their inputs: reading, writing and the JSON shape.
 */
import type { JobTemplate, JobTemplateSummary, JobTemplateUpdate } from '@remex/common';
import { ConflictError, InputError, NotFoundError, scalarText } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, ForeignInputSetRow, JobTemplateRow, TemplateInputRow } from '../db/schema.ts';
import { flag, isSet, nowIso } from '../db/time.ts';
import type { InputDefinition } from './template-input-definition.ts';
import { HIDDEN_DEFAULT_MASK, flagOf, inputRowValues, shownInput } from './template-input-definition.ts';
import type { RevisionAction } from './template-revisions.ts';
import { recordRevision } from './template-revisions.ts';

/** Provider types accepted; `SSH` is Foreman's older name of `script`. */
export const PROVIDER_TYPES: Record<string, string> = { script: 'script', SSH: 'script', ssh: 'script' };

/** A template with inputs and foreign input sets loaded. */
export interface LoadedTemplate {
  row: JobTemplateRow;
  inputs: TemplateInputRow[];
  foreignInputSets: Array<ForeignInputSetRow & { target_template_name: string }>;
}

/** Finds a job template by id or name; 404 otherwise. */
export async function findTemplate(db: Kysely<Database>, ref: string | number): Promise<JobTemplateRow> {
  const q = db.selectFrom('job_templates').selectAll();
  const s = String(ref);
  const row = /^\d+$/.test(s) ? await q.where('id', '=', Number(s)).executeTakeFirst() : await q.where('name', '=', s).executeTakeFirst();
  if (!row) throw new NotFoundError(`Job template '${s}' not found`);
  return row;
}

/** Loads inputs and foreign input sets of a template. */
export async function loadTemplate(db: Kysely<Database>, row: JobTemplateRow): Promise<LoadedTemplate> {
  const inputs = await db.selectFrom('template_inputs').selectAll().where('template_id', '=', row.id).orderBy('id').execute();
  const foreignInputSets = await db
    .selectFrom('foreign_input_sets as f')
    .innerJoin('job_templates as t', 't.id', 'f.target_template_id')
    .selectAll('f')
    .select('t.name as target_template_name')
    .where('f.template_id', '=', row.id)
    .orderBy('f.id')
    .execute();
  return { row, inputs, foreignInputSets };
}

/** Options of an input as a list (stored newline-separated). */
export function inputOptions(i: Pick<TemplateInputRow, 'options'>): string[] | null {
  if (i.options === null || i.options === '') return null;
  return i.options.split(/\r?\n/);
}

/** Job template JSON (Foreman show). */
export function serializeTemplate(t: LoadedTemplate): Omit<JobTemplate, 'feature'> {
  const r = t.row;
  return {
    id: r.id,
    name: r.name,
    job_category: r.job_category,
    description: r.description,
    description_format: r.description_format,
    provider_type: r.provider_type,
    template: r.template,
    snippet: isSet(r.snippet),
    locked: isSet(r.locked),
    default: isSet(r.default_template),
    execution_timeout_interval: r.execution_timeout_interval,
    cloned_from_id: r.cloned_from_id,
    effective_user: { value: r.effective_user_value, current_user: isSet(r.effective_user_current_user), overridable: isSet(r.effective_user_overridable) },
    template_inputs: t.inputs.map(shownInput),
    foreign_input_sets: t.foreignInputSets.map((f) => ({
      id: f.id,
      target_template_id: f.target_template_id,
      target_template_name: f.target_template_name,
      include_all: isSet(f.include_all),
      include: f.include,
      exclude: f.exclude,
      description: f.description,
    })),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/** Replaces a template's inputs by name (missing ones are removed), as Foreman's sync_inputs. */
export async function syncInputs(db: Kysely<Database>, templateId: number, defs: readonly InputDefinition[]): Promise<void> {
  const names = new Set<string>();
  for (const d of defs) {
    if (names.has(d.name)) throw new InputError(`Input '${d.name}' is declared twice`);
    names.add(d.name);
  }
  const existing = await db.selectFrom('template_inputs').select(['id', 'name', 'default_value']).where('template_id', '=', templateId).execute();
  const stale = existing.filter((e) => !names.has(e.name)).map((e) => e.id);
  if (stale.length > 0) await db.deleteFrom('template_inputs').where('id', 'in', stale).execute();
  for (const d of defs) {
    const e = existing.find((x) => x.name === d.name);
    // A hidden input's masked default sent back as shown keeps the stored one.
    const keep = e !== undefined && d.hidden_value && d.default_value === HIDDEN_DEFAULT_MASK;
    const values = keep ? { ...inputRowValues(d), default_value: e.default_value } : inputRowValues(d);
    if (e) await db.updateTable('template_inputs').set(values).where('id', '=', e.id).execute();
    else await db.insertInto('template_inputs').values({ ...values, template_id: templateId }).execute();
  }
}

/** Fields of a template from a create/update body (missing fields keep `base`). */
export function templateFields(body: JobTemplateUpdate, base?: JobTemplateRow) {
  const name = body.name ?? base?.name;
  if (!name || name.trim() === '') throw new InputError("name can't be blank");
  const template = body.template ?? base?.template;
  if (template === undefined || template === null) throw new InputError("template can't be blank");
  const snippet = flagOf(body.snippet) ?? (base ? isSet(base.snippet) : false);
  const jobCategory = body.job_category ?? base?.job_category ?? null;
  if (!snippet && (jobCategory === null || jobCategory.trim() === '')) throw new InputError("job_category can't be blank");
  const providerType = body.provider_type ?? base?.provider_type ?? 'script';
  if (!(providerType in PROVIDER_TYPES)) throw new InputError(`provider_type '${providerType}' is not supported; use one of: script, SSH`);
  const eu = body.effective_user_attributes ?? body.effective_user;
  const rawTimeout = body.execution_timeout_interval;
  const timeout = rawTimeout === undefined ? undefined : rawTimeout === null || rawTimeout === '' ? null : Number(rawTimeout);
  if (timeout !== undefined && timeout !== null && timeout < 1) throw new InputError('execution_timeout_interval must be a positive number of seconds');
  return {
    name: name.trim(),
    template,
    snippet: flag(snippet),
    job_category: jobCategory ?? '',
    provider_type: providerType,
    description: (body.description === undefined ? undefined : scalarText(body.description)) ?? base?.description ?? null,
    description_format: body.description_format ?? base?.description_format ?? null,
    locked: flag(flagOf(body.locked) ?? (base ? isSet(base.locked) : false)),
    effective_user_value: eu ? (eu.value === undefined ? null : scalarText(eu.value)) : (base?.effective_user_value ?? null),
    effective_user_current_user: flag(eu ? (flagOf(eu.current_user) ?? false) : base ? isSet(base.effective_user_current_user) : false),
    effective_user_overridable: flag(eu ? (flagOf(eu.overridable) ?? true) : base ? isSet(base.effective_user_overridable) : true),
    execution_timeout_interval: timeout === undefined ? (base?.execution_timeout_interval ?? null) : timeout,
  };
}

/** Inserts a template with its inputs; names must be unique. */
export async function insertTemplate(
  db: Kysely<Database>,
  fields: ReturnType<typeof templateFields>,
  inputs: readonly InputDefinition[],
  extra: { default_template?: boolean; cloned_from_id?: number | null; action?: RevisionAction; userLogin?: string | null } = {},
): Promise<JobTemplateRow> {
  if (await db.selectFrom('job_templates').select('id').where('name', '=', fields.name).executeTakeFirst()) {
    throw new ConflictError(`Name has already been taken: job template '${fields.name}' exists`);
  }
  const now = nowIso();
  const row = await db
    .insertInto('job_templates')
    .values({ ...fields, default_template: flag(extra.default_template), cloned_from_id: extra.cloned_from_id ?? null, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  await syncInputs(db, row.id, inputs);
  await recordRevision(db, row, extra.action ?? 'create', extra.userLogin ?? null);
  return row;
}

/** Job template JSON of a list. */
export function serializeTemplateSummary(r: JobTemplateRow): JobTemplateSummary {
  return {
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
  };
}

/** The rows listed by `GET /api/job_templates`. */
export function allTemplates(db: Kysely<Database>) {
  return db.selectFrom('job_templates');
}
