/**
 * @module
 * Where `auto_complete_search` finds values and keys in the data, per searchable resource:
 * top-level controllers ({@link LOOKUPS}) and lists nested under an owner
 * ({@link NESTED_LOOKUPS}, values limited to that owner). Hidden and secret parameter values and
 * the defaults of hidden inputs are never looked up.
 */
import type { CompletionRequest } from '@remex/search-query';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

import { AUDIT_LOOKUP } from '../audit/audit-lookups.ts';
import type { Database, ParameterScope } from '../db/schema.ts';
import { findHostgroup } from '../hostgroups/hostgroup-store.ts';
import { findHost } from '../hosts/host-store.ts';
import { SECRET_PARAMETERS } from '../parameters/hidden-parameters.ts';
import { OWNED_PARAMETER_LEVELS, parameterOwnerId } from '../parameters/parameter-owners.ts';
import { findTemplate } from '../templates/job-template-store.ts';

/** Values (or keys) for one completion request; `owner` is the nested list's owner id (0 at top level). */
export type Lookup = (db: Kysely<Database>, request: CompletionRequest, owner: number) => Promise<readonly string[]>;

/** Value and key lookups of one resource. */
export interface ResourceLookup {
  readonly values: Lookup;
  readonly keys?: Lookup;
}

/** Lookups of a nested list, and how its owner id is found from the route parameters (404 when missing). */
export interface NestedLookup extends ResourceLookup {
  owner(db: Kysely<Database>, params: Readonly<Record<string, string>>): Promise<number>;
}

type Filter = { readonly column: string; readonly value: string | number };
type Column = { readonly table: keyof Database; readonly column: string; readonly where?: string; readonly owner?: string };

/** `prefix%` for a case-insensitive LIKE, wildcards escaped. */
function prefixPattern(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Distinct non-empty values of a column starting with the typed prefix. */
async function distinct(db: Kysely<Database>, c: Column, prefix: string, limit: number, filters: readonly Filter[] = []): Promise<string[]> {
  const col = sql.ref(`${c.table}.${c.column}`);
  const rows = await sql<{ v: string }>`SELECT DISTINCT ${col} AS v FROM ${sql.table(c.table)}
    WHERE ${col} IS NOT NULL AND ${col} <> '' AND lower(${col}) LIKE ${prefixPattern(prefix)} ESCAPE '\\'
    ${sql.join(filters.map((f) => sql`AND ${sql.ref(`${c.table}.${f.column}`)} = ${f.value}`), sql` `)}
    ${c.where === undefined ? sql`` : sql.raw(`AND ${c.where}`)}
    ORDER BY v LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => String(r.v));
}

/** A lookup reading one column per field; a column with `owner` is limited to the owner's rows. */
function columns(map: Record<string, Column>): Lookup {
  return (db, r, owner) => {
    const c = Object.hasOwn(map, r.field) ? map[r.field] : undefined;
    if (c === undefined) return Promise.resolve([]);
    return distinct(db, c, r.prefix, r.limit, c.owner === undefined ? [] : [{ column: c.owner, value: owner }]);
  };
}

const SECRET_LIST = [...SECRET_PARAMETERS].map((n) => `'${n.replace(/'/g, "''")}'`).join(', ');
/** SQL condition on `parameters`: the value may be shown. */
const VISIBLE_VALUE = `hidden_value = 0 AND name NOT IN (${SECRET_LIST})`;

/** Name and (visible) value lookups of the parameters of one scope. */
function parameterLookup(scope: ParameterScope): ResourceLookup {
  const where = `scope = '${scope}'`;
  return {
    values: columns({
      name: { table: 'parameters', column: 'name', where, owner: 'scope_id' },
      value: { table: 'parameters', column: 'value', where: `${where} AND ${VISIBLE_VALUE}`, owner: 'scope_id' },
      parameter_type: { table: 'parameters', column: 'parameter_type', where, owner: 'scope_id' },
    }),
  };
}

/** Data lookups per controller: values of fields, and keys of key-value fields. */
export const LOOKUPS: Readonly<Record<string, ResourceLookup>> = {
  hosts: {
    values: async (db, r, owner) => {
      if (r.field === 'facts' && r.key !== undefined) return distinct(db, { table: 'fact_values', column: 'value' }, r.prefix, r.limit, [{ column: 'name', value: r.key }]);
      if (r.field === 'params' && r.key !== undefined) {
        if (SECRET_PARAMETERS.has(r.key)) return [];
        return distinct(db, { table: 'parameters', column: 'value', where: 'hidden_value = 0' }, r.prefix, r.limit, [{ column: 'name', value: r.key }]);
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
      })(db, r, owner);
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
  operatingsystems: {
    values: columns({
      name: { table: 'operatingsystems', column: 'name' },
      major: { table: 'operatingsystems', column: 'major' },
      minor: { table: 'operatingsystems', column: 'minor' },
      family: { table: 'operatingsystems', column: 'family' },
    }),
  },
  common_parameters: parameterLookup('common'),
  audits: AUDIT_LOOKUP,
  remote_execution_features: {
    values: columns({
      name: { table: 'remote_execution_features', column: 'name' },
      label: { table: 'remote_execution_features', column: 'label' },
      job_template: { table: 'job_templates', column: 'name' },
    }),
  },
};

const param = (params: Readonly<Record<string, string>>, name: string): string => params[name] ?? '';

/** Data lookups of the nested lists, by route (the keys of `NESTED_SEARCH_DEFINITIONS`). */
export const NESTED_LOOKUPS: Readonly<Record<string, NestedLookup>> = {
  '/api/hosts/:owner/parameters': { ...parameterLookup('host'), owner: async (db, p) => (await findHost(db, param(p, 'owner'))).id },
  '/api/hostgroups/:owner/parameters': { ...parameterLookup('hostgroup'), owner: async (db, p) => (await findHostgroup(db, param(p, 'owner'))).id },
  ...Object.fromEntries(OWNED_PARAMETER_LEVELS.map((l) => [l.base, { ...parameterLookup(l.scope), owner: (db: Kysely<Database>, p: Readonly<Record<string, string>>) => parameterOwnerId(db, l.scope, param(p, 'owner')) }])),
  '/api/hosts/:id/facts': {
    owner: async (db, p) => (await findHost(db, param(p, 'id'))).id,
    values: (db, r, owner) => {
      if (r.field === 'facts' && r.key !== undefined) {
        return distinct(db, { table: 'fact_values', column: 'value' }, r.prefix, r.limit, [{ column: 'name', value: r.key }, { column: 'host_id', value: owner }]);
      }
      return columns({
        name: { table: 'fact_values', column: 'name', owner: 'host_id' },
        value: { table: 'fact_values', column: 'value', owner: 'host_id' },
        host: { table: 'hosts', column: 'name', owner: 'id' },
        'host.hostgroup': { table: 'hostgroups', column: 'name' },
      })(db, r, owner);
    },
    keys: (db, r, owner) => distinct(db, { table: 'fact_values', column: 'name' }, r.prefix, r.limit, [{ column: 'host_id', value: owner }]),
  },
  '/api/templates/:template_id/template_inputs': {
    owner: async (db, p) => (await findTemplate(db, param(p, 'template_id'))).id,
    values: columns({
      name: { table: 'template_inputs', column: 'name', owner: 'template_id' },
      value_type: { table: 'template_inputs', column: 'value_type', owner: 'template_id' },
      fact_name: { table: 'template_inputs', column: 'fact_name', owner: 'template_id' },
      variable_name: { table: 'template_inputs', column: 'variable_name', owner: 'template_id' },
    }),
  },
  '/api/templates/:template_id/foreign_input_sets': {
    owner: async (db, p) => (await findTemplate(db, param(p, 'template_id'))).id,
    values: columns({ target_template: { table: 'job_templates', column: 'name' } }),
  },
  '/api/job_templates/:id/revisions': {
    owner: async (db, p) => (await findTemplate(db, param(p, 'id'))).id,
    values: columns({
      action: { table: 'template_revisions', column: 'action', owner: 'template_id' },
      user: { table: 'template_revisions', column: 'user_login', owner: 'template_id' },
      template_name: { table: 'template_revisions', column: 'template_name', owner: 'template_id' },
    }),
  },
};
