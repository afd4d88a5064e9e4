/**
 * @module
 * `GET /api/<resource>/auto_complete_search?search=…` (Foreman's endpoint): suggestions for a
 * partial query — fields, operators for the field before the cursor, and values. Values come
 * from the data where Foreman completes them (host groups, operating systems, subnets, domains,
 * fact names and values, parameter names and non-hidden values, job categories, template
 * names, users). Answer: `[{ completed, part, label, category }]`, as Foreman's UI expects.
 */
import type { CompletionRequest, Suggestion } from '@remex/search-query';
import { autocomplete } from '@remex/search-query';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

import type { ServerContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { SECRET_PARAMETERS } from '../parameters/parameter-routes.ts';
import { SEARCH_DEFINITIONS } from './search-registry.ts';

/** Most suggestions returned. */
const LIMIT = 20;

type Lookup = (db: Kysely<Database>, request: CompletionRequest) => Promise<readonly string[]>;
type Column = { table: keyof Database; column: string; where?: string };

/** `prefix%` for a case-insensitive LIKE, wildcards escaped. */
function prefixPattern(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Distinct non-empty values of a column starting with the typed prefix. */
async function distinct(db: Kysely<Database>, c: Column, prefix: string, limit: number, filter?: { column: string; value: string }): Promise<string[]> {
  const col = sql.ref(`${c.table}.${c.column}`);
  const rows = await sql<{ v: string }>`SELECT DISTINCT ${col} AS v FROM ${sql.table(c.table)}
    WHERE ${col} IS NOT NULL AND ${col} <> '' AND lower(${col}) LIKE ${prefixPattern(prefix)} ESCAPE '\\'
    ${filter === undefined ? sql`` : sql`AND ${sql.ref(`${c.table}.${filter.column}`)} = ${filter.value}`}
    ${c.where === undefined ? sql`` : sql.raw(`AND ${c.where}`)}
    ORDER BY v LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => String(r.v));
}

function columns(map: Record<string, Column>): Lookup {
  return (db, r) => {
    const c = map[r.field];
    return c === undefined ? Promise.resolve([]) : distinct(db, c, r.prefix, r.limit);
  };
}

const SECRET_LIST = [...SECRET_PARAMETERS].map((n) => `'${n.replace(/'/g, "''")}'`).join(', ');

/** Data lookups per controller: values of fields, and keys of key-value fields. */
const LOOKUPS: Record<string, { values: Lookup; keys?: Lookup }> = {
  hosts: {
    values: async (db, r) => {
      if (r.field === 'facts' && r.key !== undefined) return distinct(db, { table: 'fact_values', column: 'value' }, r.prefix, r.limit, { column: 'name', value: r.key });
      if (r.field === 'params' && r.key !== undefined) {
        if (SECRET_PARAMETERS.has(r.key)) return [];
        return distinct(db, { table: 'parameters', column: 'value', where: 'hidden_value = 0' }, r.prefix, r.limit, { column: 'name', value: r.key });
      }
      return columns({
        name: { table: 'hosts', column: 'name' },
        hostgroup: { table: 'hostgroups', column: 'name' },
        hostgroup_fullname: { table: 'hostgroups', column: 'title' },
        subnet: { table: 'subnets', column: 'name' },
        domain: { table: 'hosts', column: 'domain_name' },
        os: { table: 'operatingsystems', column: 'name' },
        os_major: { table: 'operatingsystems', column: 'major' },
        os_family: { table: 'operatingsystems', column: 'family' },
      })(db, r);
    },
    keys: (db, r) =>
      r.field === 'facts'
        ? distinct(db, { table: 'fact_values', column: 'name' }, r.prefix, r.limit)
        : distinct(db, { table: 'parameters', column: 'name', where: `name NOT IN (${SECRET_LIST})` }, r.prefix, r.limit),
  },
  hostgroups: {
    values: columns({ name: { table: 'hostgroups', column: 'name' }, title: { table: 'hostgroups', column: 'title' }, parent: { table: 'hostgroups', column: 'title' } }),
    keys: (db, r) => distinct(db, { table: 'parameters', column: 'name', where: `scope = 'hostgroup' AND name NOT IN (${SECRET_LIST})` }, r.prefix, r.limit),
  },
  subnets: { values: columns({ name: { table: 'subnets', column: 'name' }, network: { table: 'subnets', column: 'network' } }) },
  smart_proxies: { values: columns({ name: { table: 'smart_proxies', column: 'name' }, url: { table: 'smart_proxies', column: 'url' } }) },
  job_templates: {
    values: columns({
      name: { table: 'job_templates', column: 'name' },
      job_category: { table: 'job_templates', column: 'job_category' },
      provider_type: { table: 'job_templates', column: 'provider_type' },
      'feature.name': { table: 'remote_execution_features', column: 'name' },
      'feature.label': { table: 'remote_execution_features', column: 'label' },
    }),
  },
  job_invocations: {
    values: columns({
      job_category: { table: 'job_templates', column: 'job_category' },
      host: { table: 'hosts', column: 'name' },
      user: { table: 'users', column: 'login' },
      pattern_template_name: { table: 'job_templates', column: 'name' },
    }),
  },
  bookmarks: { values: columns({ name: { table: 'bookmarks', column: 'name', where: 'public = 1' }, controller: { table: 'bookmarks', column: 'controller' } }) },
};

/** Foreman's suggestion JSON. */
function serializeSuggestion(s: Suggestion): Record<string, unknown> {
  return { completed: s.completed, part: s.part, label: s.completed.trimEnd(), category: s.kind, ...(s.description === undefined ? {} : { description: s.description }) };
}

/** Registers `GET /api/<controller>/auto_complete_search` for every controller in {@link LOOKUPS}. */
export function registerAutoCompleteRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;
  for (const [controller, lookup] of Object.entries(LOOKUPS)) {
    const definition = SEARCH_DEFINITIONS[controller];
    if (definition === undefined) continue;
    app.get(`/api/${controller}/auto_complete_search`, async (req) => {
      const q = (req.query ?? {}) as Record<string, unknown>;
      const search = typeof q.search === 'string' ? q.search : '';
      const suggestions = await autocomplete(search, definition, {
        limit: LIMIT,
        values: (r) => lookup.values(db, r),
        ...(lookup.keys === undefined ? {} : { keys: (r: CompletionRequest) => (lookup.keys as Lookup)(db, r) }),
      });
      return suggestions.map(serializeSuggestion);
    });
  }
}
