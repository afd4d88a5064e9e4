/**
 * @module
 * Operating system store: families, titles, lookup, checks and the API shape of operating
 * systems, and the queries of `/api/operatingsystems` ({@link OperatingsystemStore}).
 */
import type { Operatingsystem, OperatingsystemCreate, OperatingsystemList } from '@remex/common';
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { SearchDialect, SearchUser } from '@remex/search-query';
import type { Kysely } from 'kysely';

import { checkWithinFilters } from '../authz/authorize.ts';
import type { Database, OperatingsystemRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import { compileOperatingsystemSearch } from './operatingsystem-search.ts';

/** Attributes of a create or update body. */
type OperatingsystemBody = Partial<OperatingsystemCreate>;

/** Operating system families Foreman knows (`Operatingsystem.families`). */
export const OS_FAMILIES = [
  'AIX',
  'Altlinux',
  'Archlinux',
  'Coreos',
  'Debian',
  'Fcos',
  'Freebsd',
  'Gentoo',
  'Junos',
  'NXOS',
  'Photon',
  'Rancheros',
  'Redhat',
  'Rhcos',
  'Solaris',
  'Suse',
  'VRP',
  'Windows',
  'Xenserver',
] as const;

/** Canonical family name for `value` (case-insensitive; `RedHat` → `Redhat`), or an error. */
export function normalizeFamily(value: string): string {
  const found = OS_FAMILIES.find((f) => f.toLowerCase() === value.toLowerCase());
  if (!found) throw new InputError(`family '${value}' is not one of ${OS_FAMILIES.join(', ')}`);
  return found;
}

/** Title as Foreman prints it: `Debian 12`, `RedHat 9.2`. */
export function operatingsystemTitle(os: Pick<OperatingsystemRow, 'name' | 'major' | 'minor'>): string {
  const version = [os.major, os.minor].filter((v) => v !== '').join('.');
  return version === '' ? os.name : `${os.name} ${version}`;
}

/** Operating system JSON. */
export function serializeOperatingsystem(os: OperatingsystemRow): Operatingsystem {
  return {
    id: os.id,
    name: os.name,
    major: os.major,
    minor: os.minor,
    family: os.family,
    title: operatingsystemTitle(os),
    fullname: operatingsystemTitle(os),
    created_at: os.created_at,
    updated_at: os.updated_at,
  };
}

/** Finds an operating system by id or title; 404 otherwise. */
export async function findOperatingsystem(db: Kysely<Database>, ref: string): Promise<OperatingsystemRow> {
  if (/^\d+$/.test(ref)) {
    const row = await db.selectFrom('operatingsystems').selectAll().where('id', '=', Number(ref)).executeTakeFirst();
    if (row) return row;
  } else {
    const rows = await db.selectFrom('operatingsystems').selectAll().execute();
    const row = rows.find((r) => operatingsystemTitle(r) === ref);
    if (row) return row;
  }
  throw new NotFoundError(`Operating system '${ref}' not found`);
}

function version(body: OperatingsystemBody, name: 'major' | 'minor', fallback: string | undefined): string {
  const raw = body[name];
  const v = typeof raw === 'number' ? String(raw) : raw;
  const value = v === undefined ? fallback : (v ?? '');
  if (value === undefined) throw new InputError(`${name} can't be blank`);
  if (value !== '' && !/^[0-9A-Za-z._-]{1,32}$/.test(value)) throw new InputError(`${name} '${value}' is not a version number`);
  return value;
}

/** The checked attributes of an operating system from a body (`base`: the stored one, for an update). */
export function osFields(body: OperatingsystemBody, base?: OperatingsystemRow) {
  const name = (body.name ?? base?.name ?? '').trim();
  if (name === '') throw new InputError("name can't be blank");
  if (/\s/.test(name)) throw new InputError(`name '${name}' must not contain spaces`);
  const major = version(body, 'major', base?.major);
  if (major === '') throw new InputError("major can't be blank");
  const minor = version(body, 'minor', base?.minor ?? '');
  const rawFamily = body.family;
  const family = rawFamily === undefined ? (base?.family ?? null) : rawFamily === null || rawFamily === '' ? null : normalizeFamily(rawFamily);
  return { name, major, minor, family };
}

/** 409 when another operating system has the same name and version. */
export async function checkUnique(db: Kysely<Database>, f: { name: string; major: string; minor: string }, exceptId?: number): Promise<void> {
  let q = db.selectFrom('operatingsystems').select('id').where('name', '=', f.name).where('major', '=', f.major).where('minor', '=', f.minor);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new ConflictError(`Operating system ${operatingsystemTitle(f)} already exists`);
}


/** The queries of `/api/operatingsystems`; every write runs in one transaction. */
export class OperatingsystemStore {
  private readonly db: Kysely<Database>;

  /** @param db - the database */
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  /** A page of operating systems. */
  list(params: ListParams, dialect: SearchDialect, user: SearchUser | null): Promise<OperatingsystemList> {
    return listResource({
      params,
      base: this.db.selectFrom('operatingsystems'),
      search: (text) => compileOperatingsystemSearch(text, dialect, user),
      orderColumns: { name: 'name', id: 'id', family: 'family', major: 'major', minor: 'minor' },
      defaultOrder: 'name',
      tiebreak: ['name', 'major', 'minor', 'id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeOperatingsystem),
    });
  }

  /** An operating system by id or title. */
  async show(ref: string): Promise<Operatingsystem> {
    return serializeOperatingsystem(await findOperatingsystem(this.db, ref));
  }

  /** Creates an operating system (409 when its name and version exist). */
  create(body: OperatingsystemCreate): Promise<Operatingsystem> {
    const f = osFields(body);
    return this.db.transaction().execute(async (trx) => {
      await checkUnique(trx, f);
      const now = nowIso();
      const row = await trx.insertInto('operatingsystems').values({ ...f, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
      await checkWithinFilters(trx, 'Operatingsystem', row.id);
      return serializeOperatingsystem(row);
    });
  }

  /** Updates the fields a body gives. */
  update(ref: string, body: OperatingsystemBody): Promise<Operatingsystem> {
    return this.db.transaction().execute(async (trx) => {
      const os = await findOperatingsystem(trx, ref);
      const f = osFields(body, os);
      await checkUnique(trx, f, os.id);
      const row = await trx.updateTable('operatingsystems').set({ ...f, updated_at: nowIso() }).where('id', '=', os.id).returningAll().executeTakeFirstOrThrow();
      await checkWithinFilters(trx, 'Operatingsystem', row.id);
      return serializeOperatingsystem(row);
    });
  }

  /** Deletes an operating system no host uses (409 otherwise). */
  delete(ref: string): Promise<Operatingsystem> {
    return this.db.transaction().execute(async (trx) => {
      const os = await findOperatingsystem(trx, ref);
      const used = await trx.selectFrom('hosts').select((eb) => eb.fn.countAll<number>().as('n')).where('operatingsystem_id', '=', os.id).executeTakeFirstOrThrow();
      if (Number(used.n) > 0) throw new ConflictError(`Operating system ${operatingsystemTitle(os)} is used by ${Number(used.n)} host(s) and cannot be deleted`);
      await trx.deleteFrom('operatingsystems').where('id', '=', os.id).execute();
      return serializeOperatingsystem(os);
    });
  }
}
