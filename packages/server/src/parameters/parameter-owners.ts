/**
 * @module
 * How the nested parameter routes of the levels between global and host group
 * (`parameter-levels.ts`) find their owner.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { findDomain } from '../domains/domain-store.ts';
import { findOperatingsystem } from '../operatingsystems/operatingsystem-store.ts';
import { findTaxonomy } from '../taxonomies/taxonomy-store.ts';
import type { OwnedParameterLevel } from './parameter-levels.ts';

export { OWNED_PARAMETER_LEVELS, type OwnedParameterLevel } from './parameter-levels.ts';

/**
 * The id of the owner `ref` (id, or name/title) of a level's parameters.
 * @throws NotFoundError when there is none
 */
export async function parameterOwnerId(db: Kysely<Database>, scope: OwnedParameterLevel['scope'], ref: string): Promise<number> {
  switch (scope) {
    case 'organization':
      return (await findTaxonomy(db, 'Organization', ref)).id;
    case 'location':
      return (await findTaxonomy(db, 'Location', ref)).id;
    case 'domain':
      return (await findDomain(db, ref)).id;
    case 'os':
      return (await findOperatingsystem(db, ref)).id;
  }
}
