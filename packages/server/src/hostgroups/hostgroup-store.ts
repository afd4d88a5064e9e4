/**
 * @module
 * Hostgroup store: lookups, re-titling and creation of nested hostgroups, and the queries of
 * `/api/hostgroups` ({@link HostgroupStore}).
 */
import type { Hostgroup, HostgroupCreate, HostgroupDetail, HostgroupList, HostgroupUpdate } from '@remex/common';
import { ConflictError, InputError, NotFoundError, idRef } from '@remex/common';
import type { SearchDialect, SearchUser } from '@remex/search-query';
import type { Kysely } from 'kysely';

import { countRows } from '../db/count-rows.ts';
import type { Database, HostgroupRow } from '../db/schema.ts';
import { checkWithinFilters } from '../authz/authorize.ts';
import { nowIso } from '../db/time.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import { parameterAttributes, serializeParameter, upsertParameters } from '../parameters/parameter-store.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { compileHostgroupSearch } from './hostgroup-search.ts';

/** Finds a hostgroup by id, title or name; 404 otherwise. */
export async function findHostgroup(db: Kysely<Database>, ref: string): Promise<HostgroupRow> {
  const q = db.selectFrom('hostgroups').selectAll();
  const row = /^\d+$/.test(ref)
    ? await q.where('id', '=', Number(ref)).executeTakeFirst()
    : ((await q.where('title', '=', ref).executeTakeFirst()) ?? (await q.where('name', '=', ref).executeTakeFirst()));
  if (!row) throw new NotFoundError(`Hostgroup '${ref}' not found`);
  return row;
}

/** Recomputes `title` of the descendants of `id` after a rename or move. */
export async function retitleChildren(db: Kysely<Database>, id: number, title: string): Promise<void> {
  const children = await db.selectFrom('hostgroups').select(['id', 'name']).where('parent_id', '=', id).execute();
  for (const c of children) {
    const t = `${title}/${c.name}`;
    await db.updateTable('hostgroups').set({ title: t }).where('id', '=', c.id).execute();
    await retitleChildren(db, c.id, t);
  }
}

/**
 * Creates a hostgroup (and, with `ensurePath`, its missing ancestors from a `a/b/c` title).
 * Used by the API and by host import.
 */
export async function createHostgroupByTitle(db: Kysely<Database>, title: string): Promise<HostgroupRow> {
  const parts = title.split('/').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new InputError(`Invalid hostgroup title '${title}'`);
  let parent: HostgroupRow | null = null;
  let path = '';
  for (const name of parts) {
    path = path === '' ? name : `${path}/${name}`;
    const existing: HostgroupRow | undefined = await db.selectFrom('hostgroups').selectAll().where('title', '=', path).executeTakeFirst();
    if (existing) {
      parent = existing;
      continue;
    }
    const now = nowIso();
    parent = await db
      .insertInto('hostgroups')
      .values({ name, title: path, parent_id: parent?.id ?? null, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  if (!parent) throw new InputError(`Invalid hostgroup title '${title}'`);
  return parent;
}

function serializeHostgroup(g: HostgroupRow, parentTitle: string | null): Hostgroup {
  return { id: g.id, name: g.name, title: g.title, parent_id: g.parent_id, parent_name: parentTitle, created_at: g.created_at, updated_at: g.updated_at };
}

async function titleFree(db: Kysely<Database>, title: string, except?: number): Promise<void> {
  const clash = await db
    .selectFrom('hostgroups')
    .select('id')
    .where('title', '=', title)
    .$if(except !== undefined, (q) => q.where('id', '!=', except ?? 0))
    .executeTakeFirst();
  if (clash) throw new ConflictError(`Name has already been taken: hostgroup '${title}' exists`);
}

/** The queries of `/api/hostgroups`; every write runs in one transaction. */
export class HostgroupStore {
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

  private async withParent(db: Kysely<Database>, g: HostgroupRow): Promise<Hostgroup> {
    const parent = g.parent_id === null ? undefined : await db.selectFrom('hostgroups').select('title').where('id', '=', g.parent_id).executeTakeFirst();
    return serializeHostgroup(g, parent?.title ?? null);
  }

  /** A page of hostgroups. */
  list(params: ListParams, dialect: SearchDialect, user: SearchUser | null): Promise<HostgroupList> {
    return listResource({
      params,
      base: this.db.selectFrom('hostgroups as g').leftJoin('hostgroups as p', 'p.id', 'g.parent_id'),
      total: () => countRows(this.db.selectFrom('hostgroups')),
      search: (text) => compileHostgroupSearch(text, dialect, user),
      orderColumns: { name: 'g.name', title: 'g.title', id: 'g.id' },
      defaultOrder: 'title',
      select: (q) => q.selectAll('g').select('p.title as parent_title'),
      serialize: (rows) => rows.map((r) => serializeHostgroup(r, r.parent_title)),
    });
  }

  /** A hostgroup with its own parameters. */
  async show(ref: string): Promise<HostgroupDetail> {
    const g = await findHostgroup(this.db, ref);
    const params = await this.db.selectFrom('parameters').selectAll().where('scope', '=', 'hostgroup').where('scope_id', '=', g.id).orderBy('name').execute();
    return { ...(await this.withParent(this.db, g)), parameters: params.map(serializeParameter) };
  }

  /** Creates a hostgroup (under `parent_id`) with its parameters. */
  create(body: HostgroupCreate): Promise<Hostgroup> {
    const name = body.name;
    if (name.includes('/')) throw new InputError(`Hostgroup name '${name}' must not contain '/'; use parent_id to nest`);
    const parentId = body.parent_id === undefined ? undefined : idRef(body.parent_id);
    const params = parameterAttributes(body.group_parameters_attributes ?? body.hostgroup_parameters_attributes, 'group_parameters_attributes');
    return this.db.transaction().execute(async (trx) => {
      const parent = parentId
        ? await findHostgroup(trx, String(parentId)).catch(() => {
            throw new InputError(`Parent hostgroup ${parentId} does not exist`);
          })
        : null;
      const title = parent ? `${parent.title}/${name}` : name;
      await titleFree(trx, title);
      const now = nowIso();
      const g = await trx
        .insertInto('hostgroups')
        .values({ name, title, parent_id: parent?.id ?? null, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await upsertParameters(trx, this.secrets, 'hostgroup', g.id, params);
      await checkWithinFilters(trx, 'Hostgroup', g.id);
      return this.withParent(trx, g);
    });
  }

  /** Renames or moves a hostgroup (re-titling its descendants) and upserts its parameters. */
  update(ref: string, body: HostgroupUpdate): Promise<Hostgroup> {
    return this.db.transaction().execute(async (trx) => {
      const g = await findHostgroup(trx, ref);
      const name = body.name ?? g.name;
      if (name.includes('/')) throw new InputError(`Hostgroup name '${name}' must not contain '/'`);
      const parentIdIn = body.parent_id === undefined ? undefined : idRef(body.parent_id);
      const parentId = parentIdIn === undefined ? g.parent_id : parentIdIn;
      let parentTitle: string | null = null;
      if (parentId !== null) {
        const p = await findHostgroup(trx, String(parentId));
        if (p.id === g.id || p.title.startsWith(`${g.title}/`)) throw new InputError('A hostgroup cannot be its own ancestor');
        parentTitle = p.title;
      }
      const title = parentTitle ? `${parentTitle}/${name}` : name;
      await titleFree(trx, title, g.id);
      const updated = await trx
        .updateTable('hostgroups')
        .set({ name, parent_id: parentId, title, updated_at: nowIso() })
        .where('id', '=', g.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await retitleChildren(trx, g.id, title);
      await upsertParameters(trx, this.secrets, 'hostgroup', g.id, parameterAttributes(body.group_parameters_attributes, 'group_parameters_attributes'));
      await checkWithinFilters(trx, 'Hostgroup', g.id);
      return this.withParent(trx, updated);
    });
  }

  /** Deletes a childless hostgroup: its hosts lose the group, its parameters go. */
  delete(ref: string): Promise<Hostgroup> {
    return this.db.transaction().execute(async (trx) => {
      const g = await findHostgroup(trx, ref);
      if (await trx.selectFrom('hostgroups').select('id').where('parent_id', '=', g.id).executeTakeFirst()) {
        throw new ConflictError(`Hostgroup '${g.title}' has nested hostgroups; delete them first`);
      }
      await trx.updateTable('hosts').set({ hostgroup_id: null }).where('hostgroup_id', '=', g.id).execute();
      await trx.deleteFrom('parameters').where('scope', '=', 'hostgroup').where('scope_id', '=', g.id).execute();
      await trx.deleteFrom('hostgroups').where('id', '=', g.id).execute();
      return serializeHostgroup(g, null);
    });
  }
}
