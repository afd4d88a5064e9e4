/**
 * @module
 * Host store: lookups and checks of hosts, used by the host routes and by other modules (which
 * import this, never the routes), and the queries of `/api/hosts` ({@link HostStore}).
 */
import { isIP } from 'node:net';

import type { Host, HostCreate, HostDetail, HostFactList, HostImport, HostImportResult, HostList, HostUpdate } from '@remex/common';
import { ConflictError, InputError, NotFoundError, idRef } from '@remex/common';
import type { SearchDialect, SearchUser } from '@remex/search-query';
import type { Kysely } from 'kysely';

import { countRows } from '../db/count-rows.ts';
import type { Database, HostRow } from '../db/schema.ts';
import { checkWithinFilters } from '../authz/authorize.ts';
import { nowIso } from '../db/time.ts';
import { findHostgroup } from '../hostgroups/hostgroup-store.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import { maskedParameters, type ResolvedParameter, resolveHostParameterEntries } from '../parameters/parameter-resolver.ts';
import { SECRET_PARAMETERS, parameterAttributes, serializeParameter, upsertParameters } from '../parameters/parameter-store.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { compileFactSearch } from './fact-search.ts';
import { storeFacts } from './fact-store.ts';
import { importHosts, parseImportRows } from './host-import.ts';
import { compileHostSearch } from './host-search.ts';
import { hostQuery, selectHostApiColumns, serializeHost } from './host-serializer.ts';

/** Finds a host by id or name; 404 otherwise. */
export async function findHost(db: Kysely<Database>, ref: string): Promise<HostRow> {
  const q = db.selectFrom('hosts').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Host '${ref}' not found`);
  return row;
}

async function nameFree(db: Kysely<Database>, name: string): Promise<void> {
  if (await db.selectFrom('hosts').select('id').where('name', '=', name).executeTakeFirst()) throw new ConflictError(`Name has already been taken: host '${name}' exists`);
}

const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Validates a host name (Foreman: no spaces, no upper case is normalised). */
export function checkHostName(name: string): string {
  const n = name.trim().toLowerCase();
  if (!HOST_NAME.test(n) || n.length > 255) throw new InputError(`Name '${name}' is not a valid host name`);
  return n;
}

/**
 * Checks a host address field: `ip` must be an IPv4 address, `ip6` an IPv6 one; blank clears it.
 * Returns `undefined` when the field is absent (an update leaves it unchanged).
 */
export function checkHostAddress(value: string | null | undefined, key: 'ip' | 'ip6'): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  const family = key === 'ip' ? 4 : 6;
  if (isIP(v) !== family) throw new InputError(`${key} '${value}' is not a valid IPv${family} address`);
  return v;
}

/** The ids a host body refers to; `undefined` leaves a field unchanged, `null` clears it. */
export interface HostRefIds {
  hostgroup_id: number | null | undefined;
  subnet_id: number | null | undefined;
  operatingsystem_id: number | null | undefined;
  organization_id: number | null | undefined;
  location_id: number | null | undefined;
  /** The domain and its name (undefined: not given). */
  domain: { id: number | null; name: string | null } | undefined;
}

/** The domain a body names by `domain_id` or (when a domain of that name exists) `domain_name`. */
async function domainRef(db: Kysely<Database>, body: HostCreate | HostUpdate): Promise<HostRefIds['domain']> {
  if (body.domain_id !== undefined) {
    if (body.domain_id === null || body.domain_id === '') return { id: null, name: body.domain_name ?? null };
    const id = idRef(body.domain_id);
    const d = id === null || id === undefined ? undefined : await db.selectFrom('domains').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
    if (!d) throw new InputError(`Domain ${String(body.domain_id)} does not exist`);
    return { id: d.id, name: d.name };
  }
  if (body.domain_name === undefined) return undefined;
  if (body.domain_name === null || body.domain_name === '') return { id: null, name: null };
  const d = await db.selectFrom('domains').select(['id', 'name']).where('name', '=', body.domain_name.toLowerCase()).executeTakeFirst();
  return { id: d?.id ?? null, name: d?.name ?? body.domain_name };
}

/** The id of taxonomy `ref` of `kind` (undefined: not given; null: cleared); 422 when there is none. */
async function taxonomyRef(db: Kysely<Database>, ref: unknown, kind: 'Organization' | 'Location'): Promise<number | null | undefined> {
  if (ref === undefined) return undefined;
  if (ref === null || ref === '') return null;
  const id = idRef(ref as Parameters<typeof idRef>[0]);
  if (id === null || id === undefined) return null;
  if (!(await db.selectFrom('taxonomies').select('id').where('id', '=', id).where('type', '=', kind).executeTakeFirst())) throw new InputError(`${kind} ${id} does not exist`);
  return id;
}

async function checkExists(db: Kysely<Database>, table: 'subnets' | 'operatingsystems', id: number | null | undefined, what: string): Promise<void> {
  if (id === undefined || id === null) return;
  if (!(await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst())) throw new InputError(`${what} ${id} does not exist`);
}

/** Resolves the hostgroup, subnet and operating system a host body refers to (422 when one does not exist). */
export async function refIds(db: Kysely<Database>, body: HostCreate | HostUpdate): Promise<HostRefIds> {
  const hostgroupId = body.hostgroup_id === undefined ? undefined : idRef(body.hostgroup_id);
  if (hostgroupId !== undefined && hostgroupId !== null) await findHostgroup(db, String(hostgroupId)).catch(() => {
    throw new InputError(`Hostgroup ${hostgroupId} does not exist`);
  });
  const hostgroupName = body.hostgroup_name ?? body.hostgroup_title;
  const hgId = hostgroupName ? (await findHostgroup(db, hostgroupName)).id : hostgroupId;
  const subnetId = body.subnet_id === undefined ? undefined : idRef(body.subnet_id);
  await checkExists(db, 'subnets', subnetId, 'Subnet');
  const osId = body.operatingsystem_id === undefined ? undefined : idRef(body.operatingsystem_id);
  await checkExists(db, 'operatingsystems', osId, 'Operating system');
  const organizationId = await taxonomyRef(db, body.organization_id, 'Organization');
  const locationId = await taxonomyRef(db, body.location_id, 'Location');
  return { hostgroup_id: hgId, subnet_id: subnetId, operatingsystem_id: osId, organization_id: organizationId, location_id: locationId, domain: await domainRef(db, body) };
}

/** The queries of `/api/hosts`, its facts and its import; every write runs in one transaction. */
export class HostStore {
  private readonly db: Kysely<Database>;
  private readonly secrets: SecretBox;

  /**
   * @param db - the database
   * @param secrets - seals hidden parameter values
   */
  constructor(db: Kysely<Database>, secrets: SecretBox) {
    this.db = db;
    this.secrets = secrets;
  }

  /** A page of hosts. */
  list(params: ListParams, dialect: SearchDialect, user: SearchUser | null): Promise<HostList> {
    return listResource({
      params,
      base: hostQuery(this.db),
      total: () => countRows(this.db.selectFrom('hosts')),
      search: (text) => compileHostSearch(text, dialect, user),
      orderColumns: { name: 'h.name', id: 'h.id', ip: 'h.ip', hostgroup: 'hg.title', created_at: 'h.created_at' },
      defaultOrder: 'name',
      tiebreak: ['h.id'],
      select: (q) => selectHostApiColumns(q),
      serialize: (rows): Host[] => rows.map(serializeHost),
    });
  }

  /** A host by id or name with its own and its effective parameters (hidden values masked). */
  async show(ref: string | number): Promise<HostDetail> {
    const id = typeof ref === 'number' ? ref : (await findHost(this.db, ref)).id;
    const db = this.db;
    const h = await selectHostApiColumns(hostQuery(db)).where('h.id', '=', id).executeTakeFirstOrThrow();
    const own = await db.selectFrom('parameters').selectAll().where('scope', '=', 'host').where('scope_id', '=', id).orderBy('name').execute();
    const entries = (await resolveHostParameterEntries(db, [h])).get(h.id) ?? new Map<string, ResolvedParameter>();
    const all = maskedParameters(entries);
    const hiddenRows = await db.selectFrom('parameters').select('name').distinct().where('hidden_value', '=', 1).execute();
    const hidden = new Set([...SECRET_PARAMETERS, ...hiddenRows.map((r) => r.name)]);
    return {
      ...serializeHost(h),
      parameters: own.map(serializeParameter),
      all_parameters: Object.entries(all).map(([name, value]) => ({ name, value: hidden.has(name) ? '*****' : value, associated_type: entries.get(name)?.source ?? 'global' })),
    };
  }

  /** Creates a host with its parameters. */
  async create(body: HostCreate): Promise<HostDetail> {
    const name = checkHostName(body.name);
    const params = parameterAttributes(body.host_parameters_attributes, 'host_parameters_attributes');
    const id = await this.db.transaction().execute(async (trx) => {
      await nameFree(trx, name);
      const refs = await refIds(trx, body);
      const now = nowIso();
      const row = await trx
        .insertInto('hosts')
        .values({
          name,
          ip: checkHostAddress(body.ip, 'ip') ?? null,
          ip6: checkHostAddress(body.ip6, 'ip6') ?? null,
          hostgroup_id: refs.hostgroup_id ?? null,
          subnet_id: refs.subnet_id ?? null,
          operatingsystem_id: refs.operatingsystem_id ?? null,
          domain_name: refs.domain?.name ?? null,
          domain_id: refs.domain?.id ?? null,
          comment: body.comment ?? null,
          organization_id: refs.organization_id ?? null,
          location_id: refs.location_id ?? null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await upsertParameters(trx, this.secrets, 'host', row.id, params);
      await checkWithinFilters(trx, 'Host', row.id);
      return row.id;
    });
    return this.show(id);
  }

  /** Updates the fields a body gives and upserts its parameters. */
  async update(ref: string, body: HostUpdate): Promise<HostDetail> {
    const id = await this.db.transaction().execute(async (trx) => {
      const h = await findHost(trx, ref);
      const name = body.name ? checkHostName(body.name) : h.name;
      if (name !== h.name) await nameFree(trx, name);
      const refs = await refIds(trx, body);
      const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v);
      await trx
        .updateTable('hosts')
        .set({
          name,
          ip: pick(checkHostAddress(body.ip, 'ip'), h.ip),
          ip6: pick(checkHostAddress(body.ip6, 'ip6'), h.ip6),
          hostgroup_id: pick(refs.hostgroup_id, h.hostgroup_id),
          subnet_id: pick(refs.subnet_id, h.subnet_id),
          operatingsystem_id: pick(refs.operatingsystem_id, h.operatingsystem_id),
          domain_name: refs.domain === undefined ? h.domain_name : refs.domain.name,
          domain_id: refs.domain === undefined ? h.domain_id : refs.domain.id,
          comment: pick(body.comment, h.comment),
          organization_id: pick(refs.organization_id, h.organization_id),
          location_id: pick(refs.location_id, h.location_id),
          updated_at: nowIso(),
        })
        .where('id', '=', h.id)
        .execute();
      await upsertParameters(trx, this.secrets, 'host', h.id, parameterAttributes(body.host_parameters_attributes, 'host_parameters_attributes'));
      await checkWithinFilters(trx, 'Host', h.id);
      return h.id;
    });
    return this.show(id);
  }

  /** Deletes a host with its parameters and facts; answers the host as it was. */
  delete(ref: string): Promise<Host> {
    return this.db.transaction().execute(async (trx) => {
      const h = await findHost(trx, ref);
      const out = serializeHost(await selectHostApiColumns(hostQuery(trx)).where('h.id', '=', h.id).executeTakeFirstOrThrow());
      await trx.deleteFrom('parameters').where('scope', '=', 'host').where('scope_id', '=', h.id).execute();
      await trx.deleteFrom('fact_values').where('host_id', '=', h.id).execute();
      await trx.deleteFrom('hosts').where('id', '=', h.id).execute();
      return out;
    });
  }

  /** Stores the uploaded facts of host `name` (created when unknown). */
  async uploadFacts(name: string, facts: Record<string, unknown>): Promise<HostDetail> {
    const hostName = checkHostName(name);
    const id = await this.db.transaction().execute((trx) => storeFacts(trx, hostName, facts));
    return this.show(id);
  }

  /** A page of the facts of a host, as `{ host_name: { fact: value } }`. */
  async facts(ref: string, params: ListParams, dialect: SearchDialect, user: SearchUser | null): Promise<HostFactList> {
    const h = await findHost(this.db, ref);
    const page = await listResource({
      params,
      base: this.db.selectFrom('fact_values').where('host_id', '=', h.id),
      search: (text) => compileFactSearch(text, dialect, user),
      orderColumns: { name: 'name', value: 'value' },
      defaultOrder: 'name',
      tiebreak: ['name'],
      select: (q) => q.select(['name', 'value']),
      serialize: (rows) => rows,
    });
    return { ...page, results: { [h.name]: Object.fromEntries(page.results.map((r) => [r.name, r.value])) } };
  }

  /** Creates or updates the hosts of an import (all rows checked first; one transaction). */
  async import(body: HostImport): Promise<HostImportResult> {
    const rows = parseImportRows(body);
    const counts = await this.db.transaction().execute((trx) => importHosts(trx, this.secrets, rows));
    return { ...counts, errors: [] };
  }
}
