/**
 * @module
 * Encryption at rest of hidden parameter values: a parameter that is hidden (marked
 * `hidden_value`, or a known secret such as `remote_execution_ssh_password`) keeps its value
 * sealed by the server's {@link SecretBox} in `parameters.value`; every other value stays in
 * clear (it is shown and searched). An empty value is not sealed: there is nothing to hide, and
 * `params.x set?`-style checks keep seeing the same text.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

import type { Database, ParameterScope } from '../db/schema.ts';
import { chunks } from '../db/time.ts';
import { SecretBox } from '../secrets/secret-box.ts';
import { SECRET_PARAMETERS, isHiddenParameter } from './hidden-parameters.ts';

/**
 * The text to store for `value` of parameter `name`: sealed when the parameter is hidden. A value
 * given by a user is always sealed, even one that looks sealed already.
 */
export function storedParameterValue(secrets: SecretBox, name: string, hidden: number | boolean, value: string): string {
  if (value === '' || !isHiddenParameter(name, hidden)) return value;
  return secrets.seal(value);
}

/**
 * Values to store for parameters about to be upserted under one owner: a new value is sealed
 * when its name is a known secret or when the row it replaces is marked hidden.
 */
export async function sealForUpsert(
  db: Kysely<Database>,
  secrets: SecretBox,
  scope: ParameterScope,
  scopeIds: readonly number[],
  params: ReadonlyArray<{ scopeId: number; name: string; value: string }>,
): Promise<string[]> {
  const hidden = new Set<string>();
  for (const ids of chunks([...new Set(scopeIds)], 1000)) {
    const rows = await db.selectFrom('parameters').select(['scope_id', 'name']).where('scope', '=', scope).where('scope_id', 'in', ids).where('hidden_value', '=', 1).execute();
    for (const r of rows) hidden.add(`${r.scope_id}\u0000${r.name}`);
  }
  return params.map((p) => storedParameterValue(secrets, p.name, hidden.has(`${p.scopeId}\u0000${p.name}`) || SECRET_PARAMETERS.has(p.name), p.value));
}

/**
 * Seals every hidden parameter value still stored in clear (rows written before encryption
 * existed, or by an older server sharing the database). Idempotent; returns how many it sealed.
 */
export async function sealClearParameters(db: Kysely<Database>, secrets: SecretBox): Promise<number> {
  const rows = await db
    .selectFrom('parameters')
    .select(['id', 'name', 'value', 'hidden_value'])
    .where((eb) => eb.or([eb('hidden_value', '=', 1), eb('name', 'in', [...SECRET_PARAMETERS])]))
    .where('value', '<>', '')
    .where(sql`substr(value, 1, 7)`, '<>', 'enc:v1:')
    .execute();
  for (const r of rows) {
    if (SecretBox.isSealed(r.value)) continue;
    await db.updateTable('parameters').set({ value: storedParameterValue(secrets, r.name, r.hidden_value, r.value) }).where('id', '=', r.id).execute();
  }
  return rows.length;
}
