/**
 * @module
 * `remex role list|info|create|update|delete|clone` and `remex filter list|info|create|update|delete`
 * against a real server (SQLite). Commands run in-process through `main`.
 */
import { describe, expect, it } from 'vitest';

import { useCliServer } from './helpers/cli-suite.ts';

const s = useCliServer();
const { ok } = s;

describe('roles and filters', () => {
  it('lists the built-in roles and refuses to change them', async () => {
    const list = await ok('role', 'list');
    for (const name of ['Remote Execution User', 'Remote Execution Manager', 'Viewer', 'Manager', 'Organization admin']) expect(list).toContain(name);
    expect(await ok('role', 'info', '--name', 'Remote Execution User')).toContain('create_template_invocations');
    const locked = await s.cli.run('role', 'update', '--name', 'Viewer', '--description', 'mine');
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toContain('locked');
  });

  it('creates, clones, updates and deletes roles and their filters', async () => {
    expect(await ok('role', 'create', '--name', 'Staging', '--description', 'staging hosts')).toMatch(/^Role Staging created \(id \d+\)\.\n$/);
    const created = await ok('filter', 'create', '--role', 'Staging', '--permissions', 'view_hosts,edit_hosts', '--search', 'name ~ *.staging.example.com', '--output', 'json');
    const filter = JSON.parse(created) as { id: number; resource_type: string; permissions: { name: string }[] };
    expect(filter.resource_type).toBe('Host');
    expect(await ok('filter', 'info', '--id', String(filter.id))).toMatch(/^Search:\s+name ~ \*\.staging\.example\.com$/m);
    await ok('filter', 'update', '--id', String(filter.id), '--search', 'name ~ *.qa.example.com');
    expect(await ok('filter', 'list', '--search', 'role = Staging')).toContain('name ~ *.qa.example.com');
    const bad = await s.cli.run('filter', 'create', '--role', 'Staging', '--permissions', 'view_hosts', '--search', 'colour = red');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Field 'colour' not recognized for searching!");
    const mixed = await s.cli.run('filter', 'create', '--role', 'Staging', '--permissions', 'view_hosts,view_subnets');
    expect(mixed.stderr).toContain('one resource type');
    expect(await ok('role', 'clone', '--name', 'Staging', '--new-name', 'Staging copy')).toMatch(/^Role Staging copy created/);
    expect(await ok('role', 'info', '--name', 'Staging copy')).toContain('[name ~ *.qa.example.com]');
    await ok('role', 'update', '--name', 'Staging copy', '--new-name', 'QA');
    expect(await ok('filter', 'delete', '--id', String(filter.id))).toMatch(/^Filter \d+ deleted\.\n$/);
    expect(await ok('role', 'delete', '--name', 'QA')).toMatch(/^Role \d+ deleted\.\n$/);
    expect(await ok('role', 'list')).not.toContain('QA');
  });
});
