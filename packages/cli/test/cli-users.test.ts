/**
 * @module
 * `remex user create|list|info|update|delete`, `remex login` (stores a personal access token,
 * never the password, and later commands send it as Bearer) and `remex logout` (revokes it),
 * against a real server (SQLite).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { captureIo } from './helpers/capture-io.ts';
import { useCliServer } from './helpers/cli-suite.ts';

const s = useCliServer();
const { ok } = s;

describe('remex user', () => {
  it('creates, lists, shows, updates and deletes users', async () => {
    expect(await ok('user', 'create', '--login', 'alice', '--password', 'alice-pw-1', '--firstname', 'Alice', '--mail', 'alice@example.com', '--timezone', 'UTC')).toMatch(/^User Alice created \(id \d+\)\.\n$/);
    const list = await ok('user', 'list', '--search', 'login = alice');
    expect(list).toMatch(/alice\s+\|\s+Alice\s+\|\s+alice@example.com\s+\|\s+no/);
    expect(await ok('user', 'info', '--login', 'alice')).toMatch(/^Timezone:\s+UTC$/m);
    await ok('user', 'update', '--login', 'alice', '--admin', 'true', '--lastname', 'Liddell');
    expect(await ok('user', 'info', '--login', 'alice')).toMatch(/^Admin:\s+yes$/m);
    const dup = await s.cli.run('user', 'create', '--login', 'alice', '--password', 'another-pw');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/Login has already been taken/);
    expect(await ok('user', 'delete', '--login', 'alice')).toMatch(/^User \d+ deleted\.\n$/);
    const last = await s.cli.run('user', 'delete', '--login', 'admin');
    expect(last.stderr).toMatch(/Cannot delete the last admin/);
  });
});

describe('remex login / logout', () => {
  it('adds and removes roles (hammer: user add-role / remove-role)', async () => {
    await ok('user', 'create', '--login', 'rolf', '--password', 'rolf-pw-123');
    expect(await ok('user', 'add-role', '--login', 'rolf', '--role', 'Viewer')).toMatch(/^User \d+: role \d+ added\.\n$/);
    await ok('user', 'add-role', '--login', 'rolf', '--role', 'Remote Execution User');
    expect(await ok('user', 'info', '--login', 'rolf')).toMatch(/^Roles:\s+Remote Execution User, Viewer$/m);
    await ok('user', 'remove-role', '--login', 'rolf', '--role', 'Viewer');
    expect(await ok('user', 'info', '--login', 'rolf')).toMatch(/^Roles:\s+Remote Execution User$/m);
    const unknown = await s.cli.run('user', 'add-role', '--login', 'rolf', '--role', 'No such role');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/No such role/);
  });

  it('stores a token instead of the password, uses it as Bearer, and revokes it on logout', async () => {
    await ok('user', 'create', '--login', 'lena', '--password', 'lena-pw-12');
    const file = path.join(s.dir, 'lena-cli.yml');
    const env = { REMEX_URL: s.server.url, REMEX_USER: 'lena', HOME: s.dir, REMEX_CLI_CONFIG: file };
    const cli = captureIo(env);
    const login = await cli.run('login', '--password', 'lena-pw-12', '--token-name', 'test laptop');
    expect(login.stderr).toBe('');
    expect(login.stdout).toMatch(/^Logged in to .* as lena: token 'test laptop' \(id \d+\) stored in /);
    const stored = readFileSync(file, 'utf8');
    expect(stored).toMatch(/^token: remex_pat_/m);
    expect(stored).not.toContain('lena-pw-12');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // No password anywhere now: the token authenticates.
    const me = await captureIo({ ...env }).run('user', 'info', '--login', 'lena');
    expect(me.stdout).toMatch(/^Login:\s+lena$/m);
    // A non-admin sees only themselves.
    expect((JSON.parse((await captureIo({ ...env }).run('user', 'list', '--output', 'json')).stdout) as { login: string }[]).map((u) => u.login)).toEqual(['lena']);
    const token = /^token: (\S+)$/m.exec(stored)?.[1] ?? '';
    const out = await cli.run('logout');
    expect(out.stdout).toMatch(/^Logged out: token removed from /);
    expect(readFileSync(file, 'utf8')).not.toMatch(/token/);
    // The token is revoked, not only forgotten.
    const after = await captureIo({ ...env, REMEX_TOKEN: token }).run('user', 'list');
    expect(after.code).toBe(4);
    expect(after.stderr).toMatch(/expired or revoked/);
    const wrong = await captureIo({ ...env }).run('login', '--password', 'wrong-pw-1');
    expect(wrong.stderr).toMatch(/wrong login or password/);
  });
});
