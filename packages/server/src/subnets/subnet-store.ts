/**
 * @module
 * Subnet store: the queries of `/api/subnets` (lookup, list, create, update, delete) and the
 * API shape of a subnet with its REX proxies.
 */
import { isIP } from 'node:net';

import type { Subnet, SubnetCreate, SubnetList, SubnetUpdate } from '@remex/common';
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { SearchDialect, SearchUser } from '@remex/search-query';
import type { Kysely } from 'kysely';

import { checkWithinFilters } from '../authz/authorize.ts';
import type { Database, SubnetRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import { compileSubnetSearch } from './subnet-search.ts';

/** Fields a subnet list can be ordered by. */
export const SUBNET_ORDER = ['name', 'id', 'network'] as const;

/** Finds a subnet by id or name; 404 otherwise. */
export async function findSubnet(db: Kysely<Database>, ref: string): Promise<SubnetRow> {
  const q = db.selectFrom('subnets').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Subnet '${ref}' not found`);
  return row;
}

function checkNetwork(network: string, mask: string): void {
  if (isIP(network) === 0) throw new InputError(`network '${network}' is not an IP address`);
  if (isIP(mask) === 0 && !/^\d{1,3}$/.test(mask)) throw new InputError(`mask '${mask}' is not a netmask`);
}

async function setProxies(db: Kysely<Database>, subnetId: number, ids: ReadonlyArray<number | string>): Promise<void> {
  const unique = [...new Set(ids.map(Number))];
  for (const id of unique) {
    if (!(await db.selectFrom('smart_proxies').select('id').where('id', '=', id).executeTakeFirst())) throw new InputError(`Smart proxy ${id} does not exist`);
  }
  await db.deleteFrom('subnet_proxies').where('subnet_id', '=', subnetId).execute();
  if (unique.length > 0) await db.insertInto('subnet_proxies').values(unique.map((id) => ({ subnet_id: subnetId, smart_proxy_id: id }))).execute();
}

async function nameFree(db: Kysely<Database>, name: string): Promise<void> {
  if (await db.selectFrom('subnets').select('id').where('name', '=', name).executeTakeFirst()) throw new ConflictError(`Name has already been taken: subnet '${name}' exists`);
}

/** The queries of subnets over one database. */
export class SubnetStore {
  private readonly db: Kysely<Database>;

  /** @param db - the database */
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  /** A subnet with its REX proxies. */
  async show(s: SubnetRow): Promise<Subnet> {
    const proxies = await this.db
      .selectFrom('subnet_proxies as sp')
      .innerJoin('smart_proxies as p', 'p.id', 'sp.smart_proxy_id')
      .select(['p.id', 'p.name'])
      .where('sp.subnet_id', '=', s.id)
      .orderBy('p.name')
      .execute();
    return { ...s, remote_execution_proxy_ids: proxies.map((p) => p.id), remote_execution_proxies: proxies };
  }

  /** A page of subnets. */
  list(params: ListParams, dialect: SearchDialect, user: SearchUser | null): Promise<SubnetList> {
    return listResource({
      params,
      base: this.db.selectFrom('subnets'),
      search: (text) => compileSubnetSearch(text, dialect, user),
      orderColumns: { name: 'name', id: 'id', network: 'network' },
      defaultOrder: 'name',
      select: (q) => q.selectAll(),
      serialize: (rows) => Promise.all(rows.map((r) => this.show(r))),
    });
  }

  /** Finds a subnet by id or name. */
  async get(ref: string): Promise<Subnet> {
    return this.show(await findSubnet(this.db, ref));
  }

  /** Creates a subnet (409 when the name is taken, 422 for a bad network or proxy). */
  async create(body: SubnetCreate): Promise<Subnet> {
    checkNetwork(body.network, body.mask);
    const row = await this.db.transaction().execute(async (trx) => {
      await nameFree(trx, body.name);
      const now = nowIso();
      const s = await trx.insertInto('subnets').values({ name: body.name, network: body.network, mask: body.mask, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
      await setProxies(trx, s.id, body.remote_execution_proxy_ids ?? []);
      await checkWithinFilters(trx, 'Subnet', s.id);
      return s;
    });
    return this.show(row);
  }

  /** Updates the given attributes of a subnet. */
  async update(ref: string, body: SubnetUpdate): Promise<Subnet> {
    const row = await this.db.transaction().execute(async (trx) => {
      const s = await findSubnet(trx, ref);
      const name = body.name ?? s.name;
      const network = body.network ?? s.network;
      const mask = body.mask ?? s.mask;
      checkNetwork(network, mask);
      if (name !== s.name) await nameFree(trx, name);
      const updated = await trx.updateTable('subnets').set({ name, network, mask, updated_at: nowIso() }).where('id', '=', s.id).returningAll().executeTakeFirstOrThrow();
      if (body.remote_execution_proxy_ids) await setProxies(trx, s.id, body.remote_execution_proxy_ids);
      await checkWithinFilters(trx, 'Subnet', s.id);
      return updated;
    });
    return this.show(row);
  }

  /** Deletes a subnet (its hosts keep no subnet); returns the deleted record. */
  delete(ref: string): Promise<SubnetRow> {
    return this.db.transaction().execute(async (trx) => {
      const s = await findSubnet(trx, ref);
      await trx.updateTable('hosts').set({ subnet_id: null }).where('subnet_id', '=', s.id).execute();
      await trx.deleteFrom('subnet_proxies').where('subnet_id', '=', s.id).execute();
      await trx.deleteFrom('subnets').where('id', '=', s.id).execute();
      return s;
    });
  }
}
