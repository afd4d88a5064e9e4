/**
 * @module
 * `GET /api/<resource>/auto_complete_search?search=…` (Foreman's endpoint): suggestions for a
 * partial query — fields, operators for the field before the cursor, and values. Every
 * searchable list answers it: the controllers of `SEARCH_DEFINITIONS` and the nested lists of
 * `NESTED_SEARCH_DEFINITIONS` (`/api/hosts/:id/facts/auto_complete_search`…, values from that
 * owner only; 404 for an unknown owner). Values come from the data (`auto-complete-lookups.ts`).
 * Answer: `[{ completed, part, label, category }]`, as Foreman's UI expects.
 */
import type { CompletionRequest, Suggestion } from '@remex/search-query';
import { autocomplete } from '@remex/search-query';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import { scopeSuggestions } from '../authz/suggestion-scope.ts';
import type { ServerContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { asInputError } from './resource-search.ts';
import type { ResourceLookup } from './auto-complete-lookups.ts';
import { LOOKUPS, NESTED_LOOKUPS } from './auto-complete-lookups.ts';
import type { AnySearchDefinition } from './search-registry.ts';
import { NESTED_SEARCH_DEFINITIONS, SEARCH_DEFINITIONS } from './search-registry.ts';

/** Most suggestions returned. */
const LIMIT = 20;

/** Foreman's suggestion JSON. */
function serializeSuggestion(s: Suggestion): Record<string, unknown> {
  return { completed: s.completed, part: s.part, label: s.completed.trimEnd(), category: s.kind, ...(s.description === undefined ? {} : { description: s.description }) };
}

async function suggest(db: Kysely<Database>, query: unknown, definition: AnySearchDefinition, lookup: ResourceLookup | undefined, owner: number, controller = '') {
  const q = (query ?? {}) as Record<string, unknown>;
  const search = typeof q.search === 'string' ? q.search : '';
  const keys = lookup?.keys;
  const suggestions = await autocomplete(search, definition, {
    limit: LIMIT,
    values: (r: CompletionRequest) => (lookup === undefined ? [] : lookup.values(db, r, owner)),
    ...(keys === undefined ? {} : { keys: (r: CompletionRequest) => keys(db, r, owner) }),
  }).catch((e: unknown) => asInputError(e, search));
  return (await scopeSuggestions(db, controller, suggestions)).map(serializeSuggestion);
}

/** Registers `GET <list>/auto_complete_search` for every searchable list. */
export function registerAutoCompleteRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;
  for (const [controller, definition] of Object.entries(SEARCH_DEFINITIONS)) {
    if (controller === 'template_invocations') continue; // no list endpoint (permission filters only)
    const lookup = Object.hasOwn(LOOKUPS, controller) ? LOOKUPS[controller] : undefined;
    app.get(`/api/${controller}/auto_complete_search`, (req) => suggest(db, req.query, definition, lookup, 0, controller));
  }
  for (const [route, definition] of Object.entries(NESTED_SEARCH_DEFINITIONS)) {
    const lookup = NESTED_LOOKUPS[route];
    app.get(`${route}/auto_complete_search`, async (req) => {
      const owner = lookup === undefined ? 0 : await lookup.owner(db, (req.params ?? {}) as Record<string, string>);
      return suggest(db, req.query, definition, lookup, owner);
    });
  }
}
