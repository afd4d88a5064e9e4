/**
 * @module
 * The role store on SQLite and PostgreSQL: built-in roles seeded idempotently (and repaired),
 * a user's roles listed and replaced, grants loaded through all roles, unknown roles refused.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BUILTIN_ROLES } from '../src/authz/builtin-roles.ts';
import { loadGrants, reach } from '../src/authz/grants.ts';
import { findRole, insertFilter, replaceUserRoles, seedBuiltinRoles, userRoleIds } from '../src/authz/role-store.ts';
import { nowIso } from '../src/db/time.ts';
import type { TestStore } from './test-store.ts';
import { openTestStore } from './test-store.ts';

describe.each(DIALECTS)('role store (%s)', (dialect) => {
  let s: TestStore;
  let userId: number;
  beforeAll(async () => {
    s = await openTestStore(dialect);
    userId = (await s.store.db.insertInto('users').values({ login: 'u', password_hash: 'x', admin: 0, created_at: nowIso() }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('seeds the built-in roles once and repairs their filters', async () => {
    await seedBuiltinRoles(s.store.db);
    const count = async () => (await s.store.db.selectFrom('filters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const filters = Number(await count());
    await seedBuiltinRoles(s.store.db);
    expect(Number(await count())).toBe(filters);
    expect(await s.store.db.selectFrom('roles').select('name').where('builtin', '=', 1).orderBy('name').execute()).toEqual(BUILTIN_ROLES.map((r) => ({ name: r.name })).sort((a, b) => a.name.localeCompare(b.name)));
    const viewer = await findRole(s.store.db, 'Viewer');
    await s.store.db.deleteFrom('filter_permissions').where('filter_id', 'in', s.store.db.selectFrom('filters').select('id').where('role_id', '=', viewer.id)).execute();
    await s.store.db.deleteFrom('filters').where('role_id', '=', viewer.id).execute();
    await seedBuiltinRoles(s.store.db);
    expect(Number(await count())).toBe(filters);
  });

  it('lists and replaces a user\'s roles; grants come through every role, OR-ed', async () => {
    const now = nowIso();
    const role = await s.store.db.insertInto('roles').values({ name: 'staging', builtin: 0, description: null, origin: null, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
    await insertFilter(s.store.db, role.id, 'Host', ['view_hosts'], 'name ~ *.staging.example.com');
    await insertFilter(s.store.db, role.id, 'Host', ['view_hosts', 'edit_hosts'], 'name = a.example.com');
    const rex = await findRole(s.store.db, 'Remote Execution User');
    await replaceUserRoles(s.store.db, userId, [role.id]);
    expect(await userRoleIds(s.store.db, userId)).toEqual([role.id]);
    let grants = await loadGrants(s.store.db, userId);
    expect([...(reach(grants, 'view_hosts') as string[])].sort()).toEqual(['name = a.example.com', 'name ~ *.staging.example.com']);
    expect(reach(grants, 'create_job_invocations')).toBe('none');
    await replaceUserRoles(s.store.db, userId, [role.id, rex.id, rex.id]);
    expect(await userRoleIds(s.store.db, userId)).toEqual([role.id, rex.id].sort((a, b) => a - b));
    grants = await loadGrants(s.store.db, userId);
    expect(reach(grants, 'view_hosts')).toBe('all');
    await expect(replaceUserRoles(s.store.db, userId, [rex.id, 987_654])).rejects.toThrow(/987654/);
    expect(await userRoleIds(s.store.db, userId)).toEqual([role.id, rex.id].sort((a, b) => a - b));
    await replaceUserRoles(s.store.db, userId, []);
    expect(await userRoleIds(s.store.db, userId)).toEqual([]);
  });
});
