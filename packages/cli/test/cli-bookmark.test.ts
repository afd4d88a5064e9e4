/**
 * @module
 * `remex bookmark list|create|update|delete` and `remex job-invocation create --bookmark NAME`
 * / `--dry-run` against a real server (SQLite). Commands run in-process through `main`.
 */
import { describe, expect, it } from 'vitest';

import { useCliServer } from './helpers/cli-suite.ts';

const s = useCliServer();
const { ok } = s;

describe('bookmarks', () => {
  it('lists the seeded job-invocation bookmarks, creates, updates and deletes one', async () => {
    const seeded = await ok('bookmark', 'list', '--search', 'controller = job_invocations');
    for (const name of ['failed', 'succeeded', 'running', 'pending', 'recurring', 'recent']) expect(seeded).toContain(name);
    expect(await ok('bookmark', 'create', '--name', 'webs', '--query', 'name ~ web*', '--public')).toMatch(/^Bookmark webs created \(id \d+\)\.\n$/);
    expect(await ok('bookmark', 'info', '--name', 'webs')).toMatch(/^Search query:\s+name ~ web\*$/m);
    await ok('bookmark', 'update', '--name', 'webs', '--query', 'name ~ web0*');
    expect(await ok('bookmark', 'info', '--name', 'webs')).toMatch(/^Search query:\s+name ~ web0\*$/m);
    const bad = await s.cli.run('bookmark', 'create', '--name', 'bad', '--query', 'colour = red');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Field 'colour' not recognized for searching!");
    await ok('bookmark', 'create', '--name', 'gone', '--query', 'name = x');
    expect(await ok('bookmark', 'delete', '--name', 'gone')).toMatch(/^Bookmark \d+ deleted\.\n$/);
  });
});

describe('job-invocation create --dry-run', () => {
  it('prints how many and which hosts a search, a bookmark or host ids would target, and creates nothing', async () => {
    for (const n of ['web01', 'web02', 'web03', 'db01']) await ok('host', 'create', '--name', `${n}.dry.test`);
    await ok('bookmark', 'create', '--name', 'dry webs', '--query', 'name ~ web* and name ~ dry');
    const jobsBefore = await ok('job-invocation', 'list', '--output', 'json');

    const bySearch = await ok('job-invocation', 'create', '--job-template', 'Run Command - Script Default', '--inputs', 'command=true', '--search-query', 'name ~ dry', '--dry-run');
    expect(bySearch).toContain("Dry run: 4 hosts would be targeted by 'name ~ dry'");
    expect(bySearch).toContain('db01.dry.test');

    const byBookmark = await ok('job-invocation', 'create', '--job-template', 'Run Command - Script Default', '--inputs', 'command=true', '--bookmark', 'dry webs', '--dynamic', '--dry-run');
    expect(byBookmark).toContain("Dry run: 3 hosts would be targeted by 'name ~ web* and name ~ dry' (dynamic: resolved again when the job starts)");
    expect(byBookmark).not.toContain('db01.dry.test');

    const byIds = await ok('job-invocation', 'create', '--job-template', 'Run Command - Script Default', '--inputs', 'command=true', '--host-ids', 'web02.dry.test,db01.dry.test', '--dry-run');
    expect(byIds).toContain('Dry run: 2 hosts would be targeted');

    expect(await ok('job-invocation', 'list', '--output', 'json')).toBe(jobsBefore);
  });

  it('targets the hosts of a bookmark by name', async () => {
    const r = await s.cli.run('job-invocation', 'create', '--job-template', 'Run Command - Script Default', '--inputs', 'command=true', '--bookmark', 'dry webs', '--async');
    expect(r.stderr).toBe('');
    const id = /Job invocation (\d+) created/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    const info = JSON.parse(await ok('job-invocation', 'info', '--id', String(id), '--output', 'json')) as { targeting: { bookmark_id: number; search_query: string } };
    expect(info.targeting.search_query).toBe('name ~ web* and name ~ dry');
    expect(info.targeting.bookmark_id).toEqual(expect.any(Number));
  });
});
