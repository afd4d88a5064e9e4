/**
 * @module
 * `/api/operatingsystems` CRUD (Foreman API v2: name, major, minor, family, description; `title`
 * computed). Job templates branch on `@host.operatingsystem.family`, so the family is checked
 * against Foreman's list of families. `search` fields: `operatingsystem-search.ts`.
 */
import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { ServerContext } from '../context.ts';
import type { Database, OperatingsystemRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { field, idParam, listParams, unwrap } from '../http/params.ts';
import { compileOperatingsystemSearch } from './operatingsystem-search.ts';

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
export function serializeOperatingsystem(os: OperatingsystemRow): Record<string, unknown> {
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

function version(body: Record<string, unknown>, name: 'major' | 'minor', fallback: string | undefined): string {
  const v = field.str(body, name);
  const value = v === undefined ? fallback : (v ?? '');
  if (value === undefined) throw new InputError(`${name} can't be blank`);
  if (value !== '' && !/^[0-9A-Za-z._-]{1,32}$/.test(value)) throw new InputError(`${name} '${value}' is not a version number`);
  return value;
}

function osFields(body: Record<string, unknown>, base?: OperatingsystemRow) {
  const name = (field.str(body, 'name') ?? base?.name ?? '').trim();
  if (name === '') throw new InputError("name can't be blank");
  if (/\s/.test(name)) throw new InputError(`name '${name}' must not contain spaces`);
  const major = version(body, 'major', base?.major);
  if (major === '') throw new InputError("major can't be blank");
  const minor = version(body, 'minor', base?.minor ?? '');
  const rawFamily = field.str(body, 'family');
  const family = rawFamily === undefined ? (base?.family ?? null) : rawFamily === null || rawFamily === '' ? null : normalizeFamily(rawFamily);
  return { name, major, minor, family };
}

async function checkUnique(db: Kysely<Database>, f: { name: string; major: string; minor: string }, exceptId?: number): Promise<void> {
  let q = db.selectFrom('operatingsystems').select('id').where('name', '=', f.name).where('major', '=', f.major).where('minor', '=', f.minor);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new ConflictError(`Operating system ${operatingsystemTitle(f)} already exists`);
}

/** Registers operating system routes. */
export function registerOperatingsystemRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;

  app.get('/api/operatingsystems', async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id', 'family', 'major', 'minor']),
      base: db.selectFrom('operatingsystems'),
      search: (text) => compileOperatingsystemSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', family: 'family', major: 'major', minor: 'minor' },
      defaultOrder: 'name',
      tiebreak: ['name', 'major', 'minor', 'id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeOperatingsystem),
    }),
  );

  app.get('/api/operatingsystems/:id', async (req) => serializeOperatingsystem(await findOperatingsystem(db, idParam(req.params))));

  app.post('/api/operatingsystems', async (req, reply) => {
    const f = osFields(unwrap(req.body, 'operatingsystem'));
    const row = await db.transaction().execute(async (trx) => {
      await checkUnique(trx, f);
      const now = nowIso();
      return trx.insertInto('operatingsystems').values({ ...f, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
    });
    return reply.status(201).send(serializeOperatingsystem(row));
  });

  app.put('/api/operatingsystems/:id', async (req) => {
    const body = unwrap(req.body, 'operatingsystem');
    const row = await db.transaction().execute(async (trx) => {
      const os = await findOperatingsystem(trx, idParam(req.params));
      const f = osFields(body, os);
      await checkUnique(trx, f, os.id);
      return trx.updateTable('operatingsystems').set({ ...f, updated_at: nowIso() }).where('id', '=', os.id).returningAll().executeTakeFirstOrThrow();
    });
    return serializeOperatingsystem(row);
  });

  app.delete('/api/operatingsystems/:id', async (req) => {
    return db.transaction().execute(async (trx) => {
      const os = await findOperatingsystem(trx, idParam(req.params));
      const used = await trx.selectFrom('hosts').select((eb) => eb.fn.countAll<number>().as('n')).where('operatingsystem_id', '=', os.id).executeTakeFirstOrThrow();
      if (Number(used.n) > 0) throw new ConflictError(`Operating system ${operatingsystemTitle(os)} is used by ${Number(used.n)} host(s) and cannot be deleted`);
      await trx.deleteFrom('operatingsystems').where('id', '=', os.id).execute();
      return serializeOperatingsystem(os);
    });
  });
}
