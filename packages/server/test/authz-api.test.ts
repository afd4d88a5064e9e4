/**
 * @module
 * Permissions, roles and filters through the API (ADR 0011), on SQLite and PostgreSQL: the
 * permission matrix (each built-in role × each route of the real route table), a custom role
 * scoped by a search (totals, pages, 404 for invisible records, 403 for visible but not
 * editable ones), no stale grants after a revoke, own-jobs-only for the REX user, and bad input.
 */
import type { Dialect } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BUILTIN_ROLES } from '../src/authz/builtin-roles.ts';
import { routePermission } from '../src/authz/route-permissions.ts';
import type { Store } from '../src/db/database.ts';
import type { TestUser } from './authz-helpers.ts';
import { createUser, openServerStore, setRoles } from './authz-helpers.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

/** Permission names a built-in role grants (any search). */
function granted(role: string): Set<string> {
  return new Set(BUILTIN_ROLES.find((r) => r.name === role)?.filters.flatMap((f) => f.permissions) ?? []);
}

/** A concrete path for a route pattern: parameters name a record that does not exist. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, '999999').replace(/\*/g, 'x');
}

describe.each(DIALECTS)('permissions, roles and filters (%s)', (dialect) => {
  let t: TestServer;
  let store: Store;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    store = openServerStore(t);
    for (const name of ['a.staging.example.com', 'b.staging.example.com', 'c.prod.example.com', 'd.prod.example.com']) {
      const r = await t.api('POST', '/api/hosts', { host: { name } });
      expect(r.status, r.text).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await store?.destroy();
    await t?.stop();
  });

  it('seeds the built-in roles once, locked, with their permission sets', async () => {
    const roles = await t.api('GET', '/api/roles?per_page=all');
    expect(roles.status, roles.text).toBe(200);
    const builtin = (roles.body.results as { name: string; builtin: boolean }[]).filter((r) => r.builtin).map((r) => r.name).sort();
    expect(builtin).toEqual(BUILTIN_ROLES.map((r) => r.name).sort());
    const user = await t.api('GET', `/api/roles/${encodeURIComponent('Remote Execution User')}`);
    const perms = (user.body.filters as { permissions: { name: string }[]; search: string | null }[]).flatMap((f) => f.permissions.map((p) => `${p.name}${f.search ? ` [${f.search}]` : ''}`));
    expect(perms).toContain('create_template_invocations');
    expect(perms).toContain('view_job_invocations [user = current_user]');
    expect(perms).not.toContain('cancel_job_invocations');
    const locked = await t.api('PUT', `/api/roles/${user.body.id}`, { role: { name: 'mine' } });
    expect(locked.status).toBe(422);
    expect((await t.api('DELETE', `/api/roles/${user.body.id}`)).status).toBe(422);
    const filterId = (user.body.filters as { id: number }[])[0]!.id;
    expect((await t.api('DELETE', `/api/filters/${filterId}`)).status).toBe(422);
  });

  it('lists the permission catalog with search', async () => {
    const all = await t.api('GET', '/api/permissions?per_page=all');
    expect(all.status, all.text).toBe(200);
    expect((all.body.results as { name: string }[]).map((p) => p.name)).toContain('execute_jobs_on_infrastructure_hosts');
    const rex = await t.api('GET', `/api/permissions?search=${encodeURIComponent('resource_type = TemplateInvocation')}`);
    expect((rex.body.results as { name: string }[]).map((p) => p.name).sort()).toEqual(['create_template_invocations', 'view_template_invocations']);
    expect(rex.body.subtotal).toBe(2);
  });

  it('allows and denies every route for each built-in role as the catalog says (permission matrix)', async () => {
    const users: { role: string | null; user: TestUser }[] = [];
    for (const role of [...BUILTIN_ROLES.map((r) => r.name), null]) {
      users.push({ role, user: await createUser(t, store, `matrix-${(role ?? 'none').replace(/ /g, '-').toLowerCase()}`, role === null ? [] : [role]) });
    }
    const routes = t.server.routes.filter((r) => r.access.auth === 'user' && r.method !== 'HEAD');
    const failures: string[] = [];
    let checks = 0;
    for (const { role, user } of users) {
      const grants = role === null ? new Set<string>() : granted(role);
      for (let i = 0; i < routes.length; i += 8) {
        await Promise.all(
          routes.slice(i, i + 8).map(async (r) => {
            const permission = routePermission(`${r.method} ${r.url}`);
            expect(r.access.permission).toBe(permission);
            const allowed = permission === null || permission === undefined || grants.has(permission);
            const res = await user.api(r.method, concrete(r.url), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
            checks += 1;
            const denied = res.status === 403;
            if (denied === allowed) failures.push(`${role ?? 'no role'}: ${r.method} ${r.url} → ${res.status} (${permission ?? 'any user'} ${allowed ? 'granted' : 'not granted'})`);
            if (denied && permission) expect(res.body.error.message).toBe(`Missing one of the required permissions: ${permission}`);
          }),
        );
      }
    }
    expect(checks).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 300_000);

  it('scopes lists, shows and edits by the filter searches of a custom role', async () => {
    const role = await t.api('POST', '/api/roles', { role: { name: 'Staging hosts', description: 'staging only' } });
    expect(role.status, role.text).toBe(201);
    const view = await t.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions: ['view_hosts'], search: 'name ~ *.staging.example.com' } });
    expect(view.status, view.text).toBe(201);
    expect(view.body).toMatchObject({ resource_type: 'Host', unlimited: false, role: { name: 'Staging hosts' } });
    const edit = await t.api('POST', '/api/filters', { filter: { role_id: role.body.id, permission_ids: ['edit_hosts'], search: 'name = a.staging.example.com' } });
    expect(edit.status, edit.text).toBe(201);
    const user = await createUser(t, store, 'staging-viewer', ['Staging hosts']);

    const list = await user.api('GET', '/api/hosts?per_page=1&page=2');
    expect(list.status, list.text).toBe(200);
    expect(list.body).toMatchObject({ total: 2, subtotal: 2, page: 2, per_page: 1 });
    expect(list.body.results.map((h: { name: string }) => h.name)).toEqual(['b.staging.example.com']);
    const searched = await user.api('GET', `/api/hosts?search=${encodeURIComponent('name ~ b.*')}`);
    expect(searched.body).toMatchObject({ total: 2, subtotal: 1 });
    const prod = await user.api('GET', `/api/hosts?search=${encodeURIComponent('name ~ *.prod.example.com')}`);
    expect(prod.body).toMatchObject({ total: 2, subtotal: 0, results: [] });

    expect((await user.api('GET', '/api/hosts/b.staging.example.com')).status).toBe(200);
    const hidden = await user.api('GET', '/api/hosts/c.prod.example.com');
    expect(hidden.status).toBe(404);
    expect((await user.api('GET', '/api/hosts/c.prod.example.com/facts')).status).toBe(404);
    const notEditable = await user.api('PUT', '/api/hosts/b.staging.example.com', { host: { comment: 'x' } });
    expect(notEditable.status).toBe(403);
    expect(notEditable.body.error.message).toBe('Missing one of the required permissions: edit_hosts');
    expect((await user.api('PUT', '/api/hosts/c.prod.example.com', { host: { comment: 'x' } })).status).toBe(404);
    expect((await user.api('PUT', '/api/hosts/a.staging.example.com', {})).status).not.toBe(403);
    expect((await user.api('DELETE', '/api/hosts/a.staging.example.com')).status).toBe(403);
    // A bulk import could change hosts outside the filters: it needs the permissions unlimited.
    expect((await t.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions: ['create_hosts'] } })).status).toBe(201);
    const imported = await user.api('POST', '/api/hosts/import', { hosts: [{ name: 'c.prod.example.com', ip: '192.0.2.66' }] });
    expect(imported.status).toBe(403);
    expect(imported.body.error.message).toContain('edit_hosts (without a search limit');
    expect((await t.api('GET', '/api/hosts')).body.total).toBe(4);
    const suggest = async (who: { api: TestServer['api'] }) =>
      ((await who.api('GET', `/api/hosts/auto_complete_search?search=${encodeURIComponent('name = ')}`)).body as { category: string; part: string }[]).filter((x) => x.category === 'value').map((x) => x.part);
    expect(await suggest(user)).toEqual(['a.staging.example.com', 'b.staging.example.com']);
    expect(await suggest(t)).toHaveLength(4);

    // Targeting resolves only the hosts the user may view.
    const runner = await t.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions: ['create_job_invocations', 'view_job_invocations'] } });
    expect(runner.status, runner.text).toBe(201);
    expect((await t.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions: ['view_job_templates'], search: 'name = "Run Command - Script Default"' } })).status).toBe(201);
    expect((await user.api('GET', '/api/job_templates')).body).toMatchObject({ total: 1, results: [{ name: 'Run Command - Script Default' }] });
    const service = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Service Action - Script Default"')}`);
    const hiddenTemplate = await user.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: service.body.results[0].id, search_query: 'name ~ *', inputs: { action: 'status', service: 'sshd' } } });
    expect(hiddenTemplate.status).toBe(404);
    const tpl = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    const job = await user.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: tpl.body.results[0].id, search_query: 'name ~ *', inputs: { command: 'true' }, scheduling: { start_at: '2099-01-01T00:00:00Z' } },
    });
    expect(job.status, job.text).toBe(201);
    const hosts = await user.api('GET', `/api/job_invocations/${job.body.id}/hosts`);
    expect(hosts.body.results.map((h: { name: string }) => h.name).sort()).toEqual(['a.staging.example.com', 'b.staging.example.com']);
    const none = await user.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: tpl.body.results[0].id, search_query: 'name = c.prod.example.com', inputs: { command: 'true' } } });
    expect(none.status).toBe(422);

    // A grant revoked is gone at the next request (no cache to go stale).
    await setRoles(store, user.id, []);
    expect((await user.api('GET', '/api/hosts')).status).toBe(403);
    await setRoles(store, user.id, ['Staging hosts']);
    // Deleting a role in use is allowed: its users lose it.
    expect((await t.api('DELETE', `/api/roles/${role.body.id}`)).status).toBe(200);
    expect((await user.api('GET', '/api/hosts')).status).toBe(403);
    expect(await store.db.selectFrom('user_roles').selectAll().where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('judges a create or update by the record after the change against the filter search, changing nothing when refused', async () => {
    const role = await t.api('POST', '/api/roles', { role: { name: 'Web hosts editor' } });
    expect(role.status, role.text).toBe(201);
    for (const [permissions, search] of [
      [['view_hosts'], null],
      [['edit_hosts', 'create_hosts'], 'name ~ web*'],
      [['view_hostgroups'], null],
      [['create_hostgroups', 'edit_hostgroups'], 'name ~ web*'],
    ] as const) {
      const f = await t.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions, ...(search === null ? {} : { search }) } });
      expect(f.status, f.text).toBe(201);
    }
    const user = await createUser(t, store, 'web-editor', ['Web hosts editor']);
    expect((await t.api('POST', '/api/hosts', { host: { name: 'web1.example.com' } })).status).toBe(201);

    // Renaming web1 out of the filter is refused and changes nothing; a rename within it passes.
    const out = await user.api('PUT', '/api/hosts/web1.example.com', { host: { name: 'db1.example.com', comment: 'moved' } });
    expect(out.status, out.text).toBe(403);
    expect(out.body.error.message).toBe('Missing one of the required permissions: edit_hosts (the Host as this request would leave it is outside the search of your filters)');
    const kept = await t.api('GET', '/api/hosts/web1.example.com');
    expect(kept.status).toBe(200);
    expect(kept.body.comment ?? null).toBeNull();
    expect((await t.api('GET', '/api/hosts/db1.example.com')).status).toBe(404);
    expect((await user.api('PUT', '/api/hosts/web1.example.com', { host: { name: 'web2.example.com' } })).status).toBe(200);

    // Creating outside the filter is refused and leaves no host (nor its parameters) behind.
    const created = await user.api('POST', '/api/hosts', { host: { name: 'db9.example.com', host_parameters_attributes: [{ name: 'p', value: 'v' }] } });
    expect(created.status).toBe(403);
    expect(created.body.error.message).toContain('create_hosts (the Host as this request would leave it');
    expect((await t.api('GET', '/api/hosts/db9.example.com')).status).toBe(404);
    const orphans = await store.db.selectFrom('parameters').select('id').where('scope', '=', 'host').where('name', '=', 'p').execute();
    expect(orphans).toEqual([]);
    expect((await user.api('POST', '/api/hosts', { host: { name: 'web9.example.com' } })).status).toBe(201);

    // The same for host groups.
    expect((await user.api('POST', '/api/hostgroups', { hostgroup: { name: 'db-servers' } })).status).toBe(403);
    expect((await t.api('GET', '/api/hostgroups?search=name%3Ddb-servers')).body.subtotal).toBe(0);
    const group = await user.api('POST', '/api/hostgroups', { hostgroup: { name: 'web-servers' } });
    expect(group.status, group.text).toBe(201);
    expect((await user.api('PUT', `/api/hostgroups/${group.body.id}`, { hostgroup: { name: 'db-servers' } })).status).toBe(403);
    expect((await t.api('GET', `/api/hostgroups/${group.body.id}`)).body.name).toBe('web-servers');
    for (const name of ['web2.example.com', 'web9.example.com']) expect((await t.api('DELETE', `/api/hosts/${name}`)).status).toBe(200);

    // And for job templates: a rename out of `name ~ "Team *"` is refused.
    const templates = await t.api('POST', '/api/roles', { role: { name: 'Team templates' } });
    for (const [permissions, search] of [
      [['view_job_templates'], null],
      [['create_job_templates', 'edit_job_templates'], 'name ~ "Team *"'],
    ] as const) {
      expect((await t.api('POST', '/api/filters', { filter: { role_id: templates.body.id, permissions, ...(search === null ? {} : { search }) } })).status).toBe(201);
    }
    const author = await createUser(t, store, 'team-author', ['Team templates']);
    const body = (name: string) => ({ job_template: { name, template: 'echo hi', job_category: 'Commands', provider_type: 'script' } });
    expect((await author.api('POST', '/api/job_templates', body('Other thing'))).status).toBe(403);
    const mine = await author.api('POST', '/api/job_templates', body('Team thing'));
    expect(mine.status, mine.text).toBe(201);
    expect((await author.api('PUT', `/api/job_templates/${mine.body.id}`, { job_template: { name: 'Other thing' } })).status).toBe(403);
    expect((await t.api('GET', `/api/job_templates/${mine.body.id}`)).body.name).toBe('Team thing');
    expect((await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Other thing"')}`)).body.subtotal).toBe(0);
  });

  it('clones a built-in role with its filters into an editable role', async () => {
    const clone = await t.api('POST', `/api/roles/${encodeURIComponent('Remote Execution User')}/clone`, { role: { name: 'REX staging' } });
    expect(clone.status, clone.text).toBe(201);
    expect(clone.body).toMatchObject({ builtin: false, locked: false });
    const detail = await t.api('GET', `/api/roles/${clone.body.id}`);
    const source = await t.api('GET', `/api/roles/${encodeURIComponent('Remote Execution User')}`);
    const shape = (r: { filters: { resource_type: string; search: string | null; permissions: { name: string }[] }[] }) => r.filters.map((f) => [f.resource_type, f.search, f.permissions.map((p) => p.name)]);
    expect(shape(detail.body)).toEqual(shape(source.body));
    const filterId = (detail.body.filters as { id: number; resource_type: string }[]).find((f) => f.resource_type === 'TemplateInvocation')!.id;
    const narrowed = await t.api('PUT', `/api/filters/${filterId}`, { filter: { search: 'name = "Run Command - Script Default" and host.name ~ *.staging.example.com' } });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.body.search).toBe('name = "Run Command - Script Default" and host.name ~ *.staging.example.com');
    const listed = await t.api('GET', `/api/filters?search=${encodeURIComponent(`role_id = ${clone.body.id as number} and permission = create_template_invocations`)}`);
    expect(listed.body.subtotal).toBe(1);
    expect((await t.api('PUT', `/api/roles/${clone.body.id}`, { role: { name: 'REX staging 2' } })).status).toBe(200);
    expect((await t.api('POST', '/api/roles', { role: { name: 'REX staging 2' } })).status).toBe(422);
  });

  it('shows a REX user only their own job invocations', async () => {
    const tpl = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    const templateId = tpl.body.results[0].id as number;
    const job = (who: { api: TestServer['api'] }) =>
      who.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, search_query: 'name = a.staging.example.com', inputs: { command: 'true' }, scheduling: { start_at: '2099-01-01T00:00:00Z' } } });
    const alice = await createUser(t, store, 'rex-alice', ['Remote Execution User']);
    const bob = await createUser(t, store, 'rex-bob', ['Remote Execution User']);
    const a = await job(alice);
    expect(a.status, a.text).toBe(201);
    const b = await job(bob);
    expect(b.status, b.text).toBe(201);
    const mine = await alice.api('GET', '/api/job_invocations');
    expect(mine.body.total).toBe(1);
    expect(mine.body.results.map((j: { id: number }) => j.id)).toEqual([a.body.id]);
    expect((await alice.api('GET', `/api/job_invocations/${b.body.id}`)).status).toBe(404);
    expect((await alice.api('GET', `/api/job_invocations/${a.body.id}`)).status).toBe(200);
    expect((await alice.api('POST', `/api/job_invocations/${a.body.id}/cancel`)).status).toBe(403);
    const manager = await createUser(t, store, 'rex-manager', ['Remote Execution Manager']);
    expect((await manager.api('GET', '/api/job_invocations')).body.total).toBeGreaterThanOrEqual(2);
    expect((await manager.api('POST', `/api/job_invocations/${b.body.id}/cancel`)).status).toBe(200);
  });

  it('lets a non-admin grant only permissions they hold without limit (no escalation)', async () => {
    const orgAdmin = await createUser(t, store, 'org-admin', ['Organization admin']);
    const role = await orgAdmin.api('POST', '/api/roles', { role: { name: 'Delegated' } });
    expect(role.status, role.text).toBe(201);
    const ok = await orgAdmin.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions: ['view_hosts'] } });
    expect(ok.status, ok.text).toBe(201);
    const settings = await orgAdmin.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions: ['edit_settings'] } });
    expect(settings.status).toBe(403);
    expect(settings.body.error.message).toContain('edit_settings');
    const widened = await orgAdmin.api('PUT', `/api/filters/${ok.body.id}`, { filter: { permissions: ['execute_jobs_on_infrastructure_hosts'] } });
    expect(widened.status).toBe(403);
  });

  it('refuses bad filters with 422 naming the problem', async () => {
    const role = await t.api('POST', '/api/roles', { role: { name: 'Bad input' } });
    const post = (filter: Record<string, unknown>) => t.api('POST', '/api/filters', { filter: { role_id: role.body.id, ...filter } });
    const unknown = await post({ permissions: ['view_hosts', 'launch_rockets'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain("'launch_rockets'");
    const unknownId = await post({ permission_ids: [99_999] });
    expect(unknownId.status).toBe(422);
    expect(unknownId.body.error.message).toContain("'99999'");
    const type = await post({ permissions: ['view_hosts'], resource_type: 'Spaceship' });
    expect(type.status).toBe(422);
    expect(type.body.error.message).toContain("'Spaceship'");
    const mixed = await post({ permissions: ['view_hosts', 'view_subnets'] });
    expect(mixed.status).toBe(422);
    expect(mixed.body.error.message).toContain('one resource type');
    const wrongType = await post({ permissions: ['view_hosts'], resource_type: 'Subnet' });
    expect(wrongType.status).toBe(422);
    const search = await post({ permissions: ['view_hosts'], search: 'colour = red' });
    expect(search.status).toBe(422);
    expect(search.body.error.message).toContain("Field 'colour' not recognized for searching!");
    const syntax = await post({ permissions: ['view_job_templates'], search: 'name = (' });
    expect(syntax.status).toBe(422);
    const noSearch = await post({ permissions: ['view_settings'], search: 'name = x' });
    expect(noSearch.status).toBe(422);
    expect((await post({ permissions: [] })).status).toBe(422);
    expect((await post({ permissions: ['view_hosts'], role_id: 999_999 })).status).toBe(422);
    const ok = await post({ permissions: ['view_job_templates'], search: 'name = "Run Command - Script Default"' });
    expect(ok.status, ok.text).toBe(201);
    expect((await t.api('PUT', `/api/filters/${ok.body.id}`, { filter: { permissions: ['view_settings'] } })).status).toBe(422);
    expect(await store.db.selectFrom('filters').select('id').where('role_id', '=', role.body.id as number).execute()).toHaveLength(1);
  });
});
