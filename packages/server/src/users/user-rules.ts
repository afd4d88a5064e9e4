/**
 * @module
 * Who may do what with users until roles exist (the RBAC work replaces {@link mayManageUsers}
 * with permission checks): admins manage every user; anyone else sees only themselves and may
 * change only their own password (giving `current_password`), names, mail, locale and time zone.
 */
import type { UserUpdate } from '@remex/common';
import { InputError, NotAllowedError, NotFoundError, looseBoolean } from '@remex/common';

import type { UserRow } from '../db/schema.ts';
import { isSet } from '../db/time.ts';
import { throttledError } from '../http/auth.ts';
import type { CredentialResult } from './credential-checker.ts';
import type { CurrentUser } from './user-store.ts';

/** Whether `caller` may see and change every user (today: admins). */
export function mayManageUsers(caller: CurrentUser): boolean {
  return caller.admin;
}

/** Refuses (403) a caller who may not manage users; `permission` names what is missing. */
export function requireUserManager(caller: CurrentUser, permission: string): void {
  if (!mayManageUsers(caller)) throw new NotAllowedError(`Missing one of the required permissions: ${permission}`, { code: 'permission_missing' });
}

/** Refuses (404, as if it did not exist) a user the caller may not see. */
export function requireVisible(caller: CurrentUser, target: UserRow, ref: string): void {
  if (!mayManageUsers(caller) && target.id !== caller.id) throw new NotFoundError(`User '${ref}' not found`);
}

/** Attributes only a user manager may change, with whether `body` changes them on `target`. */
function managerOnlyChanges(target: UserRow, body: UserUpdate): string[] {
  const changed: string[] = [];
  if (body.login !== undefined && body.login !== target.login) changed.push('login');
  if (body.admin !== undefined && looseBoolean(body.admin) !== isSet(target.admin)) changed.push('admin');
  if (body.auth_source !== undefined && body.auth_source !== target.auth_source) changed.push('auth_source');
  if (body.default_organization_id !== undefined && body.default_organization_id !== target.default_organization_id) changed.push('default_organization_id');
  if (body.default_location_id !== undefined && body.default_location_id !== target.default_location_id) changed.push('default_location_id');
  return changed;
}

/**
 * Checks an update of `target` by `caller` (already known to be visible): 403 for attributes
 * the caller may not change, 422 when a user changes their own password without the right
 * `current_password`. `verify` checks a password of `target` through the login throttle (so
 * guessing `current_password` is braked like guessing a login: 429 once locked out).
 */
export async function checkUserUpdate(caller: CurrentUser, target: UserRow, body: UserUpdate, verify: (password: string) => Promise<CredentialResult>): Promise<void> {
  if (!mayManageUsers(caller)) {
    const refused = managerOnlyChanges(target, body);
    if (refused.length > 0) throw new NotAllowedError(`Missing one of the required permissions: edit_users (to change ${refused.join(', ')})`, { code: 'permission_missing' });
  }
  if (body.password !== undefined && target.id === caller.id) {
    const given = body.current_password;
    if (given === undefined || given === '') throw new InputError("current_password can't be blank: give your current password to change it", { code: 'current_password_required' });
    const result = await verify(given);
    if (result.kind === 'throttled') throw throttledError(result.retryAfterMs);
    if (result.kind === 'denied' || result.user.id !== target.id) throw new InputError('current_password is wrong', { code: 'current_password_wrong' });
  }
}
