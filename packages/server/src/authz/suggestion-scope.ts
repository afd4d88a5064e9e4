/**
 * @module
 * Auto-complete values scoped like lists (ADR 0011): for a user whose `view_` filters limit a
 * resource, a value suggestion is kept only when its completed query matches some record the
 * user may view, so suggestions never reveal names of invisible records. Fields, operators and
 * keys are not data of one record and stay.
 */
import type { Suggestion } from '@remex/search-query';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { reach } from './grants.ts';
import type { ResourceType } from './permissions.ts';
import { RESOURCE_SEARCH_CONTROLLER, viewPermissionOf } from './permissions.ts';
import { currentAuthz } from './request-context.ts';
import { someRecordMatches } from './resource-records.ts';

/** The suggestions for `controller`'s search that the current request's user may see. */
export async function scopeSuggestions(db: Kysely<Database>, controller: string, suggestions: readonly Suggestion[]): Promise<readonly Suggestion[]> {
  const state = currentAuthz();
  if (state?.grants == null) return suggestions;
  const type = (Object.entries(RESOURCE_SEARCH_CONTROLLER) as [ResourceType, string][]).find(([, c]) => c === controller)?.[0];
  const view = type === undefined ? undefined : viewPermissionOf(type);
  if (type === undefined || view === undefined) return suggestions;
  const r = reach(state.grants, view);
  if (r === 'all') return suggestions;
  const kept: Suggestion[] = [];
  for (const s of suggestions) {
    if (s.kind !== 'value') kept.push(s);
    else if (r !== 'none' && (await someRecordMatches(db, type, s.completed, r, state.dialect, state.user).catch(() => false))) kept.push(s);
  }
  return kept;
}
