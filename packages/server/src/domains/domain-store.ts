/**
 * @module
 * The queries of `/api/domains`. Renaming a domain renames it on its hosts (`domain_name`);
 * a domain with hosts cannot be deleted. Every write runs in one transaction.
 */
import type { Domain, DomainBody, DomainList } from '@remex/common';
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { SearchDialect, SearchUser } from '@remex/search-query';
import type { Kysely } from 'kysely';

import type { Database, DomainRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import { compileDomainSearch } from './domain-search.ts';

/** Domain `ref` (id or name). */
export async function findDomain(db: Kysely<Database>, ref: string): Promise<DomainRow> {
  const q = db.selectFrom('domains').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Resource domain not found by id '${ref}'`);
  return row;
}

/** The domains. */
export class DomainStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** A page of domains. */
  list(params: ListParams, dialect: SearchDialect, user: SearchUser | null): Promise<DomainList> {
    return listResource({
      params,
      base: this.#db.selectFrom('domains'),
      search: (text) => compileDomainSearch(text, dialect, user),
      orderColumns: { name: 'domains.name', id: 'domains.id' },
      defaultOrder: 'name',
      tiebreak: ['domains.id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => serializeDomains(this.#db, rows),
    });
  }

  /** One by id or name. */
  async show(ref: string): Promise<Domain> {
    return (await serializeDomains(this.#db, [await findDomain(this.#db, ref)]))[0]!;
  }

  /** Creates a domain. */
  create(body: DomainBody): Promise<Domain> {
    return this.#db.transaction().execute(async (trx) => {
      const name = (body.name ?? '').trim().toLowerCase();
      if (name === '') throw new InputError("Name can't be blank: a domain needs a name");
      await nameFree(trx, name);
      const now = nowIso();
      const row = await trx.insertInto('domains').values({ name, fullname: body.fullname ?? null, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
      return (await serializeDomains(trx, [row]))[0]!;
    });
  }

  /** Renames a domain (and on its hosts) or changes its description. */
  update(ref: string, body: DomainBody): Promise<Domain> {
    return this.#db.transaction().execute(async (trx) => {
      const d = await findDomain(trx, ref);
      const name = body.name === undefined ? d.name : body.name.trim().toLowerCase();
      if (name !== d.name) {
        await nameFree(trx, name);
        await trx.updateTable('hosts').set({ domain_name: name }).where('domain_id', '=', d.id).execute();
      }
      const row = await trx
        .updateTable('domains')
        .set({ name, fullname: body.fullname === undefined ? d.fullname : body.fullname, updated_at: nowIso() })
        .where('id', '=', d.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return (await serializeDomains(trx, [row]))[0]!;
    });
  }

  /** Deletes a domain no host is in, with its parameters. */
  delete(ref: string): Promise<Domain> {
    return this.#db.transaction().execute(async (trx) => {
      const d = await findDomain(trx, ref);
      const out = (await serializeDomains(trx, [d]))[0]!;
      if (out.hosts_count > 0) throw new InputError(`Domain ${d.name} has ${out.hosts_count} host(s) and cannot be deleted`);
      await trx.deleteFrom('parameters').where('scope', '=', 'domain').where('scope_id', '=', d.id).execute();
      await trx.deleteFrom('domains').where('id', '=', d.id).execute();
      return out;
    });
  }
}

async function nameFree(db: Kysely<Database>, name: string): Promise<void> {
  if (await db.selectFrom('domains').select('id').where('name', '=', name).executeTakeFirst()) throw new ConflictError(`Name has already been taken: domain '${name}' exists`);
}

async function serializeDomains(db: Kysely<Database>, rows: readonly DomainRow[]): Promise<Domain[]> {
  if (rows.length === 0) return [];
  const counts = await db
    .selectFrom('hosts')
    .select(['domain_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'domain_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy('domain_id')
    .execute();
  const byId = new Map(counts.map((c) => [Number(c.domain_id), Number(c.n)]));
  return rows.map((r) => ({ id: r.id, name: r.name, fullname: r.fullname, hosts_count: byId.get(r.id) ?? 0, created_at: r.created_at, updated_at: r.updated_at }));
}
