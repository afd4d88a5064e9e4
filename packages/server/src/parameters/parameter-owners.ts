/**
 * @module
 * How the nested parameter routes of the levels between global and host group
 * (`parameter-levels.ts`) find their owner.
 */
import { NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { findOperatingsystem } from '../operatingsystems/operatingsystem-store.ts';
import { OWNED_PARAMETER_LEVELS, type OwnedParameterLevel } from './parameter-levels.ts';

export { OWNED_PARAMETER_LEVELS, type OwnedParameterLevel } from './parameter-levels.ts';

/**
 * The id of the owner `ref` (id, or name/title) of a level's parameters.
 * @throws NotFoundError when there is none
 */
export async function parameterOwnerId(db: Kysely<Database>, scope: OwnedParameterLevel['scope'], ref: string): Promise<number> {
  const byId = /^\d+$/.test(ref) ? Number(ref) : null;
  let row: { id: number } | undefined;
  if (scope === 'organization' || scope === 'location') {
    const type = scope === 'organization' ? 'Organization' : 'Location';
    row = await db
      .selectFrom('taxonomies')
      .select('id')
      .where('type', '=', type)
      .where((eb) => (byId !== null ? eb('id', '=', byId) : eb.or([eb('title', '=', ref), eb('name', '=', ref)])))
      .executeTakeFirst();
  } else if (scope === 'domain') {
    row = await db.selectFrom('domains').select('id').where((eb) => (byId !== null ? eb('id', '=', byId) : eb('name', '=', ref))).executeTakeFirst();
  } else {
    row = await findOperatingsystem(db, ref);
  }
  if (!row) throw new NotFoundError(`Resource ${OWNED_PARAMETER_LEVELS.find((l) => l.scope === scope)?.label ?? scope} not found by id '${ref}'`);
  return row.id;
}
