/**
 * @module
 * Remote execution features (reference §1a, manual "Plugin API"): a named action (`run_script`)
 * mapped to a job template, so code and plugins trigger jobs without knowing template names.
 * Features are rows of `remote_execution_features`; core and plugins register them at start.
 */
import { InputError, NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, RemoteExecutionFeatureRow } from '../db/schema.ts';
import { flag, isSet, nowIso } from '../db/time.ts';

/** What a feature registration says (the plugin-facing shape). */
export interface FeatureDefinition {
  /** Unique machine name, e.g. `run_script`. */
  label: string;
  /** Human name, e.g. `Run Script`. */
  name: string;
  description?: string;
  /** Inputs the caller provides when triggering the feature (Default: none). */
  providedInputs?: readonly string[];
  /** Offer the feature as a button on the host page (Default: false). */
  hostAction?: boolean;
}

/** Features Remex itself provides (those of Foreman REX's engine). */
export const CORE_FEATURES: readonly FeatureDefinition[] = [
  { label: 'run_script', name: 'Run Script', description: 'Run a script', providedInputs: ['command'] },
  { label: 'puppet_run_host', name: 'Run Puppet Once', description: 'Perform a single Puppet run', providedInputs: ['puppet_options'], hostAction: true },
];

/** Checks a definition and returns it normalised. */
export function checkFeatureDefinition(def: FeatureDefinition): Required<FeatureDefinition> {
  if (typeof def.label !== 'string' || !/^[a-z][a-z0-9_]{0,254}$/.test(def.label)) {
    throw new InputError(`Feature label '${String(def.label)}' must be lower-case letters, digits and underscores, starting with a letter`);
  }
  if (typeof def.name !== 'string' || def.name.trim() === '') throw new InputError(`Feature '${def.label}': name can't be blank`);
  const providedInputs: readonly string[] = def.providedInputs ?? [];
  if (!Array.isArray(providedInputs) || providedInputs.some((i) => typeof i !== 'string' || i.trim() === '' || i.includes(','))) {
    throw new InputError(`Feature '${def.label}': providedInputs must be a list of input names`);
  }
  return { label: def.label, name: def.name.trim(), description: def.description ?? '', providedInputs: providedInputs.map((i: string) => i.trim()), hostAction: def.hostAction === true };
}

/**
 * Creates or refreshes a feature (name, description, provided inputs, host action); its
 * template assignment is kept.
 */
export async function registerFeature(db: Kysely<Database>, def: FeatureDefinition): Promise<RemoteExecutionFeatureRow> {
  const d = checkFeatureDefinition(def);
  const now = nowIso();
  const values = { name: d.name, description: d.description === '' ? null : d.description, provided_inputs: d.providedInputs.join(','), host_action_button: flag(d.hostAction), updated_at: now };
  const existing = await db.selectFrom('remote_execution_features').select('id').where('label', '=', d.label).executeTakeFirst();
  if (existing) return db.updateTable('remote_execution_features').set(values).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
  return db.insertInto('remote_execution_features').values({ ...values, label: d.label, created_at: now }).returningAll().executeTakeFirstOrThrow();
}

/** Finds a feature by id or label; 404 otherwise. */
export async function findFeature(db: Kysely<Database>, ref: string | number): Promise<RemoteExecutionFeatureRow> {
  const s = String(ref);
  const q = db.selectFrom('remote_execution_features').selectAll();
  const row = /^\d+$/.test(s) ? await q.where('id', '=', Number(s)).executeTakeFirst() : await q.where('label', '=', s).executeTakeFirst();
  if (!row) throw new NotFoundError(`Remote execution feature '${s}' not found`);
  return row;
}

/**
 * Template metadata `feature: <label>`: assigns the template to the feature when the feature
 * exists and has no template yet (Foreman's `sync_feature`). Unknown labels are ignored.
 * @returns true when the template was assigned
 */
export async function assignFeatureFromMetadata(db: Kysely<Database>, label: string, templateId: number): Promise<boolean> {
  const res = await db
    .updateTable('remote_execution_features')
    .set({ job_template_id: templateId, updated_at: nowIso() })
    .where('label', '=', label)
    .where('job_template_id', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Label of the first feature mapped to the template (for export), or null. */
export async function featureLabelOf(db: Kysely<Database>, templateId: number): Promise<string | null> {
  const row = await db.selectFrom('remote_execution_features').select('label').where('job_template_id', '=', templateId).orderBy('id').executeTakeFirst();
  return row?.label ?? null;
}

/** Feature JSON (Foreman `remote_execution_features` rabl). */
export function serializeFeature(f: RemoteExecutionFeatureRow, templateName: string | null): Record<string, unknown> {
  return {
    id: f.id,
    label: f.label,
    name: f.name,
    description: f.description,
    job_template_id: f.job_template_id,
    job_template_name: templateName,
    host_action_button: isSet(f.host_action_button),
    provided_input_names: f.provided_inputs ? f.provided_inputs.split(',').filter((s) => s !== '') : [],
    created_at: f.created_at,
    updated_at: f.updated_at,
  };
}
