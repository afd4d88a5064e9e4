/**
 * @module
 * `remex audit list|info` against a real server (SQLite): a change made through the CLI shows
 * in the audit log, searchable, with its changed fields.
 */
import { describe, expect, it } from 'vitest';

import { useCliServer } from './helpers/cli-suite.ts';

const s = useCliServer();
const { ok } = s;

describe('audit', () => {
  it('lists and shows the audits of changes', async () => {
    await ok('role', 'create', '--name', 'Audited role', '--description', 'first');
    await ok('role', 'update', '--name', 'Audited role', '--description', 'second');
    const list = await ok('audit', 'list', '--search', 'type = role and user = admin');
    expect(list).toMatch(/update\s+\|\s+role\s+\|\s+Audited role/);
    expect(list).toMatch(/create\s+\|\s+role\s+\|\s+Audited role/);
    const rows = JSON.parse(await ok('audit', 'list', '--search', 'type = role and action = update', '--output', 'json')) as { id: number }[];
    const info = await ok('audit', 'info', '--id', String(rows[0]?.id));
    expect(info).toMatch(/^Action:\s+update$/m);
    expect(info).toContain('description: first → second');
    expect(info).toMatch(/^Request id:\s+\S+$/m);
  });
});
