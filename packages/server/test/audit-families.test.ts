/**
 * @module
 * Audits of the remaining families (issue 10, ADR 0012) on SQLite and PostgreSQL: inventory
 * (hostgroups, nested parameters by name, subnets, operating systems, bookmarks), proxies
 * (registration, refresh, delete; credentials masked), template import/clone, foreign input sets,
 * features, role clone, token revoke — and the login of a deleted user stays on their audits.
 */
import { DIALECTS, startStandInProxy } from '@remex/testkit';
import type { StandInProxy } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { createUser, openServerStore } from './authz-helpers.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

type AuditAnswer = { id: number; action: string; auditable_id: number | string; auditable_name: string | null; audited_changes: Record<string, unknown>; user_name: string | null; user_id: number | null };

const IMPORTED = (script: string): string => `<%#\nkind: job_template\nname: Imported Audit\njob_category: Tests\nprovider_type: script\n%>\n${script}\n`;

describe.each(DIALECTS)('audits of every family on %s', (dialect) => {
  let t: TestServer;
  let store: Store;
  let proxy: StandInProxy | undefined;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    store = openServerStore(t);
  });
  afterAll(async () => {
    await proxy?.close();
    await store?.destroy();
    await t?.stop();
  });

  const audits = async (search: string): Promise<AuditAnswer[]> => {
    const r = await t.api('GET', `/api/audits?per_page=100&search=${encodeURIComponent(search)}`);
    expect(r.status).toBe(200);
    return r.body.results as AuditAnswer[];
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await t.api(method, path, body);
    expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
    return r.body;
  };

  it('audits inventory records', async () => {
    const hg = await ok('POST', '/api/hostgroups', { hostgroup: { name: 'web' } });
    await ok('POST', `/api/hostgroups/web/parameters`, { parameter: { name: 'tier', value: 'one' } });
    await ok('PUT', `/api/hostgroups/web/parameters/tier`, { parameter: { value: 'two' } });
    await ok('DELETE', `/api/hostgroups/${hg.id}/parameters/tier`);
    expect((await audits('type = parameter and name = tier')).map((a) => [a.action, a.audited_changes.value])).toEqual([
      ['destroy', 'two'],
      ['update', ['one', 'two']],
      ['create', 'one'],
    ]);
    const subnet = await ok('POST', '/api/subnets', { subnet: { name: 'lan', network: '10.0.0.0', mask: '255.255.255.0' } });
    await ok('PUT', `/api/subnets/${subnet.id}`, { subnet: { name: 'lan2' } });
    expect((await audits('type = subnet'))[0]).toMatchObject({ action: 'update', auditable_name: 'lan2', audited_changes: { name: ['lan', 'lan2'] } });
    await ok('POST', '/api/operatingsystems', { operatingsystem: { name: 'Debian', major: '12', minor: '', family: 'Debian' } });
    await ok('POST', '/api/bookmarks', { bookmark: { name: 'webs', controller: 'hosts', query: 'name ~ web' } });
    expect((await audits('type = operatingsystem'))[0]).toMatchObject({ action: 'create', auditable_name: 'Debian' });
    expect((await audits('type = bookmark'))[0]?.audited_changes).toMatchObject({ name: 'webs', query: 'name ~ web' });
    expect((await audits('type = hostgroup'))[0]).toMatchObject({ action: 'create', auditable_id: hg.id, auditable_name: 'web' });
  });

  it('audits each host a bulk import creates or changes', async () => {
    const hosts = (ip: string) => ({ hosts: [{ name: 'imp1.example.com', ip: '10.5.0.1' }, { name: 'IMP2.example.com', ip, parameters: { remote_execution_ssh_password: 'import-S3cret' } }] });
    expect((await t.api('POST', '/api/hosts/import', hosts('10.5.0.2'))).status).toBe(200);
    expect((await t.api('POST', '/api/hosts/import', hosts('10.5.0.3'))).status).toBe(200);
    expect((await t.api('POST', '/api/hosts/import', { hosts: [{ name: 'bad name!' }] })).status).toBe(422);
    const rows = await audits('type = host and name ~ imp');
    expect(rows.map((a) => [a.action, a.auditable_name]).sort()).toEqual([
      ['create', 'imp1.example.com'],
      ['create', 'imp2.example.com'],
      ['update', 'imp2.example.com'],
    ]);
    expect(rows.find((a) => a.action === 'update')?.audited_changes).toEqual({ ip: ['10.5.0.2', '10.5.0.3'] });
    expect(JSON.stringify(await store.db.selectFrom('audits').selectAll().execute())).not.toContain('import-S3cret');
  });

  it('audits proxy registration, refresh and delete with the credential masked', async () => {
    const cred = await ok('POST', '/api/smart_proxies/credentials', { smart_proxy: { name: 'px' } });
    proxy = await startStandInProxy(t.server.url, 'px', cred.credential as string);
    const px = await ok('POST', '/api/smart_proxies', { smart_proxy: { name: 'px', url: proxy.url } });
    await ok('PUT', `/api/smart_proxies/${px.id}/refresh`);
    await ok('DELETE', `/api/smart_proxies/${px.id}`);
    const rows = await audits('type = smart_proxy');
    expect(rows.map((a) => a.action)).toEqual(['destroy', 'update', 'create']);
    expect(rows[2]?.audited_changes).toMatchObject({ name: 'px', url: proxy.url });
    const stored = JSON.stringify(await store.db.selectFrom('audits').selectAll().execute());
    expect(stored).not.toContain(cred.credential as string);
    const sealed = await store.db.selectFrom('proxy_credentials').select('credential').execute();
    for (const s of sealed) expect(stored).not.toContain(s.credential);
  });

  it('audits template import (create, then overwrite as an update), clone, foreign input sets and features', async () => {
    const first = await t.api('POST', '/api/job_templates/import', { template: IMPORTED('echo one') });
    expect(first.status).toBe(201);
    const again = await t.api('POST', '/api/job_templates/import', { template: IMPORTED('echo two'), overwrite: true });
    expect(again.status).toBe(200);
    const imported = await audits(`type = job_template and auditable_id = ${first.body.id}`);
    expect(imported.map((a) => a.action)).toEqual(['update', 'create']);
    expect(imported[0]?.audited_changes.template).toEqual(['echo one', 'echo two']);
    const clone = await ok('POST', `/api/job_templates/${first.body.id}/clone`, { job_template: { name: 'Imported Copy' } });
    expect((await audits(`type = job_template and auditable_id = ${clone.id}`))[0]).toMatchObject({ action: 'create', auditable_name: 'Imported Copy' });
    const set = await ok('POST', `/api/templates/${clone.id}/foreign_input_sets`, { foreign_input_set: { target_template_id: first.body.id, include_all: true } });
    expect((await audits('type = foreign_input_set'))[0]).toMatchObject({ action: 'create', auditable_id: set.id, audited_changes: { target_template_id: first.body.id } });
    const features = await t.api('GET', '/api/remote_execution_features?per_page=1');
    const feature = features.body.results[0] as { id: number; job_template_id: number };
    await ok('PUT', `/api/remote_execution_features/${feature.id}`, { remote_execution_feature: { job_template_id: first.body.id } });
    expect((await audits('type = remote_execution_feature'))[0]?.audited_changes).toEqual({ job_template_id: [feature.job_template_id, first.body.id] });
  });

  it('audits role clone and token revoke, and keeps the login of a deleted user', async () => {
    const dana = await createUser(t, store, 'dana', ['Manager']);
    const role = await dana.api('POST', '/api/roles/Viewer/clone', { role: { name: 'Viewer copy' } });
    expect(role.status).toBe(201);
    const token = await ok('POST', `/api/users/${dana.id}/personal_access_tokens`, { personal_access_token: { name: 'dana-ci' } });
    await ok('DELETE', `/api/users/${dana.id}/personal_access_tokens/${token.id}`);
    expect((await audits('type = personal_access_token and action = destroy'))[0]).toMatchObject({ auditable_name: 'dana-ci', user_name: 'admin' });
    await ok('DELETE', `/api/users/${dana.id}`);
    expect((await audits('type = role and user = dana'))[0]).toMatchObject({ action: 'create', auditable_name: 'Viewer copy', user_id: dana.id, user_name: 'dana' });
  });
});
