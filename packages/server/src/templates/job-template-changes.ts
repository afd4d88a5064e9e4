/**
 * @module
 * The job template store's writes (`/api/job_templates` create, update, delete, clone) and the
 * show answer with its feature. Each runs inside the request's one transaction; locked templates
 * can't be edited or deleted, only cloned (or unlocked).
 */
import type { ForeignInputSetBody, JobTemplate, JobTemplateCreate, JobTemplateUpdate } from '@remex/common';
import { InputError, NotAllowedError } from '@remex/common';
import type { Kysely } from 'kysely';

import { checkWithinFilters } from '../authz/authorize.ts';
import type { Database, JobTemplateRow } from '../db/schema.ts';
import { isSet, nowIso } from '../db/time.ts';
import { featureLabelOf } from '../features/feature-store.ts';
import type { ForeignInputSetDefinition } from './foreign-input-sets.ts';
import { checkDependents, parseForeignInputSet, syncForeignInputSets } from './foreign-input-sets.ts';
import { findTemplate, insertTemplate, loadTemplate, serializeTemplate, syncInputs, templateFields } from './job-template-store.ts';
import type { InputDefinition } from './template-input-definition.ts';
import { inputDefinition, serializeInput } from './template-input-definition.ts';
import { recordRevision } from './template-revisions.ts';

/** Inputs and foreign input sets given with a template (undefined: leave them as they are). */
export interface TemplateParts {
  inputs?: readonly InputDefinition[] | undefined;
  sets?: readonly ForeignInputSetBody[] | undefined;
}

/** Job template JSON with the feature it provides. */
export async function showTemplate(db: Kysely<Database>, row: JobTemplateRow): Promise<JobTemplate> {
  return { ...serializeTemplate(await loadTemplate(db, row)), feature: await featureLabelOf(db, row.id) };
}

async function setDefinitions(db: Kysely<Database>, sets: readonly ForeignInputSetBody[]): Promise<ForeignInputSetDefinition[]> {
  const out: ForeignInputSetDefinition[] = [];
  for (const s of sets) out.push(await parseForeignInputSet(db, s));
  return out;
}

/** Creates a template with its inputs and sets. */
export async function createTemplate(db: Kysely<Database>, body: JobTemplateCreate, parts: TemplateParts, userLogin: string | null): Promise<JobTemplateRow> {
  const fields = templateFields(body);
  const created = await insertTemplate(db, fields, parts.inputs ?? [], { userLogin });
  if (parts.sets) await syncForeignInputSets(db, created.id, await setDefinitions(db, parts.sets));
  await checkWithinFilters(db, 'JobTemplate', created.id);
  return created;
}

/** Changes what `body` names of a template (a locked one only to unlock it). */
export async function updateTemplate(db: Kysely<Database>, ref: string, body: JobTemplateUpdate, parts: TemplateParts, userLogin: string | null): Promise<JobTemplateRow> {
  const t = await findTemplate(db, ref);
  const unlocking = body.locked === false || body.locked === 'false';
  if (isSet(t.locked) && !(unlocking && Object.keys(body).length === 1)) {
    throw new NotAllowedError(`Job template '${t.name}' is locked; clone it to make changes`);
  }
  const fields = templateFields(body, t);
  if (fields.name !== t.name && (await db.selectFrom('job_templates').select('id').where('name', '=', fields.name).executeTakeFirst())) {
    throw new InputError(`Name has already been taken: job template '${fields.name}' exists`);
  }
  const updated = await db.updateTable('job_templates').set({ ...fields, updated_at: nowIso() }).where('id', '=', t.id).returningAll().executeTakeFirstOrThrow();
  if (parts.inputs) await syncInputs(db, t.id, parts.inputs);
  if (parts.sets) await syncForeignInputSets(db, t.id, await setDefinitions(db, parts.sets));
  if (parts.inputs || parts.sets) await checkDependents(db, t.id);
  await recordRevision(db, updated, 'update', userLogin);
  await checkWithinFilters(db, 'JobTemplate', t.id);
  return updated;
}

/** Deletes a template no job and no other template uses; answers it as it was. */
export async function deleteTemplate(db: Kysely<Database>, ref: string): Promise<JobTemplate> {
  const t = await findTemplate(db, ref);
  if (isSet(t.locked)) throw new NotAllowedError(`Job template '${t.name}' is locked and cannot be deleted`);
  if (await db.selectFrom('job_invocations').select('id').where('template_id', '=', t.id).executeTakeFirst()) {
    throw new InputError(`Job template '${t.name}' is used by job invocations and cannot be deleted`);
  }
  const users = await db
    .selectFrom('foreign_input_sets as f')
    .innerJoin('job_templates as u', 'u.id', 'f.template_id')
    .select('u.name')
    .where('f.target_template_id', '=', t.id)
    .execute();
  if (users.length > 0) throw new InputError(`Job template '${t.name}' provides inputs to ${users.map((u) => `'${u.name}'`).join(', ')} and cannot be deleted`);
  const out = await showTemplate(db, t);
  await db.deleteFrom('job_templates').where('id', '=', t.id).execute();
  return out;
}

/** Copies a template (unlocked, with its inputs and sets) under a new name. */
export async function cloneTemplate(db: Kysely<Database>, ref: string, name: string, userLogin: string | null): Promise<JobTemplateRow> {
  const source = await loadTemplate(db, await findTemplate(db, ref));
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
  const inputs = source.inputs.map((i) => inputDefinition(serializeInput(i)));
  const created = await insertTemplate(db, fields, inputs, { cloned_from_id: s.id, action: 'clone', userLogin });
  await syncForeignInputSets(
    db,
    created.id,
    source.foreignInputSets.map((f) => ({ target_template_id: f.target_template_id, include_all: isSet(f.include_all), include: f.include, exclude: f.exclude, description: f.description })),
  );
  await checkWithinFilters(db, 'JobTemplate', created.id);
  return created;
}
