/**
 * @module
 * Foreign input sets (reference §1b–1c): a template imports the inputs of another template
 * (all of them, an `include` list, minus an `exclude` list), recursively. Cycles and duplicate
 * input names are rejected, as Foreman's `template_inputs_with_foreign` and
 * `check_unique_inputs` do.
 */
import type { ForeignInputSetBody } from '@remex/common';
import { InputError, NotFoundError, looseBoolean, scalarText } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, ForeignInputSetRow, TemplateInputRow } from '../db/schema.ts';
import { flag, isSet } from '../db/time.ts';

/** A validated foreign input set from a request or a metadata header. */
export interface ForeignInputSetDefinition {
  target_template_id: number;
  include_all: boolean;
  include: string | null;
  exclude: string | null;
  description: string | null;
}

/** Names of a comma-separated list (blank entries dropped). */
export function nameList(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads a foreign input set body (`target_template_id`, `target_template` or `template`, by id or name). */
export async function parseForeignInputSet(db: Kysely<Database>, body: ForeignInputSetBody): Promise<ForeignInputSetDefinition> {
  const given = body.target_template_id ?? body.target_template ?? body.template;
  const ref = given === undefined || given === null ? '' : String(given);
  if (ref.trim() === '') throw new InputError("target_template_id can't be blank");
  const q = db.selectFrom('job_templates').select('id');
  const target = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!target) throw new NotFoundError(`Target template '${ref}' of the foreign input set not found`);
  const include = body.include === undefined ? null : scalarText(body.include);
  return {
    target_template_id: target.id,
    include_all: body.include_all === undefined || body.include_all === null ? true : looseBoolean(body.include_all),
    include: include === '' ? null : include,
    exclude: (body.exclude === undefined ? null : scalarText(body.exclude)) || null,
    description: body.description === undefined ? null : scalarText(body.description),
  };
}

/** A stored foreign input set as a body gives it, with `body` merged over it (an update). */
export function mergedSetBody(stored: ForeignInputSetRow, body: ForeignInputSetBody): ForeignInputSetBody {
  return {
    target_template_id: stored.target_template_id,
    include_all: isSet(stored.include_all),
    include: stored.include,
    exclude: stored.exclude,
    description: stored.description,
    ...body,
  };
}

/**
 * The inputs a template offers: its own plus those imported through foreign input sets,
 * recursively. Throws an InputError naming the chain when the sets form a cycle.
 */
export async function effectiveInputs(db: Kysely<Database>, templateId: number, stack: readonly number[] = []): Promise<TemplateInputRow[]> {
  if (stack.includes(templateId)) {
    const names = await db.selectFrom('job_templates').select(['id', 'name']).where('id', 'in', [...stack, templateId]).execute();
    const nameOf = (id: number) => names.find((n) => n.id === id)?.name ?? String(id);
    throw new InputError(`Circular dependency detected in foreign input sets: ${[...stack, templateId].map(nameOf).join(' -> ')}`, { code: 'foreign_input_set_cycle' });
  }
  const own = await db.selectFrom('template_inputs').selectAll().where('template_id', '=', templateId).orderBy('id').execute();
  const sets = await db.selectFrom('foreign_input_sets').selectAll().where('template_id', '=', templateId).orderBy('id').execute();
  const out = [...own];
  for (const s of sets) {
    let inputs = await effectiveInputs(db, s.target_template_id, [...stack, templateId]);
    if (s.include_all !== 1) {
      const included = new Set(nameList(s.include));
      inputs = inputs.filter((i) => included.has(i.name));
    }
    const excluded = new Set(nameList(s.exclude));
    out.push(...inputs.filter((i) => !excluded.has(i.name)));
  }
  return out;
}

/** Checks a template's foreign input sets: no cycle and no input name offered twice. */
export async function checkForeignInputs(db: Kysely<Database>, templateId: number): Promise<void> {
  const inputs = await effectiveInputs(db, templateId);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const i of inputs) {
    if (seen.has(i.name)) duplicates.add(i.name);
    seen.add(i.name);
  }
  if (duplicates.size > 0) throw new InputError(`Duplicated inputs detected: ${[...duplicates].join(', ')}`, { code: 'duplicated_inputs' });
}

/** Replaces a template's foreign input sets and checks the result. */
export async function syncForeignInputSets(db: Kysely<Database>, templateId: number, defs: readonly ForeignInputSetDefinition[]): Promise<void> {
  await db.deleteFrom('foreign_input_sets').where('template_id', '=', templateId).execute();
  for (const d of defs) {
    await db
      .insertInto('foreign_input_sets')
      .values({ template_id: templateId, target_template_id: d.target_template_id, include_all: flag(d.include_all), include: d.include, exclude: d.exclude, description: d.description })
      .execute();
  }
  await checkForeignInputs(db, templateId);
}

/**
 * Checks every template that imports inputs from `templateId` (directly or not) after its inputs
 * or sets changed, so an edit cannot create a duplicate or a cycle elsewhere.
 */
export async function checkDependents(db: Kysely<Database>, templateId: number): Promise<void> {
  const seen = new Set<number>([templateId]);
  let frontier = [templateId];
  while (frontier.length > 0) {
    const rows = await db.selectFrom('foreign_input_sets').select('template_id').where('target_template_id', 'in', frontier).execute();
    frontier = [...new Set(rows.map((r) => r.template_id))].filter((id) => !seen.has(id));
    for (const id of frontier) {
      seen.add(id);
      await checkForeignInputs(db, id);
    }
  }
}
