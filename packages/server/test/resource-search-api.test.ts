/**
 * Issue 5 on the lists that used to take a hand-written name match: common, host and host
 * group parameters, operating systems, remote execution features, a host's facts, a template's
 * inputs, foreign input sets and revisions. Each is checked on both dialects for exact `=`,
 * `~` with `_` taken literally, a numeric comparison, unknown fields (422 in Foreman's words),
 * total vs subtotal, order/page/per_page, and its auto_complete_search; hidden values never
 * match.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const q = (s: string): string => encodeURIComponent(s);

describe.each(DIALECTS)('resource list search on %s', (dialect) => {
  let t: TestServer;
  let hostId: number;
  let groupId: number;
  let tplA: number;
  let tplB: number;

  /** GET a list; expects 200 and returns the body. */
  const list = async (path: string, search?: string, extra = ''): Promise<any> => {
    const sep = path.includes('?') ? '&' : '?';
    const perPage = extra.includes('per_page=') ? '' : 'per_page=all';
    const r = await t.api('GET', `${path}${sep}${perPage}${search === undefined ? '' : `&search=${q(search)}`}${extra}`);
    expect(r.status, `${path} ${search ?? ''}: ${r.text}`).toBe(200);
    return r.body;
  };
  const names = async (path: string, search?: string, extra = ''): Promise<string[]> =>
    ((await list(path, search, extra)).results as Array<{ name: string }>).map((r) => r.name);
  const ac = async (path: string, search: string): Promise<string[]> => {
    const r = await t.api('GET', `${path}/auto_complete_search?search=${q(search)}`);
    expect(r.status, `${path}: ${r.text}`).toBe(200);
    return (r.body as Array<{ completed: string }>).map((s) => s.completed.trim());
  };
  const created = async (path: string, body: unknown): Promise<any> => {
    const r = await t.api('POST', path, body);
    expect(r.status, `${path}: ${r.text}`).toBe(201);
    return r.body;
  };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    for (const [name, value, hidden] of [['remote', 'r1', false], ['remote_user', 'r2', false], ['remoteXuser', 'r3', false], ['api_token', 'tok-secret-1', true]] as const) {
      await created('/api/common_parameters', { common_parameter: { name, value, hidden_value: hidden } });
    }
    const os = [['Debian', '12', '', 'Debian'], ['Debian', '11', '', 'Debian'], ['RedHat', '9', '2', 'Redhat'], ['Foo_bar', '1', '', null], ['FooXbar', '1', '', null]] as const;
    const osIds: number[] = [];
    for (const [name, major, minor, family] of os) osIds.push((await created('/api/operatingsystems', { operatingsystem: { name, major, minor, family } })).id);
    groupId = (await created('/api/hostgroups', { hostgroup: { name: 'grp', group_parameters_attributes: [{ name: 'g_x', value: '1' }, { name: 'gYx', value: '2' }] } })).id;
    hostId = (
      await created('/api/hosts', {
        host: {
          name: 'h1.example.com',
          hostgroup_id: groupId,
          operatingsystem_id: osIds[0],
          host_parameters_attributes: [{ name: 'a_b', value: 'one' }, { name: 'aXb', value: 'two' }, { name: 'abc', value: 'three' }],
        },
      })
    ).id;
    await created(`/api/hosts/${hostId}/parameters`, { parameter: { name: 'pw', value: 'hunter2', hidden_value: true } });
    await created('/api/hosts/facts', { name: 'h1.example.com', facts: { a_b: 'x', aXb: 'y', memorysize_mb: 2048, cpus: 4, kernel: '6.1' } });
    await created('/api/hosts/facts', { name: 'h2.example.com', facts: { a_b: 'other host' } });
    tplA = (await created('/api/job_templates', { job_template: { name: 'Target A', job_category: 'Tests', provider_type: 'script', template: 'echo a' } })).id;
    const tplC = (await created('/api/job_templates', { job_template: { name: 'Target C', job_category: 'Tests', provider_type: 'script', template: 'echo c' } })).id;
    tplB = (await created('/api/job_templates', { job_template: { name: 'Borrower', job_category: 'Tests', provider_type: 'script', template: 'echo b' } })).id;
    const input = (name: string, extra: Record<string, unknown> = {}) => created(`/api/templates/${tplB}/template_inputs`, { template_input: { name, input_type: 'user', ...extra } });
    await input('a_b', { required: true });
    await input('aXb');
    await input('token', { hidden_value: true, default: 'sekrit-default' });
    await input('memo', { input_type: 'fact', fact_name: 'memorysize_mb' });
    await created(`/api/templates/${tplB}/foreign_input_sets`, { foreign_input_set: { target_template_id: tplA, include_all: true, description: 'all of a_b' } });
    await created(`/api/templates/${tplB}/foreign_input_sets`, { foreign_input_set: { target_template_id: tplC, include_all: false, include: '', description: 'none of c' } });
    for (const text of ['echo b2', 'echo b3']) {
      expect((await t.api('PUT', `/api/job_templates/${tplB}`, { job_template: { template: text } })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('common parameters: exact =, literal _, id comparison, total vs subtotal, hidden values never match', async () => {
    const all = await list('/api/common_parameters');
    expect(await names('/api/common_parameters', 'name = remote')).toEqual(['remote']);
    expect(await names('/api/common_parameters', 'name ~ remote_')).toEqual(['remote_user']);
    expect(await names('/api/common_parameters', 'name ~ _')).toEqual((all.results as Array<{ name: string }>).map((p) => p.name).filter((n) => n.includes('_')));
    expect(await names('/api/common_parameters', 'name ~ remote* and value = r3')).toEqual(['remoteXuser']);
    const some = await list('/api/common_parameters', 'id > 0');
    expect(some.subtotal).toBe(all.total);
    const one = await list('/api/common_parameters', 'name = remote');
    expect({ total: one.total, subtotal: one.subtotal }).toEqual({ total: all.total, subtotal: 1 });
    expect(await names('/api/common_parameters', 'value = tok-secret-1')).toEqual([]);
    expect(await names('/api/common_parameters', 'value ~ secret')).toEqual([]);
    expect(await names('/api/common_parameters', 'tok-secret-1')).toEqual([]);
    expect(await names('/api/common_parameters', 'value != tok-secret-1')).not.toContain('api_token');
    expect(await names('/api/common_parameters', 'value != nothing-like-it')).not.toContain('api_token');
    expect(await names('/api/common_parameters', 'hidden_value = true')).toContain('api_token');
    // Expected pages come from the unpaged list in the same order (PostgreSQL's collation may order _ differently).
    const desc = await names('/api/common_parameters', 'name ~ remote', '&order=name%20DESC');
    expect([...desc].sort()).toEqual(['remote', 'remoteXuser', 'remote_user']);
    expect(desc[2]).toBe('remote');
    const paged = await list('/api/common_parameters', 'name ~ remote', '&order=name%20DESC&per_page=1&page=2');
    expect(paged.results.map((p: any) => p.name)).toEqual([desc[1]]);
    expect({ subtotal: paged.subtotal, page: paged.page, per_page: paged.per_page }).toEqual({ subtotal: 3, page: 2, per_page: 1 });
  });

  it('operating systems: exact =, title, numeric major, literal _, id, order and paging', async () => {
    const all = await list('/api/operatingsystems');
    expect(all.total).toBe(5);
    expect(await names('/api/operatingsystems', 'name = Debian')).toEqual(['Debian', 'Debian']);
    expect((await list('/api/operatingsystems', 'title = "RedHat 9.2"')).results.map((o: any) => o.title)).toEqual(['RedHat 9.2']);
    expect((await list('/api/operatingsystems', 'major > 11')).results.map((o: any) => o.title)).toEqual(['Debian 12']);
    expect(await names('/api/operatingsystems', 'family = Redhat')).toEqual(['RedHat']);
    expect(await names('/api/operatingsystems', 'name ~ _')).toEqual(['Foo_bar']);
    expect(await names('/api/operatingsystems', 'name ~ o_b')).toEqual(['Foo_bar']);
    // `%` is a wildcard like `*` (scoped_search), as on /api/hosts; `_` never is.
    expect((await names('/api/operatingsystems', 'name ~ Foo%bar')).sort()).toEqual(['FooXbar', 'Foo_bar']);
    expect((await names('/api/operatingsystems', 'name ~ Foo*bar')).sort()).toEqual(['FooXbar', 'Foo_bar']);
    expect((await names('/api/operatingsystems', 'null? family')).sort()).toEqual(['FooXbar', 'Foo_bar']);
    expect((await list('/api/operatingsystems', 'hosts_count > 0')).results.map((o: any) => o.title)).toEqual(['Debian 12']);
    const ids = await list('/api/operatingsystems', 'id > 0');
    expect({ total: ids.total, subtotal: ids.subtotal }).toEqual({ total: 5, subtotal: 5 });
    const paged = await list('/api/operatingsystems', 'family = Debian', '&order=major%20DESC&per_page=1&page=2');
    expect(paged.results.map((o: any) => o.title)).toEqual(['Debian 11']);
    expect({ total: paged.total, subtotal: paged.subtotal }).toEqual({ total: 5, subtotal: 2 });
  });

  it('remote execution features: exact =, host_action_button, literal _, id, job_template', async () => {
    const all = await list('/api/remote_execution_features');
    const rows = all.results as Array<{ name: string; label: string; host_action_button: boolean; job_template_name: string | null }>;
    expect(rows.length).toBeGreaterThan(0);
    const first = rows[0]!;
    expect((await list('/api/remote_execution_features', `label = ${first.label}`)).results.map((f: any) => f.label)).toEqual([first.label]);
    const labelSub = first.label.slice(0, -1);
    expect(await names('/api/remote_execution_features', `name = "${first.name.slice(0, -1)}"`)).toEqual(rows.filter((f) => f.name === first.name.slice(0, -1)).map((f) => f.name));
    const buttons = await list('/api/remote_execution_features', 'host_action_button = true');
    expect(buttons.results.map((f: any) => f.label)).toEqual(rows.filter((f) => f.host_action_button).map((f) => f.label));
    expect(buttons.subtotal + (await list('/api/remote_execution_features', 'host_action_button = false')).subtotal).toBe(all.total);
    expect((await list('/api/remote_execution_features', 'id > 0')).subtotal).toBe(all.total);
    expect((await list('/api/remote_execution_features', `label ~ "${labelSub}"`)).subtotal).toBe(rows.filter((f) => f.label.includes(labelSub)).length);
    expect((await list('/api/remote_execution_features', 'name ~ _')).results.map((f: any) => f.name)).toEqual(rows.filter((f) => f.name.includes('_')).map((f) => f.name));
    const assigned = rows.find((f) => f.job_template_name !== null);
    if (assigned) {
      const byTpl = await list('/api/remote_execution_features', `job_template = "${assigned.job_template_name}"`);
      expect(byTpl.results.map((f: any) => f.label)).toEqual(rows.filter((f) => f.job_template_name === assigned.job_template_name).map((f) => f.label));
    }
    const available = await list(`/api/hosts/${hostId}/available_remote_execution_features`, `label = ${first.label}`);
    const assignedCount = rows.filter((f) => f.job_template_name !== null).length;
    expect(assignedCount).toBeGreaterThan(0);
    expect(first.job_template_name).not.toBeNull();
    expect(rows.some((f) => f.host_action_button) && rows.some((f) => !f.host_action_button)).toBe(true);
    expect({ total: available.total, labels: available.results.map((f: any) => f.label) }).toEqual({
      total: assignedCount,
      labels: first.job_template_name === null ? [] : [first.label],
    });
    const desc = (await list('/api/remote_execution_features', undefined, '&order=label%20DESC')).results.map((f: any) => f.label);
    expect([...desc].sort()).toEqual(rows.map((f) => f.label).sort());
    const paged = await list('/api/remote_execution_features', 'id > 0', '&order=label%20DESC&per_page=1&page=2');
    expect(paged.results.map((f: any) => f.label)).toEqual(desc.slice(1, 2));
  });

  it('host and host group parameters: exact =, literal _, hidden values never match, paging', async () => {
    const path = `/api/hosts/${hostId}/parameters`;
    const all = await list(path);
    expect(all.total).toBe(4);
    expect(await names(path, 'name = a_b')).toEqual(['a_b']);
    expect(await names(path, 'name ~ a_b')).toEqual(['a_b']);
    expect(await names(path, 'name ~ _')).toEqual(['a_b']);
    expect(await names(path, 'value = hunter2')).toEqual([]);
    expect((await names(path, 'value !~ hunter')).sort()).toEqual(['aXb', 'a_b', 'abc']);
    const one = await list(path, 'value = two');
    expect({ total: one.total, subtotal: one.subtotal, names: one.results.map((p: any) => p.name) }).toEqual({ total: 4, subtotal: 1, names: ['aXb'] });
    const paged = await list(path, 'name ~ a', '&order=id%20DESC&per_page=2&page=1');
    expect(paged.results.map((p: any) => p.name)).toEqual(['abc', 'aXb']);
    expect(paged.subtotal).toBe(3);
    const gpath = `/api/hostgroups/${groupId}/parameters`;
    expect(await names(gpath, 'name ~ g_')).toEqual(['g_x']);
    expect(await names(gpath, 'id > 0')).toHaveLength(2);
    expect((await list(gpath, 'name = g_x')).total).toBe(2);
    const vault = await created('/api/hostgroups', { hostgroup: { name: 'vault', group_parameters_attributes: [{ name: 'shown', value: 'classified' }] } });
    await created(`/api/hostgroups/${vault.id}/parameters`, { parameter: { name: 'gsecret', value: 'classified', hidden_value: true } });
    expect(await names(`/api/hostgroups/${vault.id}/parameters`, 'value = classified')).toEqual(['shown']);
    expect(await names('/api/hostgroups', 'params.shown = classified')).toEqual(['vault']);
    expect(await names('/api/hostgroups', 'params.gsecret = classified')).toEqual([]);
    expect(await names('/api/hostgroups', 'params.gsecret ~ class')).toEqual([]);
  });

  it('host facts: exact =, literal _, numeric value, facts.<name>, host, total is the unfiltered count', async () => {
    const path = `/api/hosts/${hostId}/facts`;
    const facts = async (search?: string, extra = ''): Promise<any> => {
      const body = await list(path, search, extra);
      return { ...body, names: Object.keys(body.results['h1.example.com'] ?? {}) };
    };
    const all = await facts();
    expect(all.total).toBeGreaterThanOrEqual(5);
    expect((await facts('name = a_b')).names).toEqual(['a_b']);
    expect((await facts('name ~ a_b')).names).toEqual(['a_b']);
    expect((await facts('fact ~ _')).names).toEqual(all.names.filter((n: string) => n.includes('_')));
    expect((await facts('value > 1000')).names).toEqual(['memorysize_mb']);
    expect((await facts('facts.cpus >= 4')).names).toEqual(['cpus']);
    expect((await facts('host = h1.example.com')).subtotal).toBe(all.total);
    expect((await facts('host = h2.example.com')).subtotal).toBe(0);
    expect((await facts(`host = ${hostId}`)).subtotal).toBe(all.total);
    expect((await facts('host.hostgroup = grp')).subtotal).toBe(all.total);
    const one = await facts('name = kernel');
    expect({ total: one.total, subtotal: one.subtotal, results: one.results }).toEqual({ total: all.total, subtotal: 1, results: { 'h1.example.com': { kernel: '6.1' } } });
    const desc = (await facts('name ~ a', '&order=name%20DESC')).names;
    expect([...desc].sort()).toEqual(all.names.filter((n: string) => n.toLowerCase().includes('a')).sort());
    const paged = await facts('name ~ a', '&order=name%20DESC&per_page=1&page=2');
    expect(paged.names).toEqual(desc.slice(1, 2));
  });

  it('template inputs: exact =, literal _, flags, input type, hidden defaults never match', async () => {
    const path = `/api/templates/${tplB}/template_inputs`;
    expect((await list(path)).total).toBe(4);
    expect(await names(path, 'name = a_b')).toEqual(['a_b']);
    expect(await names(path, 'name ~ _')).toEqual(['a_b']);
    expect(await names(path, 'required = true')).toEqual(['a_b']);
    expect(await names(path, 'input_type = fact')).toEqual(['memo']);
    expect(await names(path, 'default = sekrit-default')).toEqual([]);
    expect(await names(path, 'default ~ sekrit')).toEqual([]);
    expect(await names(path, 'hidden_value = true')).toEqual(['token']);
    const desc = await names(path, undefined, '&order=name%20DESC');
    expect(desc.slice(0, 2)).toEqual(['token', 'memo']);
    const ids = await list(path, 'id > 0', '&order=name%20DESC&per_page=2&page=2');
    expect({ total: ids.total, subtotal: ids.subtotal, names: ids.results.map((i: any) => i.name) }).toEqual({ total: 4, subtotal: 4, names: desc.slice(2) });
    const bad = await t.api('GET', `${path}?search=${q('input_type = telepathy')}`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain("'input_type' should be one of");
  });

  it('foreign input sets: searched by target template, flags and description', async () => {
    const path = `/api/templates/${tplB}/foreign_input_sets`;
    const targets = async (search: string, extra = '') => ((await list(path, search, extra)).results as Array<{ target_template_name: string }>).map((f) => f.target_template_name);
    expect((await list(path)).total).toBe(2);
    expect(await targets('target_template = "Target A"')).toEqual(['Target A']);
    expect(await targets('target_template ~ "Target"')).toEqual(['Target A', 'Target C']);
    expect(await targets('include_all = false')).toEqual(['Target C']);
    expect(await targets('description ~ a_b')).toEqual(['Target A']);
    expect(await targets(`target_template_id = ${tplA}`)).toEqual(['Target A']);
    const paged = await list(path, 'id > 0', '&order=id%20DESC&per_page=1');
    expect({ total: paged.total, subtotal: paged.subtotal, names: paged.results.map((f: any) => f.target_template_name) }).toEqual({ total: 2, subtotal: 2, names: ['Target C'] });
  });

  it('template revisions: sortable by version, id, created_at; searchable by version and action', async () => {
    const path = `/api/job_templates/${tplB}/revisions`;
    const all = await list(path);
    expect(all.total).toBe(3);
    const versions = (all.results as Array<{ version: number }>).map((r) => r.version);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    const asc = await list(path, undefined, '&order=version%20ASC&per_page=2&page=1');
    expect(asc.results.map((r: any) => r.version)).toEqual([...versions].reverse().slice(0, 2));
    const byCreated = await list(path, undefined, '&order=created_at');
    expect(byCreated.results.map((r: any) => r.version)).toEqual([...versions].reverse());
    const newer = await list(path, `version > ${versions[2]}`);
    expect({ total: newer.total, subtotal: newer.subtotal }).toEqual({ total: 3, subtotal: 2 });
    expect((await list(path, 'action = update')).subtotal).toBe(2);
    expect((await list(path, 'template ~ b3')).results.map((r: any) => r.version)).toEqual([versions[0]]);
    const badOrder = await t.api('GET', `${path}?order=name`);
    expect(badOrder.status).toBe(422);
    expect(badOrder.body.error.message).toBe("Cannot sort by 'name'; sortable fields: version, id, created_at");
  });

  it("answers 422 with Foreman's message for unknown fields on every list", async () => {
    const paths = [
      '/api/common_parameters',
      '/api/operatingsystems',
      '/api/remote_execution_features',
      `/api/hosts/${hostId}/available_remote_execution_features`,
      `/api/hosts/${hostId}/parameters`,
      `/api/hostgroups/${groupId}/parameters`,
      `/api/hosts/${hostId}/facts`,
      `/api/templates/${tplB}/template_inputs`,
      `/api/templates/${tplB}/foreign_input_sets`,
      `/api/job_templates/${tplB}/revisions`,
    ];
    for (const path of paths) {
      const r = await t.api('GET', `${path}?search=${q('foo = bar')}`);
      expect(r.status, path).toBe(422);
      expect(r.body.error.code, path).toBe('invalid_search');
      expect(r.body.error.message.split('\n'), path).toEqual(["Field 'foo' not recognized for searching!", 'foo = bar', '^^^']);
    }
  });

  it('answers auto_complete_search on every list, values from the data and never hidden ones', async () => {
    expect(await ac('/api/operatingsystems', 'fam')).toEqual(['family']);
    expect(await ac('/api/operatingsystems', 'family = ')).toEqual(['family = Debian', 'family = Redhat']);
    expect((await ac('/api/operatingsystems', 'name = Foo')).sort()).toEqual(['name = FooXbar', 'name = Foo_bar']);
    expect(await ac('/api/common_parameters', 'name = remote_')).toEqual(['name = remote_user']);
    expect(await ac('/api/common_parameters', 'value = ')).not.toContain('value = tok-secret-1');
    expect(await ac('/api/common_parameters', 'value = r')).toEqual(['value = r1', 'value = r2', 'value = r3']);
    expect(await ac('/api/remote_execution_features', 'host_action_button = ')).toEqual(['host_action_button = true', 'host_action_button = false']);
    expect((await ac(`/api/hosts/${hostId}/parameters`, 'name = a')).sort()).toEqual(['name = aXb', 'name = a_b', 'name = abc']);
    expect((await ac(`/api/hosts/h1.example.com/parameters`, 'value = ')).join(' ')).not.toContain('hunter2');
    expect((await ac(`/api/hostgroups/${groupId}/parameters`, 'name = g')).sort()).toEqual(['name = gYx', 'name = g_x']);
    expect(await ac(`/api/hosts/${hostId}/facts`, 'facts.memo')).toEqual(['facts.memorysize_mb']);
    expect(await ac(`/api/hosts/${hostId}/facts`, 'name = a_')).toEqual(['name = a_b']);
    expect(await ac(`/api/hosts/${hostId}/facts`, 'value = other')).toEqual([]);
    expect(await ac(`/api/templates/${tplB}/template_inputs`, 'input_type = f')).toEqual(['input_type = fact']);
    expect((await ac(`/api/templates/${tplB}/template_inputs`, 'name = a')).sort()).toEqual(['name = aXb', 'name = a_b']);
    expect(await ac(`/api/templates/${tplB}/foreign_input_sets`, 'target_template = "Target ')).toEqual(expect.arrayContaining(['target_template = "Target A"', 'target_template = "Target C"']));
    expect(await ac(`/api/job_templates/${tplB}/revisions`, 'action = u')).toEqual(['action = update']);
    const missing = await t.api('GET', '/api/hosts/nobody.example.com/facts/auto_complete_search?search=name');
    expect(missing.status).toBe(404);
  });
});
