/**
 * @module
 * Audits (issue 10, ADR 0012) on SQLite and PostgreSQL: every audited family writes who, what,
 * which record and the changed fields; secrets never reach an audit row (the rows are grepped);
 * a refused write writes none; `/api/audits` searches and pages; revisions link to their audit;
 * `X-Request-Id` is answered and stored.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import type { TestUser } from './authz-helpers.ts';
import { createUser, openServerStore } from './authz-helpers.ts';
import type { TestServer } from './test-server.ts';
import { ADMIN_PASSWORD, sendJson, startTestServer } from './test-server.ts';

const SECRETS = ['param-S3cret-91', 'param-S3cret-92', 'Us3r-Passw0rd-77', 'Us3r-Passw0rd-78', 'input-default-S3cret', 'job-hidden-S3cret'];
const ADMIN = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };

describe.each(DIALECTS)('audits on %s', (dialect) => {
  let t: TestServer;
  let store: Store;
  let bob: TestUser;
  /** Secrets issued by the server during the test (token, proxy credential), grepped too. */
  const issued: string[] = [];
  beforeAll(async () => {
    t = await startTestServer(dialect);
    store = openServerStore(t);
    bob = await createUser(t, store, 'bob', ['Manager']);
  });
  afterAll(async () => {
    await store?.destroy();
    await t?.stop();
  });

  const audits = async (search: string) => {
    const r = await t.api('GET', `/api/audits?per_page=100&search=${encodeURIComponent(search)}`);
    expect(r.status).toBe(200);
    return r.body.results as Array<{ id: number; action: string; auditable_type: string; auditable_id: number | string; auditable_name: string | null; audited_changes: Record<string, unknown>; user_name: string; user_id: number; request_uuid: string; version: number }>;
  };
  const count = async () => Number((await store.db.selectFrom('audits').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('records flags as true/false, not as the 0/1 they are stored as', async () => {
    const created = await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'audit_flag_param', value: 'v' } });
    expect(created.status, created.text).toBe(201);
    const hidden = await t.api('PUT', `/api/common_parameters/${created.body.id}`, { common_parameter: { hidden_value: true } });
    expect(hidden.status, hidden.text).toBe(200);
    const [update, create] = (await audits('type = parameter')).filter((a) => a.auditable_name === 'audit_flag_param');
    expect(create?.audited_changes).toMatchObject({ hidden_value: false });
    expect(update?.audited_changes).toMatchObject({ hidden_value: [false, true] });
  });

  it('audits host create, update and destroy with who, record, changes and the request id', async () => {
    const created = await sendJson(t.server.url, 'POST', '/api/hosts', { ...ADMIN, 'x-request-id': 'lb-request-0001' }, { host: { name: 'a.example.com', ip: '10.0.0.1' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('lb-request-0001');
    const updated = await sendJson(t.server.url, 'PUT', `/api/hosts/${created.body.id}`, { ...ADMIN, 'x-request-id': 'bad id with spaces' }, { host: { ip: '10.0.0.2' } });
    expect(updated.status).toBe(200);
    const uuid = updated.headers.get('x-request-id') ?? '';
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.api('DELETE', `/api/hosts/${created.body.id}`)).status).toBe(200);
    const rows = await audits(`type = host and auditable_id = ${created.body.id}`);
    expect(rows.map((a) => [a.action, a.version])).toEqual([['destroy', 3], ['update', 2], ['create', 1]]);
    const [destroy, update, create] = rows;
    expect(create).toMatchObject({ auditable_type: 'host', auditable_id: created.body.id, auditable_name: 'a.example.com', user_name: 'admin', request_uuid: 'lb-request-0001' });
    expect(create?.audited_changes).toMatchObject({ name: 'a.example.com', ip: '10.0.0.1' });
    expect(update?.audited_changes).toEqual({ ip: ['10.0.0.1', '10.0.0.2'] });
    expect(update?.request_uuid).toBe(uuid);
    expect(destroy?.audited_changes).toMatchObject({ name: 'a.example.com', ip: '10.0.0.2' });
    const one = await t.api('GET', `/api/audits/${update?.id}`);
    expect(one.body).toMatchObject({ id: update?.id, action: 'update', remote_address: expect.any(String) });
    expect((await t.api('GET', '/api/audits/999999')).status).toBe(404);
  });

  it('audits a host with its own parameters, hidden ones masked', async () => {
    const h = await t.api('POST', '/api/hosts', { host: { name: 'p.example.com', host_parameters_attributes: [{ name: 'remote_execution_ssh_password', value: 'host-param-S3cret' }, { name: 'rack', value: 'r1' }] } });
    expect(h.status).toBe(201);
    const [create] = await audits(`type = host and auditable_id = ${h.body.id}`);
    expect(create?.audited_changes.parameters).toEqual({ rack: 'r1', remote_execution_ssh_password: '*****' });
    expect(JSON.stringify(await store.db.selectFrom('audits').selectAll().execute())).not.toContain('host-param-S3cret');
  });

  it('writes no audit for a refused write', async () => {
    const before = await count();
    expect((await t.api('POST', '/api/hosts', { host: {} })).status).toBe(422);
    expect((await t.api('PUT', '/api/hosts/no.such.host', { host: { ip: '10.9.9.9' } })).status).toBe(404);
    expect((await t.api('DELETE', '/api/subnets/4242')).status).toBe(404);
    expect((await bob.api('PUT', '/api/settings/remote_execution_ssh_port', { setting: { value: '2200' } })).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('masks hidden parameter values and passwords', async () => {
    const p = await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'vault_pw', value: SECRETS[0], hidden_value: true } });
    expect(p.status).toBe(201);
    expect((await t.api('PUT', `/api/common_parameters/${p.body.id}`, { common_parameter: { value: SECRETS[1] } })).status).toBe(200);
    const plain = await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'tier', value: 'gold' } });
    await t.api('PUT', `/api/common_parameters/${plain.body.id}`, { common_parameter: { value: 'silver' } });
    const params = await audits('type = parameter');
    expect(params.find((a) => a.auditable_name === 'vault_pw' && a.action === 'update')?.audited_changes).toEqual({ value: ['*****', '*****'] });
    expect(params.find((a) => a.auditable_name === 'vault_pw' && a.action === 'create')?.audited_changes).toMatchObject({ value: '*****', hidden_value: true });
    expect(params.find((a) => a.auditable_name === 'tier' && a.action === 'update')?.audited_changes).toEqual({ value: ['gold', 'silver'] });
    const u = await t.api('POST', '/api/users', { user: { login: 'carol', password: SECRETS[2], mail: 'carol@example.com' } });
    expect(u.status).toBe(201);
    expect((await t.api('PUT', `/api/users/${u.body.id}`, { user: { password: SECRETS[3], firstname: 'Carol' } })).status).toBe(200);
    const users = await audits(`type = user and auditable_id = ${u.body.id}`);
    expect(users[0]?.audited_changes).toEqual({ password_hash: ['*****', '*****'], firstname: [null, 'Carol'] });
    expect(users[1]?.audited_changes).toMatchObject({ login: 'carol', password_hash: '*****', role_ids: [] });
    expect((await t.api('DELETE', `/api/users/${u.body.id}`)).status).toBe(200);
    expect((await audits(`type = user and action = destroy`))[0]).toMatchObject({ auditable_name: 'carol', user_name: 'admin' });
  });

  it('audits tokens, proxy credentials, settings, roles and filters without their secrets', async () => {
    const token = await t.api('POST', `/api/users/${bob.id}/personal_access_tokens`, { personal_access_token: { name: 'ci' } });
    expect(token.status).toBe(201);
    issued.push(token.body.token_value as string);
    expect((await audits('type = personal_access_token'))[0]).toMatchObject({ action: 'create', auditable_name: 'ci', audited_changes: { token_hash: '*****' } });
    const cred = await t.api('POST', '/api/smart_proxies/credentials', { smart_proxy: { name: 'later' } });
    expect(cred.status).toBe(201);
    issued.push(cred.body.credential as string);
    expect((await audits('type = proxy_credential'))[0]).toMatchObject({ action: 'create', auditable_name: 'later', audited_changes: { credential: '*****' } });
    expect((await t.api('PUT', '/api/settings/remote_execution_ssh_port', { setting: { value: '2222' } })).status).toBe(200);
    expect((await audits('type = setting'))[0]).toMatchObject({ auditable_id: 'remote_execution_ssh_port', audited_changes: { value: [null, '2222'] } });
    const role = await t.api('POST', '/api/roles', { role: { name: 'Auditors' } });
    const filter = await t.api('POST', '/api/filters', { filter: { role_id: role.body.id, permissions: ['view_audit_logs'] } });
    expect(filter.status).toBe(201);
    expect((await audits('type = role'))[0]).toMatchObject({ action: 'create', auditable_name: 'Auditors' });
    expect((await audits('type = filter'))[0]?.audited_changes).toMatchObject({ resource_type: 'Audit', permissions: ['view_audit_logs'] });
  });

  it('audits templates (hidden defaults masked), links revisions, and finds bob’s changes', async () => {
    const tpl = await bob.api('POST', '/api/job_templates', {
      job_template: {
        name: 'Audited',
        job_category: 'Tests',
        provider_type: 'script',
        template: "echo <%= input('pin') %>",
        template_inputs_attributes: [{ name: 'pin', input_type: 'user', hidden_value: true, default_value: SECRETS[4] }],
      },
    });
    expect(tpl.status).toBe(201);
    expect((await bob.api('PUT', `/api/job_templates/${tpl.body.id}`, { job_template: { template: "echo v2 <%= input('pin') %>" } })).status).toBe(200);
    const inputId = (tpl.body.template_inputs as Array<{ id: number }>)[0]?.id;
    expect((await t.api('PUT', `/api/templates/${tpl.body.id}/template_inputs/${inputId}`, { template_input: { description: 'the PIN' } })).status).toBe(200);
    const mine = await audits('type = job_template and user = bob');
    expect(mine.map((a) => a.action)).toEqual(['update', 'create']);
    expect(mine[0]?.audited_changes).toEqual({ template: ["echo <%= input('pin') %>", "echo v2 <%= input('pin') %>"] });
    expect(mine.every((a) => a.user_id === bob.id)).toBe(true);
    expect(mine[1]?.audited_changes.template_inputs).toEqual([expect.objectContaining({ name: 'pin', hidden_value: 1, default_value: '*****' })]);
    expect(await audits('type = job_template and user = admin')).toEqual([]);
    expect((await audits('type = template_input'))[0]?.audited_changes).toEqual({ description: [null, 'the PIN'] });
    const revisions = await t.api('GET', `/api/job_templates/${tpl.body.id}/revisions`);
    expect(revisions.body.results.map((r: { audit_id: number | null }) => r.audit_id)).toEqual(mine.map((a) => a.id));
    const revision = await t.api('GET', `/api/job_templates/revision?version=${revisions.body.results[1].version}`);
    expect(revision.body.audit_id).toBe(mine[1]?.id);
  });

  it('audits job create, cancel and rerun with hidden inputs masked', async () => {
    await t.api('POST', '/api/hosts', { host: { name: 'job.example.com', ip: '10.0.1.1' } });
    const tpl = await t.api('POST', '/api/job_templates', {
      job_template: { name: 'Job Hidden', job_category: 'Tests', provider_type: 'script', template: "echo <%= input('token') %> <%= input('msg') %>", template_inputs_attributes: [{ name: 'token', input_type: 'user', hidden_value: true }, { name: 'msg', input_type: 'user' }] },
    });
    const job = await t.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: tpl.body.id, search_query: 'name = job.example.com', inputs: { token: SECRETS[5], msg: 'hello' }, scheduling: { start_at: '2099-01-01T00:00:00Z' } },
    });
    expect(job.status).toBe(201);
    expect((await t.api('POST', `/api/job_invocations/${job.body.id}/cancel`, {})).status).toBe(200);
    const rerun = await t.api('POST', `/api/job_invocations/${job.body.id}/rerun`, {});
    expect(rerun.status).toBe(201);
    const [create, cancel] = [...(await audits(`type = job_invocation and auditable_id = ${job.body.id}`))].reverse();
    expect(create).toMatchObject({ action: 'create', version: 1 });
    expect(create?.audited_changes).toMatchObject({ template_id: tpl.body.id, search_query: 'name = job.example.com', inputs: { token: '*****', msg: 'hello' } });
    expect(cancel).toMatchObject({ action: 'cancel', version: 2 });
    expect(cancel?.audited_changes).toMatchObject({ force: false, search: null });
    expect((await audits(`type = job_invocation and auditable_id = ${rerun.body.id}`))[0]).toMatchObject({ action: 'create', audited_changes: { rerun_of: String(job.body.id), inputs: { token: '*****' } } });
  });

  it('never stores a secret in an audit row', async () => {
    const rows = JSON.stringify(await store.db.selectFrom('audits').selectAll().execute());
    expect(rows).toContain('*****');
    for (const secret of [...SECRETS, ...issued]) expect(rows).not.toContain(secret);
    const hashes = await store.db.selectFrom('users').select('password_hash').execute();
    for (const h of hashes) expect(rows).not.toContain(h.password_hash);
    expect(rows).not.toMatch(/\$(argon2|scrypt)/);
  });

  it('pages, searches by request id and time, and needs view_audit_logs', async () => {
    const all = await t.api('GET', '/api/audits?per_page=2&page=2');
    expect(all.body).toMatchObject({ page: 2, per_page: 2 });
    expect(all.body.results).toHaveLength(2);
    const first = await t.api('GET', '/api/audits?per_page=2&page=1');
    expect(first.body.results[0].id).toBeGreaterThan(all.body.results[0].id);
    const uuid = first.body.results[0].request_uuid as string;
    expect((await audits(`request_uuid = ${uuid}`)).map((a) => a.id)).toContain(first.body.results[0].id);
    expect((await audits('time > "2000-01-01"')).length).toBe(all.body.total);
    expect((await t.api('GET', '/api/audits?search=colour%20%3D%20red')).status).toBe(422);
    const suggest = await t.api('GET', `/api/audits/auto_complete_search?search=${encodeURIComponent('type = ')}`);
    expect(suggest.status).toBe(200);
    expect(JSON.stringify(suggest.body)).toContain('job_template');
    const viewer = await createUser(t, store, 'vera', ['Viewer']);
    expect((await viewer.api('GET', '/api/audits')).status).toBe(200);
    const nobody = await createUser(t, store, 'nora', ['Remote Execution User']);
    expect((await nobody.api('GET', '/api/audits')).status).toBe(403);
    expect((await t.api('DELETE', `/api/audits/${first.body.results[0].id}`)).status).toBe(404);
  });
});
