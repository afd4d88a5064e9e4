/**
 * @module
 * The queries of `/api/organizations` and `/api/locations` (ADR 0023): one store per kind over
 * `taxonomies`, nesting by `parent_id` (titles are the path of names and follow renames and
 * moves), membership of host groups, subnets, smart proxies, job templates and users through the
 * `*_ids` arrays (each replaces that membership), hosts counted through their columns. Every
 * write runs in one transaction.
 */
import type { Taxonomy, TaxonomyBody, TaxonomyList } from '@remex/common';
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { SearchDialect, SearchUser } from '@remex/search-query';
import type { Kysely } from 'kysely';

import type { Database, TaxonomyRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import type { TaxableType, TaxonomyKind } from './taxonomy-fields.ts';
import { compileTaxonomySearch } from './taxonomy-search.ts';

/** The `*_ids` of a body and the table each names. */
const MEMBERSHIPS: ReadonlyArray<readonly ['hostgroup_ids' | 'subnet_ids' | 'smart_proxy_ids' | 'job_template_ids' | 'user_ids', TaxableType, 'hostgroups' | 'subnets' | 'smart_proxies' | 'job_templates' | 'users']> = [
  ['hostgroup_ids', 'Hostgroup', 'hostgroups'],
  ['subnet_ids', 'Subnet', 'subnets'],
  ['smart_proxy_ids', 'SmartProxy', 'smart_proxies'],
  ['job_template_ids', 'JobTemplate', 'job_templates'],
  ['user_ids', 'User', 'users'],
];

const label = (kind: TaxonomyKind): string => kind.toLowerCase();

/**
 * The taxonomy of `kind` that `ref` names: an id, a title (`Europe/Berlin`) or a name.
 * @throws NotFoundError when there is none
 */
export async function findTaxonomy(db: Kysely<Database>, kind: TaxonomyKind, ref: string): Promise<TaxonomyRow> {
  const q = db.selectFrom('taxonomies').selectAll().where('type', '=', kind);
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where((eb) => eb.or([eb('title', '=', ref), eb('name', '=', ref)])).executeTakeFirst();
  if (!row) throw new NotFoundError(`Resource ${label(kind)} not found by id '${ref}'`);
  return row;
}

/** The organizations or the locations. */
export class TaxonomyStore {
  readonly #db: Kysely<Database>;
  readonly #kind: TaxonomyKind;

  constructor(db: Kysely<Database>, kind: TaxonomyKind) {
    this.#db = db;
    this.#kind = kind;
  }

  /** A page of them. */
  list(params: ListParams, dialect: SearchDialect, user: SearchUser | null): Promise<TaxonomyList> {
    return listResource({
      params,
      base: this.#db.selectFrom('taxonomies').where('taxonomies.type', '=', this.#kind),
      search: (text) => compileTaxonomySearch(text, dialect, user),
      orderColumns: { name: 'taxonomies.name', title: 'taxonomies.title', id: 'taxonomies.id' },
      defaultOrder: 'title',
      tiebreak: ['taxonomies.id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => this.#serializeAll(this.#db, rows),
    });
  }

  /** One by id, name or title. */
  async show(ref: string): Promise<Taxonomy> {
    const row = await this.#find(this.#db, ref);
    return (await this.#serializeAll(this.#db, [row]))[0]!;
  }

  /** Creates one, with its memberships. */
  create(body: TaxonomyBody): Promise<Taxonomy> {
    return this.#db.transaction().execute(async (trx) => {
      const name = checkName(body.name, this.#kind);
      const parent = await this.#parent(trx, body.parent_id ?? null);
      const title = parent ? `${parent.title}/${name}` : name;
      await this.#titleFree(trx, title);
      const now = nowIso();
      const row = await trx
        .insertInto('taxonomies')
        .values({ type: this.#kind, name, title, parent_id: parent?.id ?? null, description: body.description ?? null, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.#setMemberships(trx, row.id, body);
      return (await this.#serializeAll(trx, [row]))[0]!;
    });
  }

  /** Renames or moves one (re-titling its descendants) and replaces the memberships given. */
  update(ref: string, body: TaxonomyBody): Promise<Taxonomy> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await this.#find(trx, ref);
      const name = body.name === undefined ? row.name : checkName(body.name, this.#kind);
      const parentId = body.parent_id === undefined ? row.parent_id : body.parent_id;
      const parent = await this.#parent(trx, parentId);
      if (parent && (parent.id === row.id || parent.title.startsWith(`${row.title}/`))) throw new InputError(`A ${label(this.#kind)} cannot be its own ancestor`);
      const title = parent ? `${parent.title}/${name}` : name;
      if (title !== row.title) await this.#titleFree(trx, title);
      const updated = await trx
        .updateTable('taxonomies')
        .set({ name, title, parent_id: parent?.id ?? null, description: body.description === undefined ? row.description : body.description, updated_at: nowIso() })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (title !== row.title) {
        const descendants = await trx.selectFrom('taxonomies').selectAll().where('type', '=', this.#kind).where('title', 'like', `${row.title.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`).execute();
        for (const d of descendants) await trx.updateTable('taxonomies').set({ title: `${title}${d.title.slice(row.title.length)}` }).where('id', '=', d.id).execute();
      }
      await this.#setMemberships(trx, row.id, body);
      return (await this.#serializeAll(trx, [updated]))[0]!;
    });
  }

  /** Deletes one without children; its hosts and members are in no such taxonomy afterwards. */
  delete(ref: string): Promise<Taxonomy> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await this.#find(trx, ref);
      if (await trx.selectFrom('taxonomies').select('id').where('parent_id', '=', row.id).executeTakeFirst()) {
        throw new InputError(`${this.#kind} '${row.title}' has nested ${label(this.#kind)}s: delete or move them first`);
      }
      const out = (await this.#serializeAll(trx, [row]))[0]!;
      const column = this.#kind === 'Organization' ? 'organization_id' : 'location_id';
      await trx.updateTable('hosts').set({ [column]: null }).where(column, '=', row.id).execute();
      await trx.deleteFrom('taxable_taxonomies').where('taxonomy_id', '=', row.id).execute();
      await trx.deleteFrom('taxonomies').where('id', '=', row.id).execute();
      return out;
    });
  }

  #find(db: Kysely<Database>, ref: string): Promise<TaxonomyRow> {
    return findTaxonomy(db, this.#kind, ref);
  }

  async #parent(db: Kysely<Database>, ref: number | string | null): Promise<TaxonomyRow | null> {
    if (ref === null || ref === '') return null;
    return this.#find(db, String(ref)).catch(() => {
      throw new InputError(`Parent ${label(this.#kind)} ${String(ref)} does not exist`);
    });
  }

  async #titleFree(db: Kysely<Database>, title: string): Promise<void> {
    if (await db.selectFrom('taxonomies').select('id').where('type', '=', this.#kind).where('title', '=', title).executeTakeFirst()) {
      throw new ConflictError(`Name has already been taken: ${label(this.#kind)} '${title}' exists`);
    }
  }

  async #setMemberships(db: Kysely<Database>, id: number, body: TaxonomyBody): Promise<void> {
    for (const [field, type, table] of MEMBERSHIPS) {
      const given = body[field];
      if (given === undefined) continue;
      const ids = [...new Set(given.map(Number))];
      if (ids.length > 0) {
        const found = new Set((await db.selectFrom(table).select('id').where('id', 'in', ids).execute()).map((r) => r.id));
        const missing = ids.filter((i) => !found.has(i));
        if (missing.length > 0) throw new InputError(`${field}: no ${table.replace(/_/g, ' ')} with id ${missing.join(', ')}`);
      }
      await db.deleteFrom('taxable_taxonomies').where('taxonomy_id', '=', id).where('taxable_type', '=', type).execute();
      for (let i = 0; i < ids.length; i += 500) {
        await db.insertInto('taxable_taxonomies').values(ids.slice(i, i + 500).map((taxable_id) => ({ taxonomy_id: id, taxable_type: type, taxable_id }))).execute();
      }
    }
  }

  async #serializeAll(db: Kysely<Database>, rows: readonly TaxonomyRow[]): Promise<Taxonomy[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const members = await db.selectFrom('taxable_taxonomies').select(['taxonomy_id', 'taxable_type', 'taxable_id']).where('taxonomy_id', 'in', ids).execute();
    const column = this.#kind === 'Organization' ? 'organization_id' : 'location_id';
    const counts = await db.selectFrom('hosts').select([column, (eb) => eb.fn.countAll<number>().as('n')]).where(column, 'in', ids).groupBy(column).execute();
    const hostCounts = new Map(counts.map((c) => [Number(c[column]), Number(c.n)]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ancestry = (r: TaxonomyRow): string | null => {
      const chain: number[] = [];
      for (let p = r.parent_id; p !== null; ) {
        chain.unshift(p);
        p = byId.get(p)?.parent_id ?? null;
        if (chain.length > 64) break;
      }
      return chain.length === 0 ? null : chain.join('/');
    };
    return rows.map((r) => {
      const of = (type: TaxableType) => members.filter((m) => m.taxonomy_id === r.id && m.taxable_type === type).map((m) => m.taxable_id).sort((a, b) => a - b);
      return {
        id: r.id,
        name: r.name,
        title: r.title,
        description: r.description,
        parent_id: r.parent_id,
        ancestry: r.parent_id === null ? null : (ancestry(r) ?? String(r.parent_id)),
        hosts_count: hostCounts.get(r.id) ?? 0,
        hostgroup_ids: of('Hostgroup'),
        subnet_ids: of('Subnet'),
        smart_proxy_ids: of('SmartProxy'),
        job_template_ids: of('JobTemplate'),
        user_ids: of('User'),
        created_at: r.created_at,
        updated_at: r.updated_at,
      };
    });
  }
}

function checkName(name: string | undefined, kind: TaxonomyKind): string {
  const n = (name ?? '').trim();
  if (n === '') throw new InputError(`Name can't be blank: a ${label(kind)} needs a name`);
  if (n.includes('/')) throw new InputError(`${kind} name '${n}' must not contain '/'; use parent_id to nest`);
  return n;
}
