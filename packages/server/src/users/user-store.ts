/**
 * @module
 * Users: the bootstrap `admin`, the API shape of a user and the queries of `/api/users`
 * (list, show, create, update, delete) with Foreman's rules: logins are unique, the last admin
 * can be neither deleted nor demoted. Who may do what is decided by the caller
 * (`user-routes.ts`, `user-rules.ts`).
 */
import type { User, UserCreate, UserList } from '@remex/common';
import { ConflictError, InputError, NotFoundError, looseBoolean } from '@remex/common';
import type { SearchDialect, SearchUser } from '@remex/search-query';
import type { Kysely } from 'kysely';

import type { Database, UserRow } from '../db/schema.ts';
import { flag, isSet, nowIso } from '../db/time.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import { hashPassword, randomPassword } from './password-hash.ts';
import { compileUserSearch } from './user-search.ts';
import { rolesOfUsers, setUserRoles } from '../authz/role-store.ts';

/** The authenticated caller of a request. */
export interface CurrentUser {
  id: number;
  login: string;
  admin: boolean;
  /** The browser session the request came with (cookie authentication only). */
  session?: { id: number; csrfToken: string };
}

/** Fields a user list can be ordered by. */
export const USER_ORDER = ['login', 'id', 'firstname', 'lastname', 'mail'] as const;

/**
 * Creates `admin` on first start: when no user is called `admin` and no user is an admin (so a
 * renamed or deleted `admin` does not come back with a new password). Returns the generated
 * password (to print once) or null when nothing was created or `password` was given.
 */
export async function ensureAdmin(db: Kysely<Database>, password: string | null): Promise<string | null> {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('login', '=', 'admin'), eb('admin', '=', 1)]))
    .limit(1)
    .executeTakeFirst();
  if (existing) return null;
  const plain = password ?? randomPassword();
  const now = nowIso();
  await db
    .insertInto('users')
    .values({ login: 'admin', password_hash: await hashPassword(plain), admin: 1, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('login').doNothing())
    .execute();
  return password === null ? plain : null;
}

/** The API shape of a user row (no password hash). */
export function showUser(u: UserRow): User {
  const full = [u.firstname, u.lastname].filter((p): p is string => p !== null && p.trim() !== '').join(' ');
  return {
    id: u.id,
    login: u.login,
    firstname: u.firstname,
    lastname: u.lastname,
    name: full === '' ? u.login : full,
    mail: u.mail,
    admin: isSet(u.admin),
    auth_source: u.auth_source,
    auth_source_name: u.auth_source === 'internal' ? 'Internal' : u.auth_source,
    locale: u.locale,
    timezone: u.timezone,
    default_organization_id: u.default_organization_id,
    default_location_id: u.default_location_id,
    last_login_on: u.last_login_at,
    created_at: u.created_at,
    updated_at: u.updated_at ?? u.created_at,
  };
}

/** Finds a user by id or login; 404 otherwise. */
export async function findUser(db: Kysely<Database>, ref: string): Promise<UserRow> {
  const q = db.selectFrom('users').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('login', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`User '${ref}' not found`);
  return row;
}

/** Refuses a time zone the runtime does not know (422 naming it). */
export function checkTimezone(timezone: string | null | undefined): void {
  if (timezone === undefined || timezone === null || timezone === '') return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new InputError(`timezone '${timezone}' is not a known time zone`, { code: 'invalid_timezone' });
  }
}

async function loginFree(db: Kysely<Database>, login: string): Promise<void> {
  if (await db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirst()) throw new ConflictError(`Login has already been taken: user '${login}' exists`, { code: 'login_taken' });
}

/**
 * Refuses (422) leaving no admin: `userId` (an admin) is about to be deleted or demoted. On
 * PostgreSQL the admin rows are locked so two requests cannot each remove "another" admin.
 */
export async function keepAnAdmin(trx: Kysely<Database>, dialect: SearchDialect, userId: number, action: 'delete' | 'demote'): Promise<void> {
  let q = trx.selectFrom('users').select('id').where('admin', '=', 1);
  if (dialect === 'postgres') q = q.forUpdate();
  const admins = await q.execute();
  if (admins.every((a) => a.id === userId)) {
    throw new InputError(action === 'delete' ? 'Cannot delete the last admin: make another user admin first' : 'Cannot remove admin rights from the last admin: make another user admin first', { code: 'last_admin' });
  }
}

/** Stored values of the changed attributes of a create/update body (undefined: not given). */
export interface UserChanges {
  login?: string;
  password_hash?: string;
  firstname?: string | null;
  lastname?: string | null;
  mail?: string | null;
  admin?: boolean;
  locale?: string | null;
  timezone?: string | null;
  default_organization_id?: number | null;
  default_location_id?: number | null;
}

/** The stored changes a body asks for (the password is hashed by the caller). */
export function changesOf(body: Omit<Partial<UserCreate>, 'password'>): UserChanges {
  const c: UserChanges = {};
  if (body.login !== undefined) c.login = body.login;
  for (const k of ['firstname', 'lastname', 'mail', 'locale', 'timezone'] as const) {
    const v = body[k];
    if (v !== undefined) c[k] = v === null || v.trim() === '' ? null : v;
  }
  if (body.admin !== undefined) c.admin = looseBoolean(body.admin);
  if (body.default_organization_id !== undefined) c.default_organization_id = body.default_organization_id;
  if (body.default_location_id !== undefined) c.default_location_id = body.default_location_id;
  checkTimezone(c.timezone);
  return c;
}

/** `users` with their roles and taxonomies filled in. */
async function withRoles(db: Kysely<Database>, users: User[]): Promise<User[]> {
  const roles = await rolesOfUsers(db, users.map((u) => u.id));
  const placed =
    users.length === 0
      ? []
      : await db
          .selectFrom('taxable_taxonomies as tt')
          .innerJoin('taxonomies as tx', 'tx.id', 'tt.taxonomy_id')
          .select(['tt.taxable_id', 'tx.id', 'tx.type'])
          .where('tt.taxable_type', '=', 'User')
          .where('tt.taxable_id', 'in', users.map((u) => u.id))
          .orderBy('tx.id')
          .execute();
  const of = (id: number, type: string) => placed.filter((p) => p.taxable_id === id && p.type === type).map((p) => p.id);
  return users.map((u) => ({ ...u, roles: roles.get(u.id) ?? [], organization_ids: of(u.id, 'Organization'), location_ids: of(u.id, 'Location') }));
}

/** Taxonomies of a user body (undefined: leave them). */
export interface UserTaxonomyChanges {
  organization_ids?: readonly number[] | undefined;
  location_ids?: readonly number[] | undefined;
}

/**
 * Checks the default organization and location exist and replaces the user's taxonomies a body
 * names (422 naming an unknown one).
 */
async function placeUser(trx: Kysely<Database>, userId: number, changes: UserChanges, taxonomies: UserTaxonomyChanges): Promise<void> {
  const exists = async (id: number, type: 'Organization' | 'Location') => (await trx.selectFrom('taxonomies').select('id').where('id', '=', id).where('type', '=', type).executeTakeFirst()) !== undefined;
  if (changes.default_organization_id != null && !(await exists(changes.default_organization_id, 'Organization'))) throw new InputError(`default_organization_id: organization ${changes.default_organization_id} does not exist`);
  if (changes.default_location_id != null && !(await exists(changes.default_location_id, 'Location'))) throw new InputError(`default_location_id: location ${changes.default_location_id} does not exist`);
  for (const [field, type] of [['organization_ids', 'Organization'], ['location_ids', 'Location']] as const) {
    const ids = taxonomies[field];
    if (ids === undefined) continue;
    for (const id of ids) if (!(await exists(id, type))) throw new InputError(`${field}: ${type.toLowerCase()} ${id} does not exist`);
    const current = await trx.selectFrom('taxonomies').select('id').where('type', '=', type).execute();
    if (current.length > 0) {
      await trx
        .deleteFrom('taxable_taxonomies')
        .where('taxable_type', '=', 'User')
        .where('taxable_id', '=', userId)
        .where(
          'taxonomy_id',
          'in',
          current.map((c) => c.id),
        )
        .execute();
    }
    for (const id of new Set(ids)) await trx.insertInto('taxable_taxonomies').values({ taxonomy_id: id, taxable_type: 'User', taxable_id: userId }).execute();
  }
}

/** The queries of users over one database. */
export class UserStore {
  private readonly db: Kysely<Database>;
  private readonly dialect: SearchDialect;

  /**
   * @param db - the database
   * @param dialect - its engine (locks on PostgreSQL)
   */
  constructor(db: Kysely<Database>, dialect: SearchDialect) {
    this.db = db;
    this.dialect = dialect;
  }

  /** A page of users; `onlyId` limits the list to one user (a caller who may see only themselves). */
  list(params: ListParams, user: SearchUser | null, onlyId: number | null): Promise<UserList> {
    const all = this.db.selectFrom('users');
    return listResource({
      params,
      base: onlyId === null ? all : all.where('users.id', '=', onlyId),
      search: (text) => compileUserSearch(text, this.dialect, user),
      orderColumns: { login: 'users.login', id: 'users.id', firstname: 'users.firstname', lastname: 'users.lastname', mail: 'users.mail' },
      defaultOrder: 'login',
      tiebreak: ['users.id'],
      select: (q) => q.selectAll(),
      serialize: async (rows) => withRoles(this.db, rows.map(showUser)),
    });
  }

  /** Finds a user by id or login. */
  find(ref: string): Promise<UserRow> {
    return findUser(this.db, ref);
  }

  /** Creates a user (422 when the login is taken). */
  async create(changes: UserChanges & { login: string; password_hash: string }, roleIds?: readonly number[], taxonomies: UserTaxonomyChanges = {}): Promise<User> {
    const row = await this.db.transaction().execute(async (trx) => {
      await loginFree(trx, changes.login);
      const now = nowIso();
      const { admin, ...rest } = changes;
      const created = await trx
        .insertInto('users')
        .values({ ...rest, admin: flag(admin), auth_source: 'internal', created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (roleIds !== undefined) await setUserRoles(trx, created.id, roleIds);
      await placeUser(trx, created.id, changes, taxonomies);
      return created;
    });
    return (await withRoles(this.db, [showUser(row)]))[0]!;
  }

  /** User `ref` as the API shows it, with its roles. */
  async show(ref: string): Promise<User> {
    return (await withRoles(this.db, [showUser(await this.find(ref))]))[0]!;
  }

  /**
   * Updates user `id` with `changes` (422 for a taken login or the last admin's demotion).
   * `keepSessionId` survives when the password changes (every other session of the user ends).
   */
  async update(id: number, changes: UserChanges, keepSessionId: number | null, roleIds?: readonly number[], taxonomies: UserTaxonomyChanges = {}): Promise<User> {
    const row = await this.db.transaction().execute(async (trx) => {
      const u = await findUser(trx, String(id));
      if (changes.login !== undefined && changes.login !== u.login) await loginFree(trx, changes.login);
      if (changes.admin === false && isSet(u.admin)) await keepAnAdmin(trx, this.dialect, u.id, 'demote');
      const { admin, ...rest } = changes;
      const updated = await trx
        .updateTable('users')
        .set({ ...rest, ...(admin === undefined ? {} : { admin: flag(admin) }), updated_at: nowIso() })
        .where('id', '=', u.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (changes.password_hash !== undefined) {
        let sessions = trx.deleteFrom('user_sessions').where('user_id', '=', u.id);
        if (keepSessionId !== null) sessions = sessions.where('id', '!=', keepSessionId);
        await sessions.execute();
      }
      if (roleIds !== undefined) await setUserRoles(trx, u.id, roleIds);
      await placeUser(trx, u.id, changes, taxonomies);
      return updated;
    });
    return (await withRoles(this.db, [showUser(row)]))[0]!;
  }

  /** Deletes user `id` (422 for the last admin); its tokens and sessions go, its jobs stay ownerless. */
  delete(id: number): Promise<User> {
    return this.db.transaction().execute(async (trx) => {
      const u = await findUser(trx, String(id));
      if (isSet(u.admin)) await keepAnAdmin(trx, this.dialect, u.id, 'delete');
      await trx.updateTable('job_invocations').set({ user_id: null }).where('user_id', '=', u.id).execute();
      await trx.deleteFrom('personal_access_tokens').where('user_id', '=', u.id).execute();
      await trx.deleteFrom('user_sessions').where('user_id', '=', u.id).execute();
      // Explicitly: SQLite does not always enforce the foreign key's cascade.
      await trx.deleteFrom('user_roles').where('user_id', '=', u.id).execute();
      await trx.deleteFrom('users').where('id', '=', u.id).execute();
      return showUser(u);
    });
  }

  /** Records a login (`last_login_at`). */
  async recordLogin(id: number, at: string): Promise<void> {
    await this.db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
  }
}
