/**
 * @module
 * Importing a template file with its metadata header (Foreman `JobTemplate.import_raw!`):
 * name, job category, description format, provider, snippet flag, inputs (synced by name),
 * foreign input sets (targets by name, which must exist) and feature. One call is meant to
 * run inside one transaction, so an import is all-or-nothing.
 */
import { ConflictError, ForeignInputSetBodySchema, InputError, JobTemplateUpdateSchema, NotAllowedError, NotFoundError, TemplateInputCreateSchema, isRemexError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, JobTemplateRow } from '../db/schema.ts';
import { flag, isSet, nowIso } from '../db/time.ts';
import { assignFeatureFromMetadata } from '../features/feature-store.ts';
import { checkDependents, parseForeignInputSet, syncForeignInputSets } from './foreign-input-sets.ts';
import type { ForeignInputSetDefinition } from './foreign-input-sets.ts';
import { PROVIDER_TYPES, insertTemplate, syncInputs, templateFields } from './job-template-store.ts';
import type { InputDefinition } from './template-input-definition.ts';
import { checkedEntry, inputDefinition } from './template-input-definition.ts';
import type { TemplateMetadata } from './template-metadata.ts';
import { parseMetadata, stripMetadata } from './template-metadata.ts';
import type { RevisionAction } from './template-revisions.ts';
import { recordRevision } from './template-revisions.ts';

/** Options of an import (Foreman `options{…}` plus `overwrite`). */
export interface ImportOptions {
  /** Update the template of the same name instead of failing (Default: false). */
  overwrite?: boolean;
  /** Lock the imported template; unset keeps the existing flag (new templates: unlocked). */
  lock?: boolean;
  /** Mark the template as shipped by the product; unset keeps the existing flag. */
  default?: boolean;
  /** Overwrite a locked template too (Default: false). */
  force?: boolean;
  /** Revision action recorded (Default: `import`). */
  action?: RevisionAction;
  userLogin?: string | null;
}

/** Result of an import. */
export interface ImportResult {
  row: JobTemplateRow;
  created: boolean;
  /** Template text or inputs changed (always true for a new template). */
  changed: boolean;
}

function list(meta: TemplateMetadata, key: string): Record<string, unknown>[] {
  const v = meta[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InputError(`Template metadata: ${key} must be a list`);
  return v.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new InputError(`Template metadata: ${key}[${i}] must be a mapping`);
    return item as Record<string, unknown>;
  });
}

function inputsOf(meta: TemplateMetadata): InputDefinition[] {
  return list(meta, 'template_inputs').map((raw, i) => inputDefinition(checkedEntry(TemplateInputCreateSchema, raw, `Template metadata: template_inputs[${i}]`)));
}

async function foreignSetsOf(db: Kysely<Database>, meta: TemplateMetadata): Promise<ForeignInputSetDefinition[]> {
  const out: ForeignInputSetDefinition[] = [];
  for (const [i, raw] of list(meta, 'foreign_input_sets').entries()) {
    const set = checkedEntry(ForeignInputSetBodySchema, raw, `Template metadata: foreign_input_sets[${i}]`);
    try {
      out.push(await parseForeignInputSet(db, { ...set, target_template: set.template ?? set.target_template }));
    } catch (e: unknown) {
      if (e instanceof NotFoundError) throw new InputError(`${e.message}: import the target template first`, { code: 'foreign_input_set_target_missing' });
      throw e;
    }
  }
  return out;
}

function checkKind(meta: TemplateMetadata): void {
  if (meta.kind !== undefined && meta.kind !== 'job_template') throw new InputError(`Template metadata: kind must be job_template, got '${JSON.stringify(meta.kind)}'`);
  if (meta.model !== undefined && meta.model !== 'JobTemplate') throw new InputError(`Template metadata: model must be JobTemplate, got '${JSON.stringify(meta.model)}'`);
}

/**
 * Imports `text` (a template with its `<%# … %>` header). Run inside a transaction.
 * @throws InputError for a header without a name or with invalid fields, ConflictError when the
 *   name exists and `overwrite` is off, NotAllowedError when overwriting a locked template
 *   without `force`.
 */
export async function importTemplate(db: Kysely<Database>, text: string, options: ImportOptions = {}): Promise<ImportResult> {
  if (typeof text !== 'string' || text.trim() === '') throw new InputError("template can't be blank");
  const meta = parseMetadata(text);
  checkKind(meta);
  const name = typeof meta.name === 'string' ? meta.name.trim() : '';
  if (name === '') throw new InputError('Template metadata must contain a name (a `<%# name: … %>` header)', { code: 'metadata_missing' });
  const body = stripMetadata(text);
  const existing = await db.selectFrom('job_templates').selectAll().where('name', '=', name).executeTakeFirst();
  if (existing && !options.overwrite) throw new ConflictError(`Name has already been taken: job template '${name}' exists (use overwrite)`);
  if (existing && isSet(existing.locked) && !options.force) throw new NotAllowedError(`Job template '${name}' is locked; import it with force or clone it`);

  const provider = typeof meta.provider_type === 'string' && meta.provider_type !== '' ? meta.provider_type : 'script';
  if (!(provider in PROVIDER_TYPES)) throw new InputError(`provider_type '${provider}' is not supported; use one of: script, SSH`);
  const fieldsBody: Record<string, unknown> = {
    name,
    template: body,
    snippet: meta.snippet === true,
    job_category: meta.job_category ?? (existing ? undefined : null),
    provider_type: provider,
    description_format: meta.description_format,
    description: meta.description,
  };
  if (options.lock !== undefined) fieldsBody.locked = options.lock;
  const checked = checkedEntry(JobTemplateUpdateSchema, fieldsBody, `Template '${name}'`);
  let fields: ReturnType<typeof templateFields>;
  try {
    fields = templateFields(checked, existing);
  } catch (e: unknown) {
    throw isRemexError(e) ? new InputError(`Template '${name}': ${e.message}`, { code: e.code }) : e;
  }
  const inputs = inputsOf(meta);
  const sets = await foreignSetsOf(db, meta);

  let row: JobTemplateRow;
  let changed = true;
  if (!existing) {
    row = await insertTemplate(db, fields, inputs, { default_template: options.default === true, action: options.action ?? 'import', userLogin: options.userLogin ?? null });
  } else {
    const before = JSON.stringify(await db.selectFrom('template_inputs').selectAll().where('template_id', '=', existing.id).orderBy('id').execute());
    row = await db
      .updateTable('job_templates')
      .set({ ...fields, ...(options.default === undefined ? {} : { default_template: flag(options.default) }), updated_at: nowIso() })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await syncInputs(db, row.id, inputs);
    const after = JSON.stringify(await db.selectFrom('template_inputs').selectAll().where('template_id', '=', existing.id).orderBy('id').execute());
    const textChanged = await recordRevision(db, row, options.action ?? 'import', options.userLogin ?? null);
    changed = textChanged || before !== after;
  }
  await syncForeignInputSets(db, row.id, sets);
  if (existing) await checkDependents(db, row.id);
  if (typeof meta.feature === 'string' && meta.feature !== '') await assignFeatureFromMetadata(db, meta.feature, row.id);
  return { row, created: !existing, changed };
}
