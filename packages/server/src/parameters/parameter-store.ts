/**
 * @module
 * Parameter store: the API shape of parameters and their upsert for hosts, hostgroups and common parameters.
 */
import type { Parameter } from '@remex/common';
import { InputError } from '@remex/common';
import type { Kysely, Selectable } from 'kysely';

import type { Database, ParameterScope, ParameterTable } from '../db/schema.ts';
import { flag, nowIso } from '../db/time.ts';
import { field } from '../http/params.ts';
import { SECRET_PARAMETERS, isHiddenParameter } from './hidden-parameters.ts';
import { sealForUpsert } from './parameter-secrets.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

/** Re-exported for the modules that read them from here. */
export { SECRET_PARAMETERS, isHiddenParameter };

/** Parameter as the API shows it. */
export function serializeParameter(p: Selectable<ParameterTable>): Parameter {
  return {
    id: p.id,
    name: p.name,
    value: isHiddenParameter(p.name, p.hidden_value) ? '*****' : p.value,
    parameter_type: p.parameter_type,
    hidden_value: isHiddenParameter(p.name, p.hidden_value),
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/** Validates a parameter name. */
export function checkParameterName(name: string): void {
  if (!/^\S+$/.test(name)) throw new InputError(`Parameter name '${name}' must not contain spaces`);
}

/**
 * Inserts or replaces parameters of one owner (run inside a transaction). A value is sealed when
 * its name is a known secret or the row it replaces is marked hidden.
 */
export async function upsertParameters(
  db: Kysely<Database>,
  secrets: SecretBox,
  scope: ParameterScope,
  scopeId: number,
  params: ReadonlyArray<{ name: string; value: string }>,
): Promise<void> {
  const now = nowIso();
  for (const p of params) checkParameterName(p.name);
  const stored = await sealForUpsert(db, secrets, scope, [scopeId], params.map((p) => ({ scopeId, name: p.name, value: p.value })));
  for (const [i, p] of params.entries()) {
    const value = stored[i] ?? '';
    await db
      .insertInto('parameters')
      .values({ scope, scope_id: scopeId, name: p.name, value, parameter_type: 'string', hidden_value: flag(SECRET_PARAMETERS.has(p.name)), created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'scope_id', 'name']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}

/**
 * Reads Foreman's `*_parameters_attributes`: an array of `{name, value}` or a hash of them.
 * @param value - the attribute value from the request
 * @param key - the attribute name, for messages
 */
export function parameterAttributes(value: unknown, key: string): Array<{ name: string; value: string }> {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : null;
  if (items === null) throw new InputError(`${key} must be a list of {name, value}`);
  const seen = new Set<string>();
  return items.map((item, i) => {
    if (item === null || typeof item !== 'object') throw new InputError(`${key}[${i}] must be an object with name and value`);
    const obj = item as Record<string, unknown>;
    const name = field.required(obj, 'name');
    if (seen.has(name)) throw new InputError(`${key}[${i}]: parameter '${name}' is given twice`);
    seen.add(name);
    const v = obj.value;
    if (v === undefined || v === null) throw new InputError(`${key}[${i}] (${name}): value can't be blank`);
    return { name, value: typeof v === 'string' ? v : JSON.stringify(v) };
  });
}
