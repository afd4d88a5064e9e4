/**
 * @module
 * For each resource type whose records filters can limit: how a route's `:id` finds a record,
 * and which of a set of records a filter's search matches (compiled with the resource's own
 * search definition over the same tables and aliases its list uses).
 */
import { NotFoundError } from '@remex/common';
import type { SearchUser } from '@remex/search-query';
import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';

import type { Database } from '../db/schema.ts';
import { chunks } from '../db/time.ts';
import { findFeature } from '../features/feature-store.ts';
import { findHostgroup } from '../hostgroups/hostgroup-store.ts';
import { hostQuery } from '../hosts/host-serializer.ts';
import { findHost } from '../hosts/host-store.ts';
import { findOperatingsystem } from '../operatingsystems/operatingsystem-store.ts';
import { findProxy } from '../proxies/smart-proxy-store.ts';
import { compileResourceSearch } from '../search/resource-search.ts';
import { SEARCH_DEFINITIONS } from '../search/search-registry.ts';
import { findSubnet } from '../subnets/subnet-store.ts';
import { findTemplate } from '../templates/job-template-store.ts';
import type { ResourceType } from './permissions.ts';
import { RESOURCE_SEARCH_CONTROLLER } from './permissions.ts';

// The record queries span tables of different shapes; their row types do not matter here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyQuery = SelectQueryBuilder<any, any, object>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEb = ExpressionBuilder<any, any>;

/** How records of one resource type are found and matched. */
interface RecordKind {
  /** Id of the record `ref` (id or name) names; throws NotFoundError when there is none. */
  find(db: Kysely<Database>, ref: string): Promise<number>;
  /** The tables the resource's search compiles over. */
  base(db: Kysely<Database>): AnyQuery;
  /** The id column in {@link base}. */
  id: string;
}

async function findById(db: Kysely<Database>, table: 'job_invocations', ref: string): Promise<number> {
  const row = /^\d+$/.test(ref) ? await db.selectFrom(table).select('id').where('id', '=', Number(ref)).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError(`Job invocation '${ref}' not found`);
  return row.id;
}

async function findCommonParameter(db: Kysely<Database>, ref: string): Promise<number> {
  const q = db.selectFrom('parameters').select('id').where('scope', '=', 'common');
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Parameter '${ref}' not found`);
  return row.id;
}

const KINDS: Readonly<Partial<Record<ResourceType, RecordKind>>> = {
  Host: { find: async (db, ref) => (await findHost(db, ref)).id, base: (db) => hostQuery(db) as AnyQuery, id: 'h.id' },
  Hostgroup: { find: async (db, ref) => (await findHostgroup(db, ref)).id, base: (db) => db.selectFrom('hostgroups as g').leftJoin('hostgroups as p', 'p.id', 'g.parent_id') as AnyQuery, id: 'g.id' },
  Parameter: { find: findCommonParameter, base: (db) => db.selectFrom('parameters') as AnyQuery, id: 'parameters.id' },
  Subnet: { find: async (db, ref) => (await findSubnet(db, ref)).id, base: (db) => db.selectFrom('subnets') as AnyQuery, id: 'subnets.id' },
  SmartProxy: { find: async (db, ref) => (await findProxy(db, ref)).id, base: (db) => db.selectFrom('smart_proxies') as AnyQuery, id: 'smart_proxies.id' },
  Operatingsystem: { find: async (db, ref) => (await findOperatingsystem(db, ref)).id, base: (db) => db.selectFrom('operatingsystems') as AnyQuery, id: 'operatingsystems.id' },
  JobTemplate: { find: async (db, ref) => (await findTemplate(db, ref)).id, base: (db) => db.selectFrom('job_templates') as AnyQuery, id: 'job_templates.id' },
  RemoteExecutionFeature: { find: async (db, ref) => (await findFeature(db, ref)).id, base: (db) => db.selectFrom('remote_execution_features') as AnyQuery, id: 'remote_execution_features.id' },
  JobInvocation: { find: (db, ref) => findById(db, 'job_invocations', ref), base: (db) => db.selectFrom('job_invocations') as AnyQuery, id: 'job_invocations.id' },
  // Tasks are matched (just before dispatch), never named by a route.
  TemplateInvocation: { find: () => Promise.reject(new NotFoundError('Template invocations are not addressed by id')), base: (db) => db.selectFrom('template_invocations as ti') as AnyQuery, id: 'ti.id' },
};

/** Path segment of a route (`/api/<segment>/:param`) → resource type of the record it names. */
export const RECORD_COLLECTIONS: Readonly<Record<string, ResourceType>> = {
  hosts: 'Host',
  hostgroups: 'Hostgroup',
  common_parameters: 'Parameter',
  subnets: 'Subnet',
  smart_proxies: 'SmartProxy',
  operatingsystems: 'Operatingsystem',
  job_templates: 'JobTemplate',
  templates: 'JobTemplate',
  remote_execution_features: 'RemoteExecutionFeature',
  job_invocations: 'JobInvocation',
};

/** Id of the record of `type` that `ref` names, or undefined when the type has no records to limit. */
export async function findRecord(db: Kysely<Database>, type: ResourceType, ref: string): Promise<number | undefined> {
  const kind = KINDS[type];
  return kind === undefined ? undefined : kind.find(db, ref);
}

/** The condition "matches one of `searches`" compiled with `type`'s search definition. */
export function searchesCondition(type: ResourceType, searches: readonly string[], dialect: 'sqlite' | 'postgres', user: SearchUser | null): (eb: AnyEb) => Expression<SqlBool> {
  const controller = RESOURCE_SEARCH_CONTROLLER[type];
  const definition = controller === undefined ? undefined : SEARCH_DEFINITIONS[controller];
  if (definition === undefined || searches.length === 0) return () => sql<SqlBool>`1 = 0`;
  const compiled = searches.map((s) => compileResourceSearch(definition, s, dialect, user));
  return (eb) => eb.or(compiled.map((c) => c(eb)));
}

/** The ids among `ids` of records of `type` that match one of `searches`. */
export async function matchingRecords(db: Kysely<Database>, type: ResourceType, ids: readonly number[], searches: readonly string[], dialect: 'sqlite' | 'postgres', user: SearchUser | null): Promise<Set<number>> {
  const kind = KINDS[type];
  const found = new Set<number>();
  if (kind === undefined) return found;
  for (const part of chunks(ids, 1000)) {
    const rows = (await kind
      .base(db)
      .select(sql.ref(kind.id).as('rid'))
      .where(sql.ref(kind.id), 'in', part)
      .where(searchesCondition(type, searches, dialect, user))
      .execute()) as { rid: number }[];
    for (const r of rows) found.add(Number(r.rid));
  }
  return found;
}

/** Whether some record of `type` matches `query` and one of `scope` (the user's filter searches). */
export async function someRecordMatches(db: Kysely<Database>, type: ResourceType, query: string, scope: readonly string[], dialect: 'sqlite' | 'postgres', user: SearchUser | null): Promise<boolean> {
  const kind = KINDS[type];
  const controller = RESOURCE_SEARCH_CONTROLLER[type];
  const definition = controller === undefined ? undefined : SEARCH_DEFINITIONS[controller];
  if (kind === undefined || definition === undefined) return false;
  const row = await kind
    .base(db)
    .select(sql.ref(kind.id).as('rid'))
    .where(searchesCondition(type, scope, dialect, user))
    .where(compileResourceSearch(definition, query, dialect, user))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
