/**
 * @module
 * Who may do what with users (Foreman's rules on top of the permission checks of ADR 0011):
 * everyone sees and edits themselves (names, mail, locale, time zone, their own password with
 * `current_password`); other users need `view_users` / `create_users` / `edit_users` /
 * `destroy_users`; login, auth source, defaults and roles of anyone need `edit_users`; only
 * admins make or unmake admins. Users have no search language in filters, so these permissions
 * are held without limit or not at all.
 */
import type { UserUpdate } from '@remex/common';
import { InputError, NotAllowedError, NotFoundError, looseBoolean } from '@remex/common';
import type { Kysely } from 'kysely';

import { checkAssignableRoles } from '../authz/escalation.ts';
import { loadGrants, reach } from '../authz/grants.ts';
import type { Database, UserRow } from '../db/schema.ts';
import { isSet } from '../db/time.ts';
import { throttledError } from '../http/auth.ts';
import type { CredentialResult } from './credential-checker.ts';
import type { CurrentUser } from './user-store.ts';

/** Whether `caller` holds `permission` (admins hold all). */
export async function holdsUserPermission(db: Kysely<Database>, caller: CurrentUser, permission: string): Promise<boolean> {
  if (caller.admin) return true;
  return reach(await loadGrants(db, caller.id), permission) !== 'none';
}

/** Refuses (403) a caller without `permission`. */
export async function requireUserPermission(db: Kysely<Database>, caller: CurrentUser, permission: string): Promise<void> {
  if (!(await holdsUserPermission(db, caller, permission))) throw new NotAllowedError(`Missing one of the required permissions: ${permission}`, { code: 'missing_permission' });
}

/** Refuses (404, as if it did not exist) a user the caller may not see. */
export async function requireVisible(db: Kysely<Database>, caller: CurrentUser, target: UserRow, ref: string): Promise<void> {
  if (target.id !== caller.id && !(await holdsUserPermission(db, caller, 'view_users'))) throw new NotFoundError(`User '${ref}' not found`);
}

/** Refuses (403) a change of someone else's account (tokens, attributes) without `edit_users`. */
export async function requireEditable(db: Kysely<Database>, caller: CurrentUser, target: UserRow): Promise<void> {
  if (target.id !== caller.id) await requireUserPermission(db, caller, 'edit_users');
}

/** Attributes only a user manager may change, with whether `body` changes them on `target`. */
function managerOnlyChanges(target: UserRow, body: UserUpdate): string[] {
  const changed: string[] = [];
  if (body.login !== undefined && body.login !== target.login) changed.push('login');
  if (body.auth_source !== undefined && body.auth_source !== target.auth_source) changed.push('auth_source');
  if (body.default_organization_id !== undefined && body.default_organization_id !== target.default_organization_id) changed.push('default_organization_id');
  if (body.default_location_id !== undefined && body.default_location_id !== target.default_location_id) changed.push('default_location_id');
  if (body.role_ids !== undefined) changed.push('role_ids');
  return changed;
}

/**
 * Checks a create or update by `caller` of a user with `admin` and `role_ids` as in `body`:
 * only admins grant or revoke admin; roles must be assignable by the caller (escalation.ts).
 */
export async function checkGrants(db: Kysely<Database>, caller: CurrentUser, body: { admin?: unknown; role_ids?: readonly number[] }, current?: UserRow): Promise<void> {
  if (body.admin !== undefined && looseBoolean(body.admin as Parameters<typeof looseBoolean>[0]) !== (current ? isSet(current.admin) : false) && !caller.admin) {
    throw new NotAllowedError('Only an admin may grant or revoke admin', { code: 'missing_permission' });
  }
  if (body.role_ids !== undefined) await checkAssignableRoles(db, caller, body.role_ids);
}

/**
 * Checks an update of `target` by `caller` (already known to be visible): 403 for attributes
 * the caller may not change, 422 when a user changes their own password without the right
 * `current_password`. `verify` checks a password of `target` through the login throttle (so
 * guessing `current_password` is braked like guessing a login: 429 once locked out).
 */
export async function checkUserUpdate(db: Kysely<Database>, caller: CurrentUser, target: UserRow, body: UserUpdate, verify: (password: string) => Promise<CredentialResult>): Promise<void> {
  await requireEditable(db, caller, target);
  if (!(await holdsUserPermission(db, caller, 'edit_users'))) {
    const refused = managerOnlyChanges(target, body);
    if (refused.length > 0) throw new NotAllowedError(`Missing one of the required permissions: edit_users (to change ${refused.join(', ')})`, { code: 'missing_permission' });
  }
  await checkGrants(db, caller, body, target);
  if (body.password !== undefined && target.id === caller.id) {
    const given = body.current_password;
    if (given === undefined || given === '') throw new InputError("current_password can't be blank: give your current password to change it", { code: 'current_password_required' });
    const result = await verify(given);
    if (result.kind === 'throttled') throw throttledError(result.retryAfterMs);
    if (result.kind === 'denied' || result.user.id !== target.id) throw new InputError('current_password is wrong', { code: 'current_password_wrong' });
  }
}
