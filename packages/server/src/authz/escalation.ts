/**
 * @module
 * No privilege escalation through roles: a non-admin may put into a filter, or give a user a
 * role holding, only permissions they hold themselves without limit (an unlimited filter).
 * Otherwise a user allowed to edit roles could grant themselves anything.
 */
import { NotAllowedError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import type { CurrentUser } from '../users/user-store.ts';
import type { Grants } from './grants.ts';
import { loadGrants, reach } from './grants.ts';
import { currentAuthz } from './request-context.ts';

/** The first of `permissions` that `grants` does not hold without limit, or undefined. */
function firstUngrantable(grants: Grants, permissions: readonly string[]): string | undefined {
  return permissions.find((p) => reach(grants, p) !== 'all');
}

/** Refuses (403) when the current request's non-admin user may not grant `permissions`. */
export function checkGrantable(permissions: readonly string[]): void {
  const state = currentAuthz();
  if (state?.user == null || state.user.admin) return;
  const missing = firstUngrantable(state.grants ?? new Map(), permissions);
  if (missing !== undefined) throw new NotAllowedError(`You may grant only permissions you hold without limit; you do not hold ${missing}`, { code: 'permission_escalation' });
}

/**
 * Refuses (403) when non-admin `actor` may not assign the roles `roleIds` (each of their
 * permissions must be held without limit). For the users API's `role_ids`.
 */
export async function checkAssignableRoles(db: Kysely<Database>, actor: CurrentUser, roleIds: readonly number[]): Promise<void> {
  if (actor.admin || roleIds.length === 0) return;
  const rows = await db
    .selectFrom('filters as f')
    .innerJoin('filter_permissions as fp', 'fp.filter_id', 'f.id')
    .select('fp.permission')
    .distinct()
    .where('f.role_id', 'in', [...roleIds])
    .execute();
  const missing = firstUngrantable(await loadGrants(db, actor.id), rows.map((r) => r.permission));
  if (missing !== undefined) throw new NotAllowedError(`You may assign only roles whose permissions you hold without limit; you do not hold ${missing}`, { code: 'permission_escalation' });
}
