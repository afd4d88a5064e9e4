import { loadProxyConfig, startProxy } from '@remex/proxy';
import { DIALECTS, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe.each(DIALECTS)('inventory API on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers /api/status like Foreman and requires authentication', async () => {
    const s = await t.api('GET', '/api/status');
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ result: 'ok', status: 200, api_version: 2 });
    expect(typeof s.body.version).toBe('string');
    const anon = await fetch(`${t.server.url}/api/hosts`);
    expect(anon.status).toBe(401);
    const bad = await t.api('GET', '/api/hosts', undefined, { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toMatch(/wrong login or password/);
  });

  it('nests hostgroups with full-path titles and inherits parameters global → chain → host', async () => {
    expect((await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'role', value: 'global' } })).status).toBe(201);
    await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'tier', value: 'g' } });
    const root = await t.api('POST', '/api/hostgroups', { hostgroup: { name: 'web', group_parameters_attributes: [{ name: 'role', value: 'web' }] } });
    expect(root.status).toBe(201);
    const child = await t.api('POST', '/api/hostgroups', { hostgroup: { name: 'eu', parent_id: root.body.id } });
    expect(child.body.title).toBe('web/eu');
    await t.api('POST', `/api/hostgroups/${child.body.id}/parameters`, { parameter: { name: 'dc', value: 'fra' } });
    const host = await t.api('POST', '/api/hosts', {
      host: { name: 'web1.example.com', ip: '10.0.0.1', hostgroup_id: child.body.id, host_parameters_attributes: [{ name: 'tier', value: 'host' }] },
    });
    expect(host.status).toBe(201);
    expect(host.body).toMatchObject({ name: 'web1.example.com', ip: '10.0.0.1', hostgroup_title: 'web/eu' });
    const all = Object.fromEntries((host.body.all_parameters as Array<{ name: string; value: string }>).map((p) => [p.name, p.value]));
    expect(all).toEqual({ role: 'web', tier: 'host', dc: 'fra' });
    const params = await t.api('GET', `/api/hosts/web1.example.com/parameters`);
    expect(params.body.results.map((p: { name: string }) => p.name)).toEqual(['tier']);
  });

  it('never shows secret parameters', async () => {
    const h = await t.api('POST', '/api/hosts', { host: { name: 'secret.test', host_parameters_attributes: [{ name: 'remote_execution_ssh_password', value: 's3cr3t-pw' }] } });
    expect(h.status).toBe(201);
    await t.api('POST', '/api/common_parameters', { common_parameter: { name: 'api_token', value: 'tok-123', hidden_value: true } });
    for (const path of ['/api/hosts/secret.test', '/api/hosts/secret.test/parameters', '/api/common_parameters']) {
      const r = await t.api('GET', path);
      expect(r.text).not.toContain('s3cr3t-pw');
      expect(r.text).not.toContain('tok-123');
    }
    const shown = await t.api('GET', '/api/hosts/secret.test');
    expect(shown.body.parameters[0]).toMatchObject({ name: 'remote_execution_ssh_password', value: '*****', hidden_value: true });
    await t.api('DELETE', '/api/hosts/secret.test');
  });

  it('lists hosts in the Foreman envelope with pagination', async () => {
    for (const n of ['a1', 'a2', 'a3']) expect((await t.api('POST', '/api/hosts', { host: { name: `${n}.test` } })).status).toBe(201);
    const page = await t.api('GET', '/api/hosts?per_page=2&page=1');
    expect(page.body).toMatchObject({ page: 1, per_page: 2, search: null });
    expect(page.body.results).toHaveLength(2);
    expect(page.body.total).toBeGreaterThanOrEqual(4);
    const one = await t.api('GET', '/api/hosts?search=' + encodeURIComponent('name ^ (a1.test, a3.test)'));
    expect(one.body.results.map((h: { name: string }) => h.name)).toEqual(['a1.test', 'a3.test']);
    expect(one.body.subtotal).toBe(2);
  });

  it('uploads facts, creating the host and setting its operating system', async () => {
    const r = await t.api('POST', '/api/hosts/facts', { name: 'db1.test', facts: { os: { family: 'Debian', name: 'Debian', release: { major: '12', full: '12.5' } }, memorysize_mb: 2048 } });
    expect(r.status).toBe(201);
    expect(r.body.operatingsystem_name).toBe('Debian 12.5');
    const f = await t.api('GET', '/api/hosts/db1.test/facts');
    expect(f.body.results['db1.test']).toMatchObject({ 'os::family': 'Debian', memorysize_mb: '2048' });
  });

  it('rejects bad input with clear errors and writes nothing', async () => {
    const before = (await t.api('GET', '/api/hosts?per_page=1')).body.total;
    const malformed = await t.api('POST', '/api/hosts', '{"host": {"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/JSON/);
    const dup = await t.api('POST', '/api/hosts', { host: { name: 'a1.test' } });
    expect(dup.status).toBe(422);
    expect(dup.body.error.message).toMatch(/already been taken/);
    const badGroup = await t.api('POST', '/api/hosts', { host: { name: 'new.test', hostgroup_id: 9999 } });
    expect(badGroup.status).toBe(422);
    expect(badGroup.body.error.message).toMatch(/Hostgroup 9999 does not exist/);
    const badParam = await t.api('POST', '/api/hosts', { host: { name: 'new2.test', host_parameters_attributes: [{ name: 'x' }] } });
    expect(badParam.status).toBe(422);
    const badIp = await t.api('POST', '/api/hosts', { host: { name: 'new3.test', ip: '999.1.1.1' } });
    expect(badIp.status).toBe(422);
    expect(badIp.body.error.message).toBe("ip '999.1.1.1' is not a valid IPv4 address");
    const badIp6 = await t.api('POST', '/api/hosts', { host: { name: 'new4.test', ip6: 'not-ipv6' } });
    expect(badIp6.body.error.message).toBe("ip6 'not-ipv6' is not a valid IPv6 address");
    const badUpdate = await t.api('PUT', '/api/hosts/a1.test', { host: { ip: '10.0.0' } });
    expect(badUpdate.status).toBe(422);
    const dupParam = await t.api('POST', '/api/hosts', { host: { name: 'new5.test', host_parameters_attributes: [{ name: 'dup', value: '1' }, { name: 'dup', value: '2' }] } });
    expect(dupParam.status).toBe(422);
    expect(dupParam.body.error.message).toMatch(/parameter 'dup' is given twice/);
    const badImport = await t.api('POST', '/api/hosts/import', { hosts: [{ name: 'imp1.test', ip: '10.1.1.1' }, { name: 'imp2.test', ip: '10.1.1.300' }] });
    expect(badImport.status).toBe(422);
    expect(badImport.body.error.message).toMatch(/row 2: ip '10.1.1.300' is not a valid IPv4 address/);
    expect((await t.api('GET', '/api/hosts?per_page=1')).body.total).toBe(before);
    expect((await t.api('GET', '/api/hosts/new2.test')).status).toBe(404);
    const missing = await t.api('GET', '/api/hosts/nope.test');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("Host 'nope.test' not found");
  });

  it('deletes with a JSON content type and no body, as Foreman API clients send it', async () => {
    expect((await t.api('POST', '/api/hosts', { host: { name: 'gone.test' } })).status).toBe(201);
    const r = await t.api('DELETE', '/api/hosts/gone.test', undefined, { 'content-type': 'application/json' });
    expect(r.status, r.text).toBe(200);
    expect((await t.api('GET', '/api/hosts/gone.test')).status).toBe(404);
    const poisoned = await t.api('POST', '/api/hosts', '{"host": {"name": "p.test"}, "__proto__": {"x": 1}}');
    expect(poisoned.status).toBe(400);
  });

  it('refuses to register a URL that is not a Remex proxy', async () => {
    for (const name of ['bogus', 'down']) await t.server.issueProxyCredential(name);
    const r = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'bogus', url: `${t.server.url}/api` } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/not a Remex proxy|Unable to communicate/);
    const down = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'down', url: 'http://127.0.0.1:1' } });
    expect(down.status).toBe(422);
    expect(down.body.error.message).toMatch(/Unable to communicate with the proxy/);
    expect((await t.api('GET', '/api/smart_proxies')).body.total).toBe(0);
  });

  it('refuses a Remex proxy that does not hold the credential issued for its name, and registers it once it does', async () => {
    const dir = await tempDir('remex-proxy-');
    const start = (token: string) =>
      startProxy(loadProxyConfig({ env: {}, overrides: { name: 'tokened', listenHost: '127.0.0.1', listenPort: 0, plainHttp: true, serverUrl: t.server.url, token, dataDir: dir.path, logLevel: 'warn' } }));
    const issued = await t.api('POST', '/api/smart_proxies/credentials', { smart_proxy: { name: 'tokened' } });
    expect(issued.status, issued.text).toBe(201);
    const token = issued.body.credential as string;
    let proxy = await start(await t.server.issueProxyCredential('someone-else'));
    try {
      const r = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'tokened', url: proxy.url } });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/refused the credential issued for 'tokened' \(HTTP 401\)/);
      expect(r.text).not.toContain(token);
      expect((await t.api('GET', '/api/smart_proxies')).body.total).toBe(0);
      await proxy.stop();
      proxy = await start(token);
      const ok = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'tokened', url: proxy.url } });
      expect(ok.status, ok.text).toBe(201);
      expect(ok.text).not.toContain(token);
      const refreshed = await t.api('PUT', `/api/smart_proxies/${ok.body.id}/refresh`);
      expect(refreshed.status, refreshed.text).toBe(200);
      expect((await t.api('DELETE', `/api/smart_proxies/${ok.body.id}`)).status).toBe(200);
    } finally {
      await proxy.stop();
      await dir.cleanup();
    }
  });

  it('creates subnets with proxy references checked', async () => {
    const bad = await t.api('POST', '/api/subnets', { subnet: { name: 'lan', network: '10.0.0.0', mask: '255.255.255.0', remote_execution_proxy_ids: [42] } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/Smart proxy 42 does not exist/);
    const ok = await t.api('POST', '/api/subnets', { subnet: { name: 'lan', network: '10.0.0.0', mask: '255.255.255.0' } });
    expect(ok.status).toBe(201);
    expect(ok.body.remote_execution_proxy_ids).toEqual([]);
  });

  it('imports hosts in bulk and rejects a bad import whole', async () => {
    const hosts = Array.from({ length: 3000 }, (_, i) => ({ name: `imp-${i}.test`, ip: `10.1.${i >> 8}.${i & 255}`, hostgroup: 'imported/batch', parameters: { role: i % 2 ? 'db' : 'web' } }));
    const r = await t.api('POST', '/api/hosts/import', { hosts });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ created: 3000, updated: 0 });
    const again = await t.api('POST', '/api/hosts/import', { hosts: hosts.slice(0, 10) });
    expect(again.body).toMatchObject({ created: 0, updated: 10 });
    const host = await t.api('GET', '/api/hosts/imp-7.test');
    expect(host.body.hostgroup_title).toBe('imported/batch');
    expect(host.body.parameters.map((p: { name: string; value: string }) => [p.name, p.value])).toEqual([['role', 'db']]);
    const bad = await t.api('POST', '/api/hosts/import', { hosts: [{ name: 'fine.test' }, { name: 'bad name' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/row 2/);
    expect((await t.api('GET', '/api/hosts/fine.test')).status).toBe(404);
  });

  it('seeds Run Command and validates job templates', async () => {
    const list = await t.api('GET', '/api/job_templates?search=' + encodeURIComponent('name = "Run Command - Script Default"'));
    expect(list.body.results).toHaveLength(1);
    const rc = await t.api('GET', `/api/job_templates/${list.body.results[0].id}`);
    expect(rc.body).toMatchObject({ job_category: 'Commands', provider_type: 'script', locked: true });
    expect(rc.body.template_inputs).toMatchObject([{ name: 'command', required: true, input_type: 'user' }]);
    const edit = await t.api('PUT', `/api/job_templates/${rc.body.id}`, { job_template: { template: 'x' } });
    expect(edit.status).toBe(403);
    const ssh = await t.api('POST', '/api/job_templates', { job_template: { name: 'Old', job_category: 'Misc', provider_type: 'SSH', template: 'uptime' } });
    expect(ssh.status).toBe(201);
    const bad = await t.api('POST', '/api/job_templates', { job_template: { name: 'Bad', job_category: 'Misc', provider_type: 'Puppetish', template: 'x' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/provider_type 'Puppetish'/);
  });
});
