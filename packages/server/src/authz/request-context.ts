/**
 * @module
 * The authorization context of the request being handled, carried by AsyncLocalStorage so that
 * shared code (`listResource`, the record checks) scopes what it returns without every route
 * passing the user along. Entered in an `onRequest` hook (`registerAuthz`); the user and their
 * grants are filled in once the request is authenticated.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import type { CurrentUser } from '../users/user-store.ts';
import type { Grants } from './grants.ts';

/** Authorization state of one request. */
export interface RequestAuthz {
  /** `METHOD /url-pattern` of the matched route. */
  readonly route: string;
  /** The authenticated user (null before authentication and on public/proxy routes). */
  user: CurrentUser | null;
  /** The user's grants (loaded at authorization; null for admins and non-user routes). */
  grants: Grants | null;
  /** The permission the route needs (set at authorization; null when any user may call it). */
  permission?: string | null;
  /** Search dialect of the store (for compiling filter searches). */
  readonly dialect: 'sqlite' | 'postgres';
}

const storage = new AsyncLocalStorage<RequestAuthz>();

/** Runs `next` (the rest of the request's hooks and its handler) inside `state`. */
export function runWithAuthz(state: RequestAuthz, next: () => void): void {
  storage.run(state, next);
}

/** The authorization state of the current request, or undefined outside a request. */
export function currentAuthz(): RequestAuthz | undefined {
  return storage.getStore();
}
