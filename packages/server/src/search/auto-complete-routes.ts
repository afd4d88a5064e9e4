/**
 * @module
 * `GET /api/<resource>/auto_complete_search?search=…` (Foreman's endpoint): suggestions for a
 * partial query — fields, operators for the field before the cursor, and values. Every
 * searchable list answers it: the controllers of `SEARCH_DEFINITIONS` and the nested lists of
 * `NESTED_SEARCH_DEFINITIONS` (`/api/hosts/:id/facts/auto_complete_search`…, values from that
 * owner only; 404 for an unknown owner). Values come from the data (`auto-complete-lookups.ts`).
 * Answer: `[{ completed, part, label, category }]`, as Foreman's UI expects. Schema-first:
 * `@remex/common` `api/auto-complete.ts`.
 */
import { Type } from '@sinclair/typebox';
import type { SearchSuggestion } from '@remex/common';
import { AutoCompleteQuerySchema, SuggestionListSchema } from '@remex/common';
import type { CompletionRequest, Suggestion } from '@remex/search-query';
import { autocomplete } from '@remex/search-query';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import { scopeSuggestions } from '../authz/suggestion-scope.ts';
import type { ServerContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { typed } from '../http/schema-first.ts';
import { asInputError } from './resource-search.ts';
import type { ResourceLookup } from './auto-complete-lookups.ts';
import { LOOKUPS, NESTED_LOOKUPS } from './auto-complete-lookups.ts';
import type { AnySearchDefinition } from './search-registry.ts';
import { NESTED_SEARCH_DEFINITIONS, SEARCH_DEFINITIONS } from './search-registry.ts';

/** Most suggestions returned. */
const LIMIT = 20;

/** Foreman's suggestion JSON. */
function serializeSuggestion(s: Suggestion): SearchSuggestion {
  return { completed: s.completed, part: s.part, label: s.completed.trimEnd(), category: s.kind, ...(s.description === undefined ? {} : { description: s.description }) };
}

/** The path parameters of `route` (`/api/hosts/:id/facts` → `{ id }`) as a schema. */
function pathParams(route: string) {
  const names = [...route.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1] ?? '');
  return Type.Object(Object.fromEntries(names.map((n) => [n, Type.String({ minLength: 1, description: 'Id or name of the owner' })])));
}

async function suggest(db: Kysely<Database>, search: string, definition: AnySearchDefinition, lookup: ResourceLookup | undefined, owner: number, controller = ''): Promise<SearchSuggestion[]> {
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
  const api = typed(app);
  const db = ctx.store.db;
  const access = { auth: 'user' } as const;
  const response = { 200: SuggestionListSchema };
  for (const [controller, definition] of Object.entries(SEARCH_DEFINITIONS)) {
    if (controller === 'template_invocations') continue; // no list endpoint (permission filters only)
    const lookup = Object.hasOwn(LOOKUPS, controller) ? LOOKUPS[controller] : undefined;
    const schema = { tags: [controller], summary: `Suggest completions of a ${controller} search`, querystring: AutoCompleteQuerySchema, response };
    api.get(`/api/${controller}/auto_complete_search`, { config: { access }, schema }, (req) => suggest(db, req.query.search ?? '', definition, lookup, 0, controller));
  }
  for (const [route, definition] of Object.entries(NESTED_SEARCH_DEFINITIONS)) {
    const lookup = NESTED_LOOKUPS[route];
    const tag = route.split('/')[2] ?? 'search';
    const schema = { tags: [tag], summary: `Suggest completions of a search in ${route}`, params: pathParams(route), querystring: AutoCompleteQuerySchema, response };
    api.get(`${route}/auto_complete_search`, { config: { access }, schema }, async (req) => {
      const owner = lookup === undefined ? 0 : await lookup.owner(db, req.params);
      return suggest(db, req.query.search ?? '', definition, lookup, owner);
    });
  }
}
