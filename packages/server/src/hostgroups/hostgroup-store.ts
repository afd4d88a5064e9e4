/**
 * @module
 * Hostgroup store: lookups, re-titling and creation of nested hostgroups.
 */
import { InputError, NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, HostgroupRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';

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
