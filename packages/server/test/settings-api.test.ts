/**
 * @module
 * `/api/settings` in Foreman's shape: searched and paged like every list, one setting by its name,
 * a new value checked per setting (types, ranges, choices) and stored; unknown and internal
 * settings are not there. On SQLite and PostgreSQL.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe.each(DIALECTS)('settings API on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lists, searches and shows settings', async () => {
    const all = await t.api('GET', '/api/settings');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.results.length);
    expect(all.body.results[0]).toMatchObject({ id: 'remote_execution_ssh_user', name: 'remote_execution_ssh_user', settings_type: 'string', value: 'root', default: 'root', category: 'Remote Execution' });
    const one = await t.api('GET', `/api/settings?search=${encodeURIComponent('name="remote_execution_ssh_port"')}`);
    expect(one.body).toMatchObject({ subtotal: 1, results: [{ name: 'remote_execution_ssh_port', settings_type: 'integer', value: 22 }] });
    const some = await t.api('GET', `/api/settings?search=${encodeURIComponent('name ~ proxy and not name ~ fallback')}&order=name`);
    expect(some.body.results.map((s: { name: string }) => s.name)).toEqual(['remote_execution_global_proxy', 'remote_execution_without_proxy']);
    expect((await t.api('GET', '/api/settings?search=colour%20%3D%20red')).status).toBe(422);
    expect((await t.api('GET', `/api/settings?search=${encodeURIComponent('(name = x')}`)).status).toBe(422);
    expect((await t.api('GET', '/api/settings/remote_execution_connect_by_ip')).body).toMatchObject({ settings_type: 'boolean', value: false });
    expect((await t.api('GET', '/api/settings/no_such_setting')).status).toBe(404);
  });

  it('changes a setting, checking the value', async () => {
    const port = await t.api('PUT', '/api/settings/remote_execution_ssh_port', { setting: { value: '2222' } });
    expect(port.status).toBe(200);
    expect(port.body.value).toBe(2222);
    expect((await t.api('GET', '/api/settings/remote_execution_ssh_port')).body.value).toBe(2222);
    expect((await t.api('PUT', '/api/settings/remote_execution_connect_by_ip', { value: 'true' })).body.value).toBe(true);
    const bad: Array<[string, unknown, RegExp]> = [
      ['remote_execution_ssh_port', '0', /port number from 1 to 65535/],
      ['remote_execution_ssh_port', 'x', /port number/],
      ['remote_execution_connect_by_ip', 'maybe', /true or false/],
      ['remote_execution_effective_user_method', 'runas', /one of: sudo, su, dzdo/],
      ['remote_execution_transport', 'telnet', /one of: ssh2, openssh/],
      ['remote_execution_remote_working_dir', 'tmp', /absolute path/],
      ['remote_execution_ssh_user', '  ', /can't be blank/],
      ['remote_execution_ssh_user', { name: 'x' }, /value/],
    ];
    for (const [name, value, message] of bad) {
      const r = await t.api('PUT', `/api/settings/${name}`, { setting: { value } });
      expect(r.status, `${name} ${JSON.stringify(value)}`).toBe(422);
      expect(r.body.error.message).toMatch(message);
      // The message names the setting (issue 12), except a body of the wrong shape (schema error).
      if (typeof value === 'string') expect(r.body.error.message).toContain(`setting ${name} `);
    }
    expect((await t.api('GET', '/api/settings/remote_execution_ssh_port')).body.value).toBe(2222);
    // The transport: empty (each proxy's own) by default, ssh2 or openssh.
    expect((await t.api('GET', '/api/settings/remote_execution_transport')).body).toMatchObject({ value: '', default: '' });
    expect((await t.api('PUT', '/api/settings/remote_execution_transport', { setting: { value: 'openssh' } })).body.value).toBe('openssh');
    expect((await t.api('PUT', '/api/settings/remote_execution_transport', { setting: { value: '' } })).body.value).toBe('');
    // Only the known settings: the store's internal rows are neither shown nor written.
    expect((await t.api('PUT', '/api/settings/secrets_resealed', { setting: { value: 'x' } })).status).toBe(404);
  });
});
