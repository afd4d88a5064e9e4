/**
 * @module
 * Job templates and their inputs: reading, writing and the JSON shape.
 */
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, ForeignInputSetRow, JobTemplateRow, TemplateInputRow } from '../db/schema.ts';
import { flag, isSet, nowIso } from '../db/time.ts';
import { field } from '../http/params.ts';
import type { RevisionAction } from './template-revisions.ts';
import { recordRevision } from './template-revisions.ts';

/** Provider types accepted; `SSH` is Foreman's older name of `script`. */
export const PROVIDER_TYPES: Record<string, string> = { script: 'script', SSH: 'script', ssh: 'script' };

/** Input types a job template may declare. */
export const INPUT_TYPES = ['user', 'fact', 'variable', 'puppet_parameter'] as const;

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

/** Template input JSON. */
export function serializeInput(i: TemplateInputRow): Record<string, unknown> {
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    input_type: i.input_type,
    required: isSet(i.required),
    advanced: isSet(i.advanced),
    options: i.options,
    default: i.default_value,
    hidden_value: isSet(i.hidden_value),
    value_type: i.value_type,
    fact_name: i.fact_name,
    variable_name: i.variable_name,
    puppet_class_name: i.puppet_class_name,
    puppet_parameter_name: i.puppet_parameter_name,
  };
}

/** Job template JSON (Foreman show). */
export function serializeTemplate(t: LoadedTemplate): Record<string, unknown> {
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
    template_inputs: t.inputs.map(serializeInput),
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

/** A validated template input definition from a request. */
export interface InputDefinition {
  name: string;
  description: string | null;
  input_type: string;
  required: boolean;
  advanced: boolean;
  options: string | null;
  default_value: string | null;
  hidden_value: boolean;
  value_type: string;
  fact_name: string | null;
  variable_name: string | null;
  puppet_class_name: string | null;
  puppet_parameter_name: string | null;
}

/** Validates one input definition (`template_inputs_attributes` item or template_input body). */
export function parseInputDefinition(obj: Record<string, unknown>): InputDefinition {
  const name = field.required(obj, 'name');
  const inputType = field.str(obj, 'input_type') ?? 'user';
  if (!(INPUT_TYPES as readonly string[]).includes(inputType)) throw new InputError(`Input '${name}': input_type must be one of ${INPUT_TYPES.join(', ')}, got '${inputType}'`);
  const rawOptions = obj.options;
  const options = Array.isArray(rawOptions) ? rawOptions.map(String).join('\n') : (field.str(obj, 'options') ?? null);
  const def: InputDefinition = {
    name,
    description: field.str(obj, 'description') ?? null,
    input_type: inputType,
    required: field.bool(obj, 'required') ?? false,
    advanced: field.bool(obj, 'advanced') ?? false,
    options: options === '' ? null : options,
    default_value: field.str(obj, 'default') ?? field.str(obj, 'default_value') ?? null,
    hidden_value: field.bool(obj, 'hidden_value') ?? false,
    value_type: field.str(obj, 'value_type') ?? 'plain',
    fact_name: field.str(obj, 'fact_name') ?? null,
    variable_name: field.str(obj, 'variable_name') ?? null,
    puppet_class_name: field.str(obj, 'puppet_class_name') ?? null,
    puppet_parameter_name: field.str(obj, 'puppet_parameter_name') ?? null,
  };
  if (inputType === 'fact' && !def.fact_name) throw new InputError(`Input '${name}': fact_name can't be blank for a fact input`);
  if (inputType === 'variable' && !def.variable_name) throw new InputError(`Input '${name}': variable_name can't be blank for a variable input`);
  if (inputType === 'puppet_parameter' && (!def.puppet_class_name || !def.puppet_parameter_name)) {
    throw new InputError(`Input '${name}': puppet_class_name and puppet_parameter_name are required for a puppet parameter input`);
  }
  if (def.options !== null && def.default_value !== null && def.default_value !== '' && !def.options.split(/\r?\n/).includes(def.default_value)) {
    throw new InputError(`Input '${name}': default '${def.default_value}' is not one of its options`);
  }
  return def;
}

/** Replaces a template's inputs by name (missing ones are removed), as Foreman's sync_inputs. */
export async function syncInputs(db: Kysely<Database>, templateId: number, defs: readonly InputDefinition[]): Promise<void> {
  const names = new Set<string>();
  for (const d of defs) {
    if (names.has(d.name)) throw new InputError(`Input '${d.name}' is declared twice`);
    names.add(d.name);
  }
  const existing = await db.selectFrom('template_inputs').select(['id', 'name']).where('template_id', '=', templateId).execute();
  const stale = existing.filter((e) => !names.has(e.name)).map((e) => e.id);
  if (stale.length > 0) await db.deleteFrom('template_inputs').where('id', 'in', stale).execute();
  for (const d of defs) {
    const values = { ...d, required: flag(d.required), advanced: flag(d.advanced), hidden_value: flag(d.hidden_value) };
    const e = existing.find((x) => x.name === d.name);
    if (e) await db.updateTable('template_inputs').set(values).where('id', '=', e.id).execute();
    else await db.insertInto('template_inputs').values({ ...values, template_id: templateId }).execute();
  }
}

/** Fields of a template from a create/update request (missing fields keep `base`). */
export function templateFields(body: Record<string, unknown>, base?: JobTemplateRow) {
  const name = field.str(body, 'name') ?? base?.name;
  if (!name || name.trim() === '') throw new InputError("name can't be blank");
  const template = field.str(body, 'template') ?? base?.template;
  if (template === undefined || template === null) throw new InputError("template can't be blank");
  const snippet = field.bool(body, 'snippet') ?? (base ? isSet(base.snippet) : false);
  const jobCategory = field.str(body, 'job_category') ?? base?.job_category ?? null;
  if (!snippet && (jobCategory === null || jobCategory.trim() === '')) throw new InputError("job_category can't be blank");
  const providerType = field.str(body, 'provider_type') ?? base?.provider_type ?? 'script';
  if (!(providerType in PROVIDER_TYPES)) throw new InputError(`provider_type '${providerType}' is not supported; use one of: script, SSH`);
  const eu = (body.effective_user_attributes ?? body.effective_user) as Record<string, unknown> | undefined;
  if (eu !== undefined && (eu === null || typeof eu !== 'object')) throw new InputError('effective_user_attributes must be an object');
  const timeout = field.int(body, 'execution_timeout_interval');
  if (timeout !== undefined && timeout !== null && timeout < 1) throw new InputError('execution_timeout_interval must be a positive number of seconds');
  return {
    name: name.trim(),
    template,
    snippet: flag(snippet),
    job_category: jobCategory ?? '',
    provider_type: providerType,
    description: field.str(body, 'description') ?? base?.description ?? null,
    description_format: field.str(body, 'description_format') ?? base?.description_format ?? null,
    locked: flag(field.bool(body, 'locked') ?? (base ? isSet(base.locked) : false)),
    effective_user_value: eu ? (field.str(eu, 'value') ?? null) : (base?.effective_user_value ?? null),
    effective_user_current_user: flag(eu ? (field.bool(eu, 'current_user') ?? false) : base ? isSet(base.effective_user_current_user) : false),
    effective_user_overridable: flag(eu ? (field.bool(eu, 'overridable') ?? true) : base ? isSet(base.effective_user_overridable) : true),
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
