/**
 * @module
 * The `search` of `GET /api/settings` (Foreman's `name = "x"`, `name ~ ssh`, `category = …`,
 * free text), evaluated on the few settings in memory: settings are defaults plus stored values,
 * so there is no table to compile the query against.
 */
import { InputError } from '@remex/common';
import type { QueryNode } from '@remex/search-query';
import { parseQuery } from '@remex/search-query';

import { asInputError } from '../search/resource-search.ts';

/** The text fields a setting is searched by. */
export type SearchableSetting = Readonly<Record<'name' | 'description' | 'category' | 'full_name', string>>;

const FIELDS = ['name', 'description', 'category', 'full_name'] as const;

function fieldOf(setting: SearchableSetting, name: string): string {
  const key = FIELDS.find((f) => f === name.toLowerCase());
  if (key === undefined) throw new InputError(`Field '${name}' not recognized for searching! Fields: ${FIELDS.join(', ')}`, { code: 'invalid_search' });
  return setting[key];
}

/** scoped_search's `~`: case-insensitive, `%`/`*` wildcards, else a substring. */
function like(text: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  if (!/[%*]/.test(p)) return t.includes(p);
  const parts = p.split(/[%*]/);
  let at = 0;
  for (const [i, part] of parts.entries()) {
    const found = t.indexOf(part, at);
    if (found < 0 || (i === 0 && found !== 0)) return false;
    at = found + part.length;
  }
  return parts.at(-1) === '' || t.endsWith(parts.at(-1) ?? '');
}

function matches(node: QueryNode, s: SearchableSetting): boolean {
  switch (node.kind) {
    case 'empty':
      return true;
    case 'and':
      return node.children.every((c) => matches(c, s));
    case 'or':
      return node.children.some((c) => matches(c, s));
    case 'not':
      return !matches(node.operand, s);
    case 'presence':
      fieldOf(s, node.field.text);
      return node.operator === 'set';
    case 'term':
      return like(s.name, node.value.text) || like(s.description, node.value.text);
    case 'comparison': {
      const values = node.values.map((v) => v.text);
      const texts = node.field === null ? [s.name, s.description] : [fieldOf(s, node.field.text)];
      const test = (t: string): boolean => {
        switch (node.operator) {
          case '=':
            return values.includes(t);
          case '!=':
            return !values.includes(t);
          case '~':
            return values.some((v) => like(t, v));
          case '!~':
            return !values.some((v) => like(t, v));
          default:
            throw new InputError(`Operator '${node.operator}' is not supported for settings`, { code: 'invalid_search' });
        }
      };
      return texts.some(test);
    }
  }
}

/** The settings `query` selects (422 with the position for a bad query). */
export function searchSettings<T extends SearchableSetting>(settings: readonly T[], query: string): T[] {
  let tree: QueryNode;
  try {
    tree = parseQuery(query);
  } catch (e: unknown) {
    asInputError(e, query);
  }
  return settings.filter((s) => matches(tree, s));
}
