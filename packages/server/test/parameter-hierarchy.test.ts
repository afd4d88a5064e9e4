/**
 * @module
 * The parameter hierarchy in Foreman's order — global → organization (nearest ancestor) →
 * location → domain → operating system → host group chain → host — on SQLite and PostgreSQL:
 * the host's effective value and its source (`all_parameters[].associated_type`) and the
 * `params.<name>` search agree at every level as the levels are removed one by one; a hidden
 * value shadows the levels below without ever matching a value search. Also domains: a host
 * takes its domain's name, a rename follows, a domain with hosts is not deleted.
 */
import type { Dialect } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

describe.each(DIALECTS)('parameter hierarchy (%s)', (dialect) => {
  let t: TestServer;
  const ids: Record<string, number> = {};
  const made = async (path: string, key: string, body: Record<string, unknown>) => {
    const r = await t.api('POST', path, { [key]: body });
    expect(r.status, r.text).toBe(201);
    return r.body.id as number;
  };
  const param = async (owner: string, value: string, hidden = false) => {
    const path = owner === 'global' ? '/api/common_parameters' : `${owner}/parameters`;
    const key = owner === 'global' ? 'common_parameter' : 'parameter';
    const r = await t.api('POST', path, { [key]: { name: 'tier', value, ...(hidden ? { hidden_value: true } : {}) } });
    expect(r.status, r.text).toBe(201);
  };
  const effective = async (host: string) => {
    const r = await t.api('GET', `/api/hosts/${host}`);
    expect(r.status, r.text).toBe(200);
    return (r.body.all_parameters as Array<{ name: string; value: string; associated_type: string }>).find((p) => p.name === 'tier');
  };
  const matching = async (value: string) =>
    ((await t.api('GET', `/api/hosts?per_page=100&search=${encodeURIComponent(`params.tier = ${value}`)}`)).body.results as Array<{ name: string }>).map((h) => h.name).sort();

  beforeAll(async () => {
    t = await startTestServer(dialect);
    ids.org = await made('/api/organizations', 'organization', { name: 'Corp' });
    ids.team = await made('/api/organizations', 'organization', { name: 'Team', parent_id: ids.org });
    ids.loc = await made('/api/locations', 'location', { name: 'Paris' });
    ids.domain = await made('/api/domains', 'domain', { name: 'corp.example.com', fullname: 'Corp network' });
    ids.os = await made('/api/operatingsystems', 'operatingsystem', { name: 'Debian', major: '12' });
    ids.group = await made('/api/hostgroups', 'hostgroup', { name: 'web' });
    const host = await t.api('POST', '/api/hosts', {
      host: { name: 'x.corp.example.com', organization_id: ids.team, location_id: ids.loc, domain_id: ids.domain, operatingsystem_id: ids.os, hostgroup_id: ids.group },
    });
    expect(host.status, host.text).toBe(201);
    expect(host.body).toMatchObject({ domain_id: ids.domain, domain_name: 'corp.example.com' });
    expect((await t.api('POST', '/api/hosts', { host: { name: 'y.example.com' } })).status).toBe(201);
    await param('global', 'g');
    await param(`/api/organizations/${ids.org}`, 'o');
    await param(`/api/locations/${ids.loc}`, 'l');
    await param(`/api/domains/${ids.domain}`, 'd');
    await param(`/api/operatingsystems/${ids.os}`, 'os');
    await param(`/api/hostgroups/${ids.group}`, 'hg');
    await param('/api/hosts/x.corp.example.com', 'h');
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('resolves and searches each level, nearest first, as the levels are removed one by one', async () => {
    const levels: Array<[string, string, string]> = [
      ['/api/hosts/x.corp.example.com', 'h', 'host'],
      [`/api/hostgroups/${ids.group}`, 'hg', 'host group'],
      [`/api/operatingsystems/${ids.os}`, 'os', 'os'],
      [`/api/domains/${ids.domain}`, 'd', 'domain'],
      [`/api/locations/${ids.loc}`, 'l', 'location'],
      // The host is in Team, a child of Corp: Corp's value is inherited.
      [`/api/organizations/${ids.org}`, 'o', 'organization'],
    ];
    for (const [owner, value, source] of levels) {
      expect(await effective('x.corp.example.com')).toMatchObject({ value, associated_type: source });
      expect(await matching(value)).toEqual(['x.corp.example.com']);
      expect(await matching('g')).toEqual(['y.example.com']);
      const del = await t.api('DELETE', `${owner}/parameters/tier`);
      expect(del.status, del.text).toBe(200);
    }
    expect(await effective('x.corp.example.com')).toMatchObject({ value: 'g', associated_type: 'global' });
    expect(await matching('g')).toEqual(['x.corp.example.com', 'y.example.com']);
  });

  it('lets a hidden value at a middle level shadow global without matching a value search', async () => {
    await param(`/api/locations/${ids.loc}`, 'secret-l', true);
    expect(await effective('x.corp.example.com')).toMatchObject({ value: '*****', associated_type: 'location' });
    expect(await matching('secret-l')).toEqual([]);
    expect(await matching('g')).toEqual(['y.example.com']);
    const set = ((await t.api('GET', `/api/hosts?search=${encodeURIComponent('set? params.tier')}&per_page=100`)).body.results as Array<{ name: string }>).map((h) => h.name).sort();
    expect(set).toEqual(['x.corp.example.com', 'y.example.com']);
    expect((await t.api('DELETE', `/api/locations/${ids.loc}/parameters/tier`)).status).toBe(200);
  });

  it('renames a domain on its hosts and refuses to delete a domain with hosts', async () => {
    const renamed = await t.api('PUT', `/api/domains/${ids.domain}`, { domain: { name: 'corp.example.net' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'corp.example.net', hosts_count: 1 });
    expect((await t.api('GET', '/api/hosts/x.corp.example.com')).body.domain_name).toBe('corp.example.net');
    const refused = await t.api('DELETE', `/api/domains/${ids.domain}`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toBe('Domain corp.example.net has 1 host(s) and cannot be deleted');
    expect((await t.api('POST', '/api/domains', { domain: { name: 'bad domain' } })).status).toBe(422);
    expect((await t.api('POST', '/api/hosts', { host: { name: 'z.example.com', domain_id: 99999 } })).status).toBe(422);
    const found = await t.api('GET', `/api/domains?search=${encodeURIComponent('name ~ corp*')}`);
    expect(found.body.results.map((d: { name: string }) => d.name)).toEqual(['corp.example.net']);
  });
});
