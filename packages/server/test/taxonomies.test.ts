/**
 * @module
 * Organizations and locations (ADR 0023) on SQLite and PostgreSQL: CRUD with nesting and
 * membership, bad input, and the scoping of a user placed in one organization — lists, totals,
 * search, autocompletion, shows and job targets see nothing of the other organization; records
 * in no organization and those of sub-organizations stay visible.
 */
import type { Dialect } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { createUser, openServerStore } from './authz-helpers.ts';
import { templateId } from './fleet-stack.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

describe.each(DIALECTS)('organizations and locations (%s)', (dialect) => {
  let t: TestServer;
  let store: Store;
  const ids: Record<string, number> = {};

  const create = async (path: string, key: string, body: Record<string, unknown>) => {
    const r = await t.api('POST', path, { [key]: body });
    expect(r.status, r.text).toBe(201);
    return r.body.id as number;
  };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    store = openServerStore(t);
    ids.orgA = await create('/api/organizations', 'organization', { name: 'Org A' });
    ids.orgB = await create('/api/organizations', 'organization', { name: 'Org B' });
    ids.orgA1 = await create('/api/organizations', 'organization', { name: 'Team 1', parent_id: ids.orgA });
    ids.loc = await create('/api/locations', 'location', { name: 'Berlin' });
    ids.gA = await create('/api/hostgroups', 'hostgroup', { name: 'web-a' });
    ids.gB = await create('/api/hostgroups', 'hostgroup', { name: 'web-b' });
    for (const [name, org] of [['a1.example.com', ids.orgA], ['a2.example.com', ids.orgA1], ['b1.example.com', ids.orgB], ['b2.example.com', ids.orgB], ['free.example.com', null]] as const) {
      const hostgroup = name.startsWith('b') ? ids.gB : ids.gA;
      expect((await t.api('POST', '/api/hosts', { host: { name, ip: '192.0.2.10', organization_id: org, location_id: ids.loc, hostgroup_id: hostgroup } })).status).toBe(201);
    }
    expect((await t.api('PUT', `/api/organizations/${ids.orgA}`, { organization: { hostgroup_ids: [ids.gA] } })).status).toBe(200);
    expect((await t.api('PUT', `/api/organizations/${ids.orgB}`, { organization: { hostgroup_ids: [ids.gB] } })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await store?.destroy();
    await t?.stop();
  });

  it('nests, titles, counts hosts and keeps memberships; refuses bad input with a message naming it', async () => {
    const child = await t.api('GET', `/api/organizations/${ids.orgA1}`);
    expect(child.body).toMatchObject({ name: 'Team 1', title: 'Org A/Team 1', parent_id: ids.orgA, ancestry: String(ids.orgA), hosts_count: 1 });
    expect((await t.api('GET', `/api/organizations/${ids.orgA}`)).body).toMatchObject({ hostgroup_ids: [ids.gA], hosts_count: 1 });
    const renamed = await t.api('PUT', `/api/organizations/${ids.orgA}`, { organization: { name: 'Org Alpha' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await t.api('GET', `/api/organizations/${ids.orgA1}`)).body.title).toBe('Org Alpha/Team 1');
    const list = await t.api('GET', `/api/organizations?search=${encodeURIComponent('title ~ "Org Alpha*"')}`);
    expect(list.body.results.map((o: { title: string }) => o.title)).toEqual(['Org Alpha', 'Org Alpha/Team 1']);

    const slash = await t.api('POST', '/api/organizations', { organization: { name: 'a/b' } });
    expect(slash.status).toBe(422);
    expect(slash.body.error.message).toMatch(/must not contain '\/'/);
    const duplicate = await t.api('POST', '/api/organizations', { organization: { name: 'Org B' } });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.error.message).toBe("Name has already been taken: organization 'Org B' exists");
    const unknownGroup = await t.api('PUT', `/api/organizations/${ids.orgB}`, { organization: { hostgroup_ids: [ids.gB, 99999] } });
    expect(unknownGroup.status).toBe(422);
    expect(unknownGroup.body.error.message).toContain('hostgroup_ids: no hostgroups with id 99999');
    expect((await t.api('GET', `/api/organizations/${ids.orgB}`)).body.hostgroup_ids).toEqual([ids.gB]);
    const parentMissing = await t.api('POST', '/api/locations', { location: { name: 'Nowhere', parent_id: 99999 } });
    expect(parentMissing.status).toBe(422);
    const badHost = await t.api('POST', '/api/hosts', { host: { name: 'x.example.com', organization_id: ids.loc } });
    expect(badHost.status).toBe(422);
    expect(badHost.body.error.message).toBe(`Organization ${ids.loc} does not exist`);
    expect((await t.api('DELETE', `/api/organizations/${ids.orgA}`)).status).toBe(422);
    const audits = await t.api('GET', `/api/audits?search=${encodeURIComponent('type = organization')}`);
    expect(audits.body.results.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['create', 'update']));
    expect((await t.api('PUT', `/api/organizations/${ids.orgA}`, { organization: { name: 'Org A' } })).status).toBe(200);
  });

  it("scopes a user placed in one organization: nothing of the other in lists, totals, searches, completions, shows or job targets", async () => {
    const alice = await createUser(t, store, `alice-${dialect}`, ['Viewer', 'Remote Execution User']);
    expect((await t.api('PUT', `/api/organizations/${ids.orgA}`, { organization: { user_ids: [alice.id] } })).status).toBe(200);

    const hosts = await alice.api('GET', '/api/hosts?per_page=100');
    expect(hosts.status, hosts.text).toBe(200);
    expect(hosts.body.results.map((h: { name: string }) => h.name).sort()).toEqual(['a1.example.com', 'a2.example.com', 'free.example.com']);
    expect(hosts.body).toMatchObject({ total: 3, subtotal: 3 });
    const searched = await alice.api('GET', `/api/hosts?search=${encodeURIComponent('name ~ b*')}`);
    expect(searched.body).toMatchObject({ total: 3, subtotal: 0 });
    expect((await alice.api('GET', '/api/hosts/b1.example.com')).status).toBe(404);
    expect((await alice.api('GET', '/api/hosts/a2.example.com')).status).toBe(200);
    const groups = await alice.api('GET', '/api/hostgroups');
    expect(groups.body.results.map((g: { name: string }) => g.name)).toEqual(['web-a']);
    const completions = await alice.api('GET', `/api/hosts/auto_complete_search?search=${encodeURIComponent('hostgroup = ')}`);
    const completed = JSON.stringify(completions.body);
    expect(completed).not.toContain('web-b');
    // An admin sees everything.
    expect((await t.api('GET', '/api/hosts?per_page=100')).body.total).toBeGreaterThanOrEqual(5);

    // Job targets resolve only the hosts the user may see.
    const job = await alice.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(t, 'Run Command - Script Default'), search_query: 'name ~ *', inputs: { command: 'true' } },
    });
    expect(job.status, job.text).toBe(201);
    const targets = await t.api('GET', `/api/job_invocations/${job.body.id as number}/hosts?per_page=100`);
    expect(targets.body.results.map((h: { name: string }) => h.name).sort()).toEqual(['a1.example.com', 'a2.example.com', 'free.example.com']);

    // Out of the organization again: the user sees everything their roles allow.
    expect((await t.api('PUT', `/api/organizations/${ids.orgA}`, { organization: { user_ids: [] } })).status).toBe(200);
    expect((await alice.api('GET', '/api/hosts?per_page=100')).body.total).toBeGreaterThanOrEqual(5);
  });

  it('narrows lists to a taxonomy context (?organization_id=, ?location_id=), totals included', async () => {
    const inB = await t.api('GET', `/api/hosts?organization_id=${ids.orgB}&per_page=100`);
    expect(inB.status, inB.text).toBe(200);
    expect(inB.body.results.map((h: { name: string }) => h.name).sort()).toEqual(['b1.example.com', 'b2.example.com', 'free.example.com']);
    expect(inB.body.total).toBe(3);
    expect((await t.api('GET', `/api/hostgroups?organization_id=${ids.orgB}`)).body.results.map((g: { name: string }) => g.name)).toEqual(['web-b']);
    const bad = await t.api('GET', '/api/hosts?organization_id=abc');
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('organization_id');
  });

  it('places users through the users API too (admins only), and checks their default taxonomies', async () => {
    const bob = await createUser(t, store, `bob-${dialect}`, ['Viewer']);
    const placed = await t.api('PUT', `/api/users/${bob.id}`, { user: { organization_ids: [ids.orgB], location_ids: [ids.loc], default_organization_id: ids.orgB } });
    expect(placed.status, placed.text).toBe(200);
    expect(placed.body).toMatchObject({ organization_ids: [ids.orgB], location_ids: [ids.loc], default_organization_id: ids.orgB });
    expect((await t.api('GET', `/api/organizations/${ids.orgB}`)).body.user_ids).toContain(bob.id);
    expect(((await bob.api('GET', '/api/hosts?per_page=100')).body.results as Array<{ name: string }>).map((h) => h.name).sort()).toEqual(['b1.example.com', 'b2.example.com', 'free.example.com']);
    const unknown = await t.api('PUT', `/api/users/${bob.id}`, { user: { default_location_id: 99999 } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toBe('default_location_id: location 99999 does not exist');

    // A user manager who is not an admin cannot take anyone (themselves included) out of their scope.
    const carol = await createUser(t, store, `carol-${dialect}`, ['Manager']);
    const self = await carol.api('PUT', `/api/users/${carol.id}`, { user: { organization_ids: [] } });
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/Only administrators may set organization_ids/);
    const viaOrg = await carol.api('PUT', `/api/organizations/${ids.orgB}`, { organization: { user_ids: [] } });
    expect(viaOrg.status).toBe(403);
    expect((await t.api('GET', `/api/organizations/${ids.orgB}`)).body.user_ids).toContain(bob.id);
    expect((await carol.api('PUT', `/api/organizations/${ids.orgB}`, { organization: { description: 'B team' } })).status).toBe(200);
  });

  it('deleting an organization leaves its hosts in none', async () => {
    const temp = await create('/api/organizations', 'organization', { name: 'Temporary' });
    expect((await t.api('PUT', '/api/hosts/free.example.com', { host: { organization_id: temp } })).status).toBe(200);
    expect((await t.api('DELETE', `/api/organizations/${temp}`)).status).toBe(200);
    expect((await t.api('GET', '/api/hosts/free.example.com')).body.organization_id).toBeNull();
  });
});
