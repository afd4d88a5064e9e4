/**
 * @module
 * Authorization of a user request (ADR 0011): admins pass; others need the route's permission
 * through some filter of one of their roles (403 "Missing one of the required permissions: …").
 * A route naming a record (`/api/hosts/:id…`) also needs that record to be visible through the
 * user's `view_` filters of its type (404 otherwise, as if it did not exist) and, when the
 * route's permission is another one of the same type (edit, destroy, cancel…), to match that
 * permission's filters (403 otherwise).
 */
import { NotAllowedError, NotFoundError } from '@remex/common';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import type { CurrentUser } from '../users/user-store.ts';
import type { Grants } from './grants.ts';
import { loadGrants, reach } from './grants.ts';
import { permissionByName, viewPermissionOf } from './permissions.ts';
import type { ResourceType } from './permissions.ts';
import type { RequestAuthz } from './request-context.ts';
import { currentAuthz } from './request-context.ts';
import { RECORD_COLLECTIONS, findRecord, matchingRecords } from './resource-records.ts';
import { UNLIMITED_PERMISSIONS } from './route-permissions.ts';

/** The 403 of a missing permission (Foreman's words). */
export function missingPermission(permission: string): NotAllowedError {
  return new NotAllowedError(`Missing one of the required permissions: ${permission}`, { code: 'missing_permission' });
}

/** Whether record `id` of `type` is within what `permission` reaches for `user`. */
export async function recordReached(db: Kysely<Database>, grants: Grants, permission: string, type: ResourceType, id: number, state: Pick<RequestAuthz, 'dialect' | 'user'>): Promise<boolean> {
  const r = reach(grants, permission);
  if (r === 'all') return true;
  if (r === 'none') return false;
  return (await matchingRecords(db, type, [id], r, state.dialect, state.user)).has(id);
}

/** The record a route names: its resource type and the request's value of the route parameter. */
function namedRecord(req: FastifyRequest): { type: ResourceType; ref: string } | undefined {
  const segments = req.routeOptions.url?.split('/') ?? [];
  // ['', 'api', '<collection>', ':<param>', ...]
  const collection = segments[2];
  const param = segments[3];
  if (segments[1] !== 'api' || collection === undefined || param?.startsWith(':') !== true) return undefined;
  const type = RECORD_COLLECTIONS[collection];
  const ref = (req.params as Record<string, string | undefined>)[param.slice(1)];
  return type === undefined || ref === undefined ? undefined : { type, ref };
}

/**
 * Checks `user` may call the route of `req` needing `permission` (null: any authenticated user);
 * records the user and grants in `state` for the scoping of lists.
 */
export async function authorizeRequest(db: Kysely<Database>, req: FastifyRequest, user: CurrentUser, permission: string | null | undefined, state: RequestAuthz): Promise<void> {
  state.user = user;
  state.permission = permission ?? null;
  if (user.admin || permission === null || permission === undefined) return;
  const grants = await loadGrants(db, user.id);
  state.grants = grants;
  if (reach(grants, permission) === 'none') throw missingPermission(permission);
  const unlimited = (UNLIMITED_PERMISSIONS[state.route] ?? []).find((p) => reach(grants, p) !== 'all');
  if (unlimited !== undefined) throw new NotAllowedError(`Missing one of the required permissions: ${unlimited} (without a search limit: the request changes records it does not name in its URL)`, { code: 'missing_permission' });
  const named = namedRecord(req);
  if (named === undefined) return;
  let id: number | undefined;
  try {
    id = await findRecord(db, named.type, named.ref);
  } catch (e: unknown) {
    if (e instanceof NotFoundError) return; // the route answers its own 404
    throw e;
  }
  if (id === undefined) return;
  const view = viewPermissionOf(named.type);
  if (view !== undefined && !(await recordReached(db, grants, view, named.type, id, state))) {
    throw new NotFoundError(`Resource ${named.type} not found by id '${named.ref}'`);
  }
  if (permission !== view && permissionByName(permission)?.resource_type === named.type && !(await recordReached(db, grants, permission, named.type, id, state))) {
    throw missingPermission(permission);
  }
}

/**
 * Refuses (404, as if absent) a record the current request's user may not view — for records a
 * request names in its body (a job's `job_template_id`); no-op for admins and outside requests.
 */
export async function checkVisible(db: Kysely<Database>, type: ResourceType, id: number, ref: string): Promise<void> {
  const state = currentAuthz();
  const view = viewPermissionOf(type);
  if (state?.grants == null || view === undefined) return;
  if (!(await recordReached(db, state.grants, view, type, id, state))) throw new NotFoundError(`Resource ${type} not found by id '${ref}'`);
}

/**
 * Refuses (403) a create or update whose record, as it is after the change, is outside the
 * search of the filters that grant the request's permission (Foreman: a user whose `edit_hosts`
 * filter says `name ~ web*` cannot rename `web1` to `db1`). Called by stores inside their
 * transaction, with `db` the transaction: the refusal rolls the change back. A no-op for admins,
 * outside requests, for another resource type than the permission's, and for unlimited grants.
 */
export async function checkWithinFilters(db: Kysely<Database>, type: ResourceType, id: number): Promise<void> {
  const state = currentAuthz();
  const permission = state?.permission;
  if (state?.grants == null || permission == null || permissionByName(permission)?.resource_type !== type) return;
  const r = reach(state.grants, permission);
  if (r === 'all') return;
  if (r === 'none' || !(await matchingRecords(db, type, [id], r, state.dialect, state.user)).has(id)) {
    throw new NotAllowedError(`Missing one of the required permissions: ${permission} (the ${type} as this request would leave it is outside the search of your filters)`, {
      code: 'missing_permission',
    });
  }
}
