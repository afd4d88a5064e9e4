/**
 * Issue 5 through the API on both dialects: host search on a fixture inventory (parameters
 * inherited through nested host groups, numeric facts, execution_status incl. hosts that never
 * ran a job, job_invocation.result after real jobs), job invocation and template searches,
 * bookmarks, targeting (bookmark_id, dynamic_query), auto_complete_search and 422s.
 *
 * Jobs here have no proxy to run on, so every task of a job fails ("Could not use any proxy"):
 * a real compose → plan → dispatch → finish flow that leaves error results behind.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const names = (body: any): string[] => (body.results as Array<{ name: string }>).map((r) => r.name);

describe.each(DIALECTS)('search API on %s', (dialect) => {
  let t: TestServer;
  let templateId: number;
  let failedJob: number;

  const hosts = async (search: string, extra = ''): Promise<string[]> => {
    const r = await t.api('GET', `/api/hosts?per_page=all&search=${encodeURIComponent(search)}${extra}`);
    expect(r.status, `${search}: ${r.text}`).toBe(200);
    return names(r.body);
  };
  const waitJob = async (id: number): Promise<any> => {
    for (let i = 0; i < 200; i++) {
      const r = await t.api('GET', `/api/job_invocations/${id}?include_hosts=false`);
      if (r.body.status_label !== 'queued' && r.body.status_label !== 'running') return r.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${id} did not finish`);
  };
  const runJob = async (targeting: Record<string, unknown>): Promise<any> => {
    const r = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, inputs: { command: 'true' }, ...targeting } });
    expect(r.status, r.text).toBe(201);
    return r.body;
  };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    const tpl = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    templateId = tpl.body.results[0].id;
    await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'role', value: 'none' } });
    await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'site', value: 'hq' } });
    const web = await t.api('POST', '/api/hostgroups', { hostgroup: { name: 'web', group_parameters_attributes: [{ name: 'role', value: 'web' }] } });
    const eu = await t.api('POST', '/api/hostgroups', { hostgroup: { name: 'eu', parent_id: web.body.id, group_parameters_attributes: [{ name: 'site', value: 'fra' }] } });
    const fra1 = await t.api('POST', '/api/hostgroups', { hostgroup: { name: 'fra1', parent_id: eu.body.id } });
    const db = await t.api('POST', '/api/hostgroups', { hostgroup: { name: 'db', group_parameters_attributes: [{ name: 'role', value: 'db' }] } });
    const add = async (name: string, hostgroup_id: number | null, params: Array<{ name: string; value: string }> = [], comment?: string) => {
      const r = await t.api('POST', '/api/hosts', { host: { name, hostgroup_id, host_parameters_attributes: params, ...(comment ? { comment } : {}) } });
      expect(r.status, r.text).toBe(201);
    };
    await add('web1.example.com', fra1.body.id);
    await add('web2.example.com', web.body.id, [{ name: 'role', value: 'cache' }]);
    await add('web3.example.com', eu.body.id, [], 'new rack');
    await add('db1.example.com', db.body.id);
    await add('db2.example.com', db.body.id);
    await add('lone.example.com', null);
    const facts = async (name: string, f: Record<string, unknown>) => expect((await t.api('POST', '/api/hosts/facts', { name, facts: f })).status).toBe(201);
    await facts('web1.example.com', { os: { name: 'Debian', family: 'Debian', release: { major: '12', full: '12.5' } }, os_family: 'Debian', memorysize_mb: 1024 });
    await facts('web3.example.com', { os_family: 'RedHat', memorysize_mb: 8192 });
    await facts('db1.example.com', { os: { name: 'Debian', family: 'Debian', release: { major: '11', full: '11.9' } }, os_family: 'Debian', memorysize_mb: 16384 });
    await facts('db2.example.com', { os_family: 'Debian', memorysize_mb: 'unknown' });

    // A real job on db1 and db2: no proxy, so both tasks fail.
    const job = await runJob({ targeting_type: 'static_query', search_query: 'hostgroup = db' });
    failedJob = job.id;
    expect((await waitJob(failedJob)).status_label).toBe('failed');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('searches plain fields, host groups (name and full path) and free text', async () => {
    expect(await hosts('hostgroup = web')).toEqual(['web2.example.com']);
    expect(await hosts('hostgroup_fullname ~ web*')).toEqual(['web1.example.com', 'web2.example.com', 'web3.example.com']);
    expect(await hosts('hostgroup_fullname = web/eu/fra1')).toEqual(['web1.example.com']);
    expect(await hosts('name ^ (db1.example.com, lone.example.com)')).toEqual(['db1.example.com', 'lone.example.com']);
    expect(await hosts('null? hostgroup')).toEqual(['lone.example.com']);
    expect(await hosts('rack')).toEqual(['web3.example.com']);
    expect(await hosts('os = Debian and os_major > 11')).toEqual(['web1.example.com']);
    expect(await hosts('not hostgroup ~ w* and not name = lone.example.com')).toEqual(['db1.example.com', 'db2.example.com', 'web1.example.com', 'web3.example.com']);
  });

  it('resolves params.<name> through nested host groups: host → nearest group → global', async () => {
    expect(await hosts('params.role = web')).toEqual(['web1.example.com', 'web3.example.com']);
    expect(await hosts('params.role = cache')).toEqual(['web2.example.com']);
    expect(await hosts('params.role = db')).toEqual(['db1.example.com', 'db2.example.com']);
    expect(await hosts('params.role = none')).toEqual(['lone.example.com']);
    expect(await hosts('params.site = fra')).toEqual(['web1.example.com', 'web3.example.com']);
    expect(await hosts('params.site = hq and hostgroup_fullname ~ web*')).toEqual(['web2.example.com']);
  });

  it('compares facts numerically when the value is a number', async () => {
    expect(await hosts('facts.memorysize_mb > 1024')).toEqual(['db1.example.com', 'web3.example.com']);
    expect(await hosts('facts.memorysize_mb >= 1024')).toEqual(['db1.example.com', 'web1.example.com', 'web3.example.com']);
    expect(await hosts('facts.memorysize_mb < 9000')).toEqual(['web1.example.com', 'web3.example.com']);
    expect(await hosts('facts.os_family = Debian and hostgroup_fullname ~ web*')).toEqual(['web1.example.com']);
    expect(await hosts('set? facts.os_family')).toHaveLength(4);
    expect(await hosts('facts.os::family = Debian')).toEqual(['db1.example.com', 'web1.example.com']);
  });

  it('matches long values exactly (longer than the partial value indexes hold)', async () => {
    const long = `k${'x'.repeat(600)}`;
    await t.api('PUT', '/api/hosts/lone.example.com', { host: { host_parameters_attributes: [{ name: 'ssh_keys', value: long }] } });
    expect(await hosts(`params.ssh_keys = "${long}"`)).toEqual(['lone.example.com']);
    expect(await hosts(`params.ssh_keys ^ ("${long}", other)`)).toEqual(['lone.example.com']);
    expect(await hosts('params.ssh_keys ~ kxxx*')).toEqual(['lone.example.com']);
  });

  it('execution_status: error after a failed run, ok for every other host including those that never ran a job', async () => {
    expect(await hosts('execution_status = error')).toEqual(['db1.example.com', 'db2.example.com']);
    expect(await hosts('execution_status = ok')).toEqual(['lone.example.com', 'web1.example.com', 'web2.example.com', 'web3.example.com']);
    expect(await hosts('execution_status != ok')).toEqual(['db1.example.com', 'db2.example.com']);
    // A host that never ran a job has no "Last execution succeeded" label (Foreman shows none).
    expect((await t.api('GET', '/api/hosts/lone.example.com')).body.execution_status_label).toBe('No execution finished yet');
    expect((await t.api('GET', '/api/hosts/db1.example.com')).body.execution_status_label).toBe('Last execution failed');
    const listed = await t.api('GET', '/api/hosts?search=name%20%3D%20lone.example.com');
    expect(listed.body.results[0].execution_status_label).toBe('No execution finished yet');
  });

  it('job_invocation.id and job_invocation.result find the hosts of a job and how it went for them', async () => {
    expect(await hosts(`job_invocation.id = ${failedJob}`)).toEqual(['db1.example.com', 'db2.example.com']);
    expect(await hosts('job_invocation.result = failed')).toEqual(['db1.example.com', 'db2.example.com']);
    expect(await hosts('job_invocation.result = success')).toEqual([]);
    // Both conditions on the same task (one EXISTS over template_invocations).
    expect(await hosts(`job_invocation.id = ${failedJob} and job_invocation.result = failed`)).toEqual(['db1.example.com', 'db2.example.com']);
    expect(await hosts(`job_invocation.id = ${failedJob} and job_invocation.result = success`)).toEqual([]);
    const jobHosts = await t.api('GET', `/api/job_invocations/${failedJob}/hosts?search=${encodeURIComponent('job_invocation.result = failed and name ~ db1')}`);
    expect(jobHosts.status).toBe(200);
    expect(names(jobHosts.body)).toEqual(['db1.example.com']);
    expect(jobHosts.body.subtotal).toBe(1);
  });

  it('pages the preview of a query: count and first hosts', async () => {
    const r = await t.api('GET', `/api/hosts?per_page=2&search=${encodeURIComponent('hostgroup_fullname ~ web*')}`);
    expect(r.body).toMatchObject({ subtotal: 3, per_page: 2, page: 1, search: 'hostgroup_fullname ~ web*' });
    expect(names(r.body)).toEqual(['web1.example.com', 'web2.example.com']);
    const desc = await t.api('GET', `/api/hosts?per_page=2&page=2&order=${encodeURIComponent('name desc')}&search=${encodeURIComponent('hostgroup_fullname ~ web*')}`);
    expect(names(desc.body)).toEqual(['web1.example.com']);
  });

  it('answers 422 with Foreman’s message and the position for bad queries, on every list', async () => {
    const unknown = await t.api('GET', `/api/hosts?search=${encodeURIComponent('name = a and colour = red')}`);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('invalid_search');
    expect(unknown.body.error.message.split('\n')).toEqual(["Field 'colour' not recognized for searching!", 'name = a and colour = red', '             ^^^^^^']);
    const paren = await t.api('GET', `/api/hosts?search=${encodeURIComponent('(name = a')}`);
    expect(paren.status).toBe(422);
    expect(paren.body.error.message).toMatch(/Unbalanced parentheses: '\(' at position \d+ is never closed/);
    const status = await t.api('GET', `/api/job_invocations?search=${encodeURIComponent('status = exploded')}`);
    expect(status.status).toBe(422);
    expect(status.body.error.message).toContain("'status' should be one of");
    const date = await t.api('GET', `/api/job_invocations?search=${encodeURIComponent('started_at > "next blue moon"')}`);
    expect(date.status).toBe(422);
    for (const path of ['/api/hostgroups', '/api/subnets', '/api/smart_proxies', '/api/job_templates', '/api/bookmarks']) {
      const r = await t.api('GET', `${path}?search=${encodeURIComponent('nope = 1')}`);
      expect(r.status, path).toBe(422);
      expect(r.body.error.message).toContain("Field 'nope' not recognized for searching!");
    }
  });

  it('searches job invocations by status, dates, host, user and template', async () => {
    const ok = await runJob({ targeting_type: 'static_query', search_query: 'name = lone.example.com', description_format: 'lonely run' });
    await waitJob(ok.id);
    const ids = async (search: string): Promise<number[]> => {
      const r = await t.api('GET', `/api/job_invocations?per_page=100&search=${encodeURIComponent(search)}`);
      expect(r.status, `${search}: ${r.text}`).toBe(200);
      return (r.body.results as Array<{ id: number }>).map((j) => j.id).sort((a, b) => a - b);
    };
    expect(await ids('status = failed')).toEqual([failedJob, ok.id]);
    expect(await ids('status = succeeded')).toEqual([]);
    expect(await ids('status != failed')).toEqual([]);
    expect(await ids('status ^ (queued, running)')).toEqual([]);
    expect(await ids('host = db1.example.com')).toEqual([failedJob]);
    expect(await ids(`targeted_host_id = ${(await t.api('GET', '/api/hosts/lone.example.com')).body.id}`)).toEqual([ok.id]);
    expect(await ids('description ~ lonely')).toEqual([ok.id]);
    expect(await ids('user = current_user and owner = admin')).toEqual([failedJob, ok.id]);
    expect(await ids('pattern_template_name = "Run Command - Script Default"')).toEqual([failedJob, ok.id]);
    expect(await ids('job_category = Commands')).toEqual([failedJob, ok.id]);
    expect(await ids('started_at > "1 hour ago" and started_at < tomorrow')).toEqual([failedJob, ok.id]);
    expect(await ids('started_at < yesterday')).toEqual([]);
    expect(await ids('ended_at = today')).toEqual([failedJob, ok.id]);
    expect(await ids('recurring = false')).toEqual([failedJob, ok.id]);
    expect(await ids('recurring = true or set? recurring_logic.id or recurring_logic.purpose = x')).toEqual([]);
    expect(await ids(`id = ${ok.id}`)).toEqual([ok.id]);
  });

  it('searches job templates including feature.label and locked', async () => {
    const r = await t.api('GET', `/api/job_templates?per_page=100&search=${encodeURIComponent('job_category = Commands and name ~ "Run Command"')}`);
    expect(r.status).toBe(200);
    expect(names(r.body)).toContain('Run Command - Script Default');
    const byFeature = await t.api('GET', `/api/job_templates?per_page=100&search=${encodeURIComponent('feature.label = run_script')}`);
    expect(byFeature.status).toBe(200);
    const snippets = await t.api('GET', `/api/job_templates?per_page=100&search=${encodeURIComponent('snippet = true and locked = false')}`);
    expect(snippets.status).toBe(200);
    const unlocked = await t.api('GET', `/api/job_templates?per_page=1&search=${encodeURIComponent('template ~ "#!/bin/sh" and provider_type = script')}`);
    expect(unlocked.status).toBe(200);
  });

  it('keeps bookmarks (CRUD, seeded job-invocation bookmarks) and checks their queries', async () => {
    const seeded = await t.api('GET', `/api/bookmarks?per_page=50&search=${encodeURIComponent('controller = job_invocations')}`);
    expect(names(seeded.body).sort()).toEqual(['failed', 'pending', 'recent', 'recurring', 'running', 'succeeded']);
    expect(seeded.body.results.find((b: { name: string }) => b.name === 'pending')).toMatchObject({ query: 'status = queued or status = running', public: true });
    for (const b of seeded.body.results as Array<{ query: string }>) {
      expect((await t.api('GET', `/api/job_invocations?search=${encodeURIComponent(b.query)}`)).status).toBe(200);
    }
    const created = await t.api('POST', '/api/bookmarks', { bookmark: { name: 'debian web', controller: 'hosts', query: 'facts.os_family = Debian and hostgroup_fullname ~ web*', public: true } });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ name: 'debian web', controller: 'hosts', public: true, owner_type: 'User' });
    expect((await t.api('POST', '/api/bookmarks', { bookmark: { name: 'debian web', controller: 'hosts', query: 'name = x' } })).status).toBe(422);
    const bad = await t.api('POST', '/api/bookmarks', { bookmark: { name: 'bad', controller: 'hosts', query: 'colour = red' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain("Field 'colour' not recognized for searching!");
    expect((await t.api('POST', '/api/bookmarks', { bookmark: { name: 'x', controller: 'spaceships', query: 'name = x' } })).status).toBe(422);
    const shown = await t.api('GET', `/api/bookmarks/${created.body.id}`);
    expect(shown.body.query).toBe('facts.os_family = Debian and hostgroup_fullname ~ web*');
    const updated = await t.api('PUT', `/api/bookmarks/${created.body.id}`, { bookmark: { query: 'facts.os_family = Debian' } });
    expect(updated.status).toBe(200);
    expect(updated.body.query).toBe('facts.os_family = Debian');
    const tmp = await t.api('POST', '/api/bookmarks', { bookmark: { name: 'tmp', controller: 'hosts', query: 'name = x' } });
    expect((await t.api('DELETE', `/api/bookmarks/${tmp.body.id}`)).status).toBe(200);
    expect((await t.api('GET', `/api/bookmarks/${tmp.body.id}`)).status).toBe(404);
  });

  it('targets a bookmark (id or name), never together with search_query', async () => {
    const b = await t.api('POST', '/api/bookmarks', { bookmark: { name: 'the db group', controller: 'hosts', query: 'hostgroup = db' } });
    const both = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, inputs: { command: 'true' }, targeting_type: 'static_query', bookmark_id: b.body.id, search_query: 'name = x' } });
    expect(both.status).toBe(422);
    expect(both.body.error.message).toBe('Cannot specify both bookmark_id and search_query');
    const job = await runJob({ targeting_type: 'static_query', bookmark_id: b.body.id });
    expect(job.targeting).toMatchObject({ bookmark_id: b.body.id, search_query: 'hostgroup = db' });
    expect(job.total_hosts).toBe(2);
    const byName = await runJob({ targeting_type: 'static_query', bookmark_id: 'the db group' });
    expect(byName.targeting.bookmark_id).toBe(b.body.id);
    const failedBookmark = await t.api('GET', `/api/bookmarks?search=${encodeURIComponent('name = failed and controller = job_invocations')}`);
    const jobBookmark = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, inputs: { command: 'true' }, targeting_type: 'static_query', bookmark_id: failedBookmark.body.results[0].id } });
    expect(jobBookmark.status).toBe(422);
    expect(jobBookmark.body.error.message).toContain('searches job_invocations, not hosts');
    await waitJob(job.id);
    await waitJob(byName.id);
  });

  it('resolves a dynamic query when the job starts; a bad dynamic query is refused at once', async () => {
    const job = await runJob({ targeting_type: 'dynamic_query', search_query: 'params.role = web' });
    expect(job.targeting.targeting_type).toBe('dynamic_query');
    const done = await waitJob(job.id);
    expect(done.total_hosts).toBe(2);
    const hostsOf = await t.api('GET', `/api/job_invocations/${job.id}/hosts`);
    expect(names(hostsOf.body)).toEqual(['web1.example.com', 'web3.example.com']);
    const bad = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, inputs: { command: 'true' }, targeting_type: 'dynamic_query', search_query: 'params.role = web and (' } });
    expect(bad.status).toBe(422);
    const none = await runJob({ targeting_type: 'dynamic_query', search_query: 'name = nobody.example.com' });
    expect((await waitJob(none.id)).total_hosts).toBe(0);
    const staticNone = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, inputs: { command: 'true' }, targeting_type: 'static_query', search_query: 'name = nobody.example.com' } });
    expect(staticNone.status).toBe(422);
  });

  it('suggests fields, operators and values from the data (auto_complete_search)', async () => {
    const ac = async (path: string, search: string): Promise<string[]> => {
      const r = await t.api('GET', `/api/${path}/auto_complete_search?search=${encodeURIComponent(search)}`);
      expect(r.status, r.text).toBe(200);
      return (r.body as Array<{ completed: string }>).map((s) => s.completed.trim());
    };
    expect(await ac('hosts', 'hostg')).toEqual(expect.arrayContaining(['hostgroup', 'hostgroup_fullname']));
    expect(await ac('hosts', 'hostgroup ')).toEqual(expect.arrayContaining(['hostgroup =', 'hostgroup ~']));
    expect(await ac('hosts', 'hostgroup = ')).toEqual(['hostgroup = db', 'hostgroup = eu', 'hostgroup = fra1', 'hostgroup = web']);
    expect(await ac('hosts', 'hostgroup = w')).toEqual(['hostgroup = web']);
    expect(await ac('hosts', 'os = ')).toEqual(['os = Debian']);
    expect(await ac('hosts', 'facts.mem')).toEqual(['facts.memorysize_mb']);
    expect(await ac('hosts', 'facts.os_family = ')).toEqual(['facts.os_family = Debian', 'facts.os_family = RedHat']);
    expect(await ac('hosts', 'params.ro')).toEqual(['params.role']);
    expect(await ac('hosts', 'params.role = c')).toEqual(['params.role = cache']);
    expect(await ac('hosts', 'execution_status = ')).toEqual(['execution_status = ok', 'execution_status = error']);
    expect(await ac('job_invocations', 'job_category = ')).toEqual(expect.arrayContaining(['job_category = Commands']));
    expect(await ac('job_invocations', 'status = f')).toEqual(['status = failed']);
    expect(await ac('job_invocations', 'user = ')).toEqual(expect.arrayContaining(['user = current_user', 'user = admin']));
    expect(await ac('job_templates', 'job_category = Com')).toEqual(['job_category = Commands']);
    expect(await ac('hosts', 'name = a and ')).toEqual(expect.arrayContaining(['name = a and hostgroup']));
  });

  it('never suggests hidden parameter values', async () => {
    await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'api_token', value: 'tok-secret-1', hidden_value: true } });
    const r = await t.api('GET', `/api/hosts/auto_complete_search?search=${encodeURIComponent('params.api_token = ')}`);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('tok-secret-1');
  });

  it('never lets a search guess a hidden or secret parameter value, yet a hidden value still shadows inherited ones', async () => {
    // api_token: hidden global value (from the test above, or made here when run alone).
    await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'api_token', value: 'tok-secret-1', hidden_value: true } });
    await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'vault', value: 'open' } });
    expect((await t.api('POST', '/api/hosts/web1.example.com/parameters', { parameter: { name: 'vault', value: 'shut', hidden_value: true } })).status).toBeLessThan(300);
    expect((await t.api('POST', '/api/hosts/web2.example.com/parameters', { parameter: { name: 'remote_execution_ssh_password', value: 'pw-1' } })).status).toBeLessThan(300);
    expect(await hosts('params.api_token = tok-secret-1')).toEqual([]);
    expect(await hosts('params.api_token ~ tok*')).toEqual([]);
    expect(await hosts('params.vault = shut')).toEqual([]);
    // web1's hidden value shadows the global one: it does not show up as 'open' either.
    expect(await hosts('params.vault = open')).not.toContain('web1.example.com');
    expect(await hosts('params.vault = open')).toContain('web2.example.com');
    expect(await hosts('params.remote_execution_ssh_password = pw-1')).toEqual([]);
    // That a value is set is no secret (it is listed, masked).
    expect(await hosts('set? params.remote_execution_ssh_password')).toEqual(['web2.example.com']);
  });
});
