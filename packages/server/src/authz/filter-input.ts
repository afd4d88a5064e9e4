/**
 * @module
 * Validation of a filter's permissions, resource type and search (422 naming what is wrong):
 * permissions must exist and share one resource type; the search must parse and compile in the
 * search language of that resource type.
 */
import { InputError } from '@remex/common';
import { compileSearch } from '@remex/search-query';
import { expressionBuilder } from 'kysely';

import { asInputError, searchContext } from '../search/resource-search.ts';
import { SEARCH_DEFINITIONS } from '../search/search-registry.ts';
import type { ResourceType } from './permissions.ts';
import { RESOURCE_SEARCH_CONTROLLER, RESOURCE_TYPES, isResourceType, permissionById, permissionByName } from './permissions.ts';

/** A checked filter body. */
export interface FilterInput {
  resource_type: ResourceType;
  permissions: string[];
  search: string | null;
}

/** Permission names of `refs` (ids or names); 422 naming the first unknown one. */
export function resolvePermissions(refs: readonly (string | number)[]): string[] {
  return [...new Set(refs.map((ref) => {
    const p = typeof ref === 'number' || /^[0-9]+$/.test(ref) ? permissionById(Number(ref)) : permissionByName(ref);
    if (p === undefined) throw new InputError(`Unknown permission '${ref}'`, { code: 'unknown_permission' });
    return p.name;
  }))];
}

/** Checks `search` is a valid search for `type` (422 with the search error otherwise); '' → null. */
export function checkFilterSearch(type: ResourceType, search: string | null | undefined, dialect: 'sqlite' | 'postgres'): string | null {
  const text = search?.trim() ?? '';
  if (text === '') return null;
  const controller = RESOURCE_SEARCH_CONTROLLER[type];
  const definition = controller === undefined ? undefined : SEARCH_DEFINITIONS[controller];
  if (definition === undefined) throw new InputError(`Resource type ${type} does not support searches in filters; leave search empty (unlimited)`, { code: 'invalid_search' });
  try {
    // `current_user` compiles against a placeholder: the real user is known when the filter is applied.
    compileSearch(text, definition, expressionBuilder(), searchContext(dialect, { id: 0, login: '' }));
  } catch (e: unknown) {
    asInputError(e, text);
  }
  return text;
}

/**
 * Checks a filter's permissions (names or ids), resource type and search.
 * @param refs - the permissions; at least one
 * @param resourceType - the given resource type, if any (must match the permissions')
 */
export function checkFilterInput(refs: readonly (string | number)[], resourceType: string | undefined, search: string | null | undefined, dialect: 'sqlite' | 'postgres'): FilterInput {
  if (resourceType !== undefined && !isResourceType(resourceType)) {
    throw new InputError(`Unknown resource type '${resourceType}'; use one of ${RESOURCE_TYPES.join(', ')}`, { code: 'unknown_resource_type' });
  }
  const permissions = resolvePermissions(refs);
  if (permissions.length === 0) throw new InputError('A filter needs at least one permission (permission_ids or permissions)');
  const types = [...new Set(permissions.map((n) => permissionByName(n)?.resource_type))];
  if (types.length > 1) throw new InputError(`Permissions of a filter must be of one resource type; got ${permissions.map((n) => `${n} (${permissionByName(n)?.resource_type ?? '?'})`).join(', ')}`, { code: 'mixed_resource_types' });
  const type = types[0] as ResourceType;
  if (resourceType !== undefined && resourceType !== type) throw new InputError(`Permissions ${permissions.join(', ')} are of resource type ${type}, not ${resourceType}`, { code: 'mixed_resource_types' });
  return { resource_type: type, permissions, search: checkFilterSearch(type, search, dialect) };
}
