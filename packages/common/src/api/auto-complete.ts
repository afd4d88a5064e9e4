/**
 * @module
 * `GET /api/<resource>/auto_complete_search` schemas (Foreman's suggestion endpoint).
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

/** Query of an auto-complete request: the partial search. */
export const AutoCompleteQuerySchema = Type.Object({ search: Type.Optional(Type.String({ description: 'Partial scoped_search query' })) });

/** One suggestion, as Foreman's UI expects it. */
export const SuggestionSchema = Type.Object({
  completed: Type.String({ description: 'The query with this suggestion applied' }),
  part: Type.String({ description: 'The part suggested' }),
  label: Type.String(),
  category: Type.String({ description: 'field, operator, value, …' }),
  description: Type.Optional(Type.String()),
});

/** Answer of an auto-complete request. */
export const SuggestionListSchema = Type.Array(SuggestionSchema);

/** A suggestion. */
export type SearchSuggestion = Static<typeof SuggestionSchema>;
