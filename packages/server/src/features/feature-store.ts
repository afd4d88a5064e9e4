/**
 * @module
 * Remote execution features (reference §1a, manual "Plugin API"): a named action (`run_script`)
 * mapped to a job template, so code and plugins trigger jobs without knowing template names.
 * Features are rows of `remote_execution_features`; core and plugins register them at start.
 */
import type { Feature } from '@remex/common';
import { InputError, NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, RemoteExecutionFeatureRow } from '../db/schema.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams, ListResponse } from '../http/params.ts';
import { findTemplate } from '../templates/job-template-store.ts';
import type { compileFeatureSearch } from './feature-search.ts';
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
export function serializeFeature(f: RemoteExecutionFeatureRow, templateName: string | null): Feature {
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

/** Features with the names of their job templates (one query for all). */
export async function showFeatures(db: Kysely<Database>, rows: RemoteExecutionFeatureRow[]): Promise<Feature[]> {
  const ids = [...new Set(rows.map((r) => r.job_template_id).filter((id): id is number => id !== null))];
  const names = ids.length ? await db.selectFrom('job_templates').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  return rows.map((r) => serializeFeature(r, names.find((n) => n.id === r.job_template_id)?.name ?? null));
}

/** A feature with the name of its job template. */
export async function showFeature(db: Kysely<Database>, row: RemoteExecutionFeatureRow): Promise<Feature> {
  const [one] = await showFeatures(db, [row]);
  if (one === undefined) throw new Error('unreachable: one row shown as none');
  return one;
}

/** A page of features (`assignedOnly`: those with a job template), searched and ordered. */
export function listFeatures(db: Kysely<Database>, params: ListParams, search: (text: string) => ReturnType<typeof compileFeatureSearch>, assignedOnly: boolean): Promise<ListResponse<Feature>> {
  const visible = db.selectFrom('remote_execution_features');
  return listResource({
    params,
    base: assignedOnly ? visible.where('job_template_id', 'is not', null) : visible,
    search,
    orderColumns: { name: 'name', label: 'label', id: 'id' },
    defaultOrder: 'label',
    tiebreak: ['id'],
    select: (q) => q.selectAll(),
    serialize: (rows) => showFeatures(db, rows),
  });
}

/**
 * Assigns the job template `ref` (id or name; null or empty unassigns) to feature `featureRef`.
 * @throws InputError when the template is a snippet
 */
export function assignFeature(db: Kysely<Database>, featureRef: string, ref: string | number | null): Promise<RemoteExecutionFeatureRow> {
  return db.transaction().execute(async (trx) => {
    const f = await findFeature(trx, featureRef);
    let templateId: number | null = null;
    if (ref !== null && ref !== '') {
      const t = await findTemplate(trx, String(ref));
      if (isSet(t.snippet)) throw new InputError(`Job template '${t.name}' is a snippet and cannot run a feature`);
      templateId = t.id;
    }
    return trx.updateTable('remote_execution_features').set({ job_template_id: templateId, updated_at: nowIso() }).where('id', '=', f.id).returningAll().executeTakeFirstOrThrow();
  });
}
