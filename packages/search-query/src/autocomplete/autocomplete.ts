/**
 * @module
 * Suggestions for a partial query, for `GET /api/<resource>/auto_complete_search` and the CLI:
 * field names (and `facts.<key>` keys), operators valid for the field before the cursor, values
 * (translated words, `true`/`false`, `current_user`, relative dates, or values the server looks
 * up), and logical operators after a complete comparison. It works on tokens, so it never fails
 * on half-typed input (only over-long input is refused, with the parser's limits).
 */
import { SearchSyntaxError } from '../errors/search-errors.ts';
import { tokenize } from '../lexer/lexer.ts';
import { DEFAULT_MAX_LENGTH } from '../parser/parser.ts';
import { DEFAULT_QUERY_LIMITS } from '../parser/query-limits.ts';
import { isComparisonOperator } from '../lexer/token.ts';
import type { Token } from '../lexer/token.ts';
import type { SearchDefinition, SearchField } from '../definition/search-definition.ts';
import { isKeyValueField, lookupField } from '../definition/search-definition.ts';
import { operatorsOf, translationOf } from '../compile/comparison-builder.ts';

/** What a suggestion completes. */
export type SuggestionKind = 'field' | 'key' | 'operator' | 'value' | 'logical';

/** One completion of the query. */
export interface Suggestion {
  readonly kind: SuggestionKind;
  /** The suggested token (`name`, `facts.os_family`, `!=`, `"Ansible Commands"`, `and`). */
  readonly part: string;
  /** The whole query after accepting the suggestion (ends with a space, ready for the next token). */
  readonly completed: string;
  /** The field's description, for field suggestions that have one. */
  readonly description?: string;
}

/** What the server is asked for when values or keys come from the data. */
export interface CompletionRequest {
  /** The definition's field name (`hostgroup`, `facts`). */
  readonly field: string;
  /** For value completion of a key-value field: the key (`os_family`). */
  readonly key?: string;
  /** What the user typed so far (may be empty). */
  readonly prefix: string;
  /** How many results are useful. */
  readonly limit: number;
}

/** Options of {@link autocomplete}. */
export interface AutocompleteOptions {
  /** Values from the data (hostgroup names, job categories, fact values…). */
  readonly values?: (request: CompletionRequest) => Promise<readonly string[]> | readonly string[];
  /** Keys of key-value fields from the data (fact names, parameter names). */
  readonly keys?: (request: CompletionRequest) => Promise<readonly string[]> | readonly string[];
  /** Maximum number of suggestions. (Default: 20.) */
  readonly limit?: number;
}

const PREFIX_WORDS = ['not', 'has', 'set?', 'null?'];
const LOGICAL_WORDS = ['and', 'or', 'not'];
const DATE_WORDS = ['today', 'yesterday', '"1 hour ago"', '"24 hours ago"', '"7 days ago"', '"30 days ago"'];

function quoteValue(text: string): string {
  return /^[^\s"=~<>&|(),!^-][^\s"=~<>&|(),]*$/.test(text) && !/^(and|or|not|set\?|has|null\?|before|after|at)$/i.test(text)
    ? text
    : `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function startsWithCi(text: string, prefix: string): boolean {
  return text.toLowerCase().startsWith(prefix.toLowerCase());
}

/**
 * Suggests how to continue a partial query.
 *
 * @example
 * ```ts
 * await autocomplete('hostgroup = ', hostSearch, { values: ({ field, prefix }) => lookUp(field, prefix) });
 * // [{ kind: 'value', part: 'web', completed: 'hostgroup = web ' }, …]
 * ```
 */
export async function autocomplete<DB, TB extends keyof DB>(
  query: string,
  definition: SearchDefinition<DB, TB>,
  options: AutocompleteOptions = {},
): Promise<Suggestion[]> {
  const limit = options.limit ?? 20;
  if (query.length > DEFAULT_MAX_LENGTH) {
    throw new SearchSyntaxError(`Query is too long (${query.length} characters, at most ${DEFAULT_MAX_LENGTH} allowed)`, { begin: DEFAULT_MAX_LENGTH, end: query.length }, { query });
  }
  const tokens = tokenize(query, { lenient: true }).filter((t) => t.type === 'value' || (t.symbol !== 'lparen' && t.symbol !== 'rparen'));
  const last = tokens.at(-1);
  const typing = last !== undefined && last.end === query.length && !(last.type === 'symbol' && last.symbol === 'comma')
    && !(last.type === 'symbol' && isComparisonOperator(last.symbol));
  const partial = typing && last.type === 'value' ? last.text : typing && last.type === 'symbol' ? last.raw : '';
  if (partial.length > DEFAULT_QUERY_LIMITS.maxPatternLength && last !== undefined) {
    throw new SearchSyntaxError(`Value is too long (${partial.length} characters, at most ${DEFAULT_QUERY_LIMITS.maxPatternLength} allowed)`, { begin: last.begin, end: last.end }, { query });
  }
  const before = typing ? tokens.slice(0, -1) : tokens;
  const base = typing ? query.slice(0, last.begin) : query.length === 0 || /[\s(,]$/.test(query) ? query : `${query} `;
  const suggest = (kind: SuggestionKind, part: string, description?: string): Suggestion =>
    (description === undefined ? { kind, part, completed: `${base}${part} ` } : { kind, part, completed: `${base}${part} `, description });

  const prev = before.at(-1);
  const prev2 = before.at(-2);
  let out: Suggestion[] = [];

  const expectField = async (withPrefixWords: boolean): Promise<void> => {
    const dot = partial.indexOf('.');
    if (dot > 0) {
      const match = lookupField(definition, `${partial.slice(0, dot)}.x`);
      if (match !== undefined && isKeyValueField(match.field) && options.keys !== undefined) {
        const keys = await options.keys({ field: match.name, prefix: partial.slice(dot + 1), limit });
        out.push(...keys.map((k) => suggest('key', `${partial.slice(0, dot)}.${k}`)));
      }
    }
    for (const [name, field] of Object.entries<SearchField<DB, TB>>(definition.fields)) {
      for (const n of [name, ...(field.aliases ?? [])]) {
        const text = isKeyValueField(field) ? `${n}.` : n;
        if (startsWithCi(text, partial) && !(isKeyValueField(field) && dot > 0)) {
          out.push(isKeyValueField(field) ? { kind: 'field', part: text, completed: `${base}${text}`, ...(field.description === undefined ? {} : { description: field.description }) }
            : suggest('field', text, field.description));
        }
      }
    }
    if (withPrefixWords) out.push(...PREFIX_WORDS.filter((w) => partial !== '' && startsWithCi(w, partial) || partial === '').map((w) => suggest('logical', w)));
  };

  const isOp = (t: Token | undefined): boolean => t !== undefined && t.type === 'symbol' && isComparisonOperator(t.symbol);

  if (prev === undefined || (prev.type === 'symbol' && (prev.symbol === 'and' || prev.symbol === 'or' || prev.symbol === 'not' || prev.symbol === 'comma'))) {
    await expectField(true);
  } else if (prev.type === 'symbol' && (prev.symbol === 'set' || prev.symbol === 'null')) {
    await expectField(false);
  } else if (isOp(prev) && prev2 !== undefined && prev2.type === 'value') {
    const match = lookupField(definition, prev2.text);
    if (match !== undefined) {
      const field = match.field;
      const translation = translationOf(field);
      let words: string[];
      if (translation !== undefined) words = Object.keys(translation);
      else if (field.type === 'datetime') words = DATE_WORDS;
      else words = options.values === undefined ? [] : [...await options.values({ field: match.name, ...(match.key === undefined ? {} : { key: match.key }), prefix: partial, limit })];
      if (field.currentUser !== undefined) words = ['current_user', ...words];
      out = words.map((w) => (w.startsWith('"') ? w : quoteValue(w))).filter((w) => startsWithCi(w.replace(/^"/, ''), partial)).map((w) => suggest('value', w));
    }
  } else if (prev.type === 'value' && !isOp(prev2) && !(prev2 !== undefined && prev2.type === 'symbol' && (prev2.symbol === 'set' || prev2.symbol === 'null'))) {
    const match = lookupField(definition, prev.text);
    if (match !== undefined) {
      out = operatorsOf(match.field).filter((op) => op.startsWith(partial)).map((op) => suggest('operator', op));
    } else {
      out = LOGICAL_WORDS.filter((w) => startsWithCi(w, partial)).map((w) => suggest('logical', w));
    }
  } else {
    out = LOGICAL_WORDS.filter((w) => startsWithCi(w, partial)).map((w) => suggest('logical', w));
  }
  const seen = new Set<string>();
  return out.filter((s) => (seen.has(s.completed) ? false : (seen.add(s.completed), true))).slice(0, limit);
}
