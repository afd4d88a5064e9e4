/**
 * @module
 * Host search (scoped_search language). TEMPORARY minimal form until `@remex/search-query`
 * lands: `name = x`, `name ^ (a, b)`, `name ~ x`, `hostgroup = g`, joined by `and`.
 */
import { InputError } from '@remex/common';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';

type HostEb = ExpressionBuilder<Database & { h: Database['hosts']; hg: Database['hostgroups'] }, 'h' | 'hg'>;

/** Compiles a host search query to a filter over `hosts as h` joined with `hostgroups as hg`. */
export function compileHostSearch(query: string): (eb: HostEb) => Expression<SqlBool> {
  const parts = query.split(/\s+and\s+/i).map((p) => p.trim()).filter((p) => p !== '');
  const filters = parts.map((part) => {
    const m = /^(name|hostgroup|hostgroup_fullname)\s*(=|!=|~|\^)\s*(.+)$/.exec(part);
    if (!m) throw new InputError(`Unsupported search '${part}'`);
    const [, f = '', op = '', raw = ''] = m;
    const unq = (s: string) => s.trim().replace(/^"(.*)"$/, '$1');
    return (eb: HostEb): Expression<SqlBool> => {
      const col = f === 'name' ? 'h.name' : f === 'hostgroup' ? 'hg.name' : 'hg.title';
      if (op === '^') {
        const list = raw.trim().replace(/^\(|\)$/g, '').split(',').map(unq);
        return eb(col, 'in', list);
      }
      if (op === '~') return eb(col, 'like', `%${unq(raw)}%`);
      return eb(col, op === '=' ? '=' : '!=', unq(raw));
    };
  });
  return (eb) => eb.and(filters.map((f) => f(eb)));
}
