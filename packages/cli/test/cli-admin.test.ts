/**
 * @module
 * `remex admin reset-password` against a running server's own database: the printed password
 * logs in, the command works from the directory `remex up` ran in, and a missing database or
 * user is refused without creating anything.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { captureIo } from './helpers/capture-io.ts';
import { type CliServer, startCliServer } from './helpers/cli-server.ts';

let t: CliServer;

beforeAll(async () => {
  t = await startCliServer();
});
afterAll(async () => {
  await t?.stop();
});

describe('remex admin reset-password', () => {
  it('sets a new password that logs in, reading the data dir like remex up (relative to the working directory)', async () => {
    const admin = captureIo({ HOME: t.dir }, { cwd: t.dir });
    const r = await admin.run('admin', 'reset-password');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const password = /^New password of admin: (\S+)\n$/.exec(r.stdout)?.[1];
    expect(password).toMatch(/^\S{16,}$/);
    const status = await fetch(`${t.server.url}/api/status`, { headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` } });
    expect(status.status).toBe(200);
  });

  it('names a user that does not exist', async () => {
    const r = await captureIo({ HOME: t.dir }, { cwd: t.dir }).run('admin', 'reset-password', '--login', 'nobody');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("No user 'nobody'");
  });

  it('refuses a data dir without a database and creates none', async () => {
    const elsewhere = path.join(t.dir, 'empty');
    const r = await captureIo({ HOME: t.dir, REMEX_DATA_DIR: elsewhere }, { cwd: t.dir }).run('admin', 'reset-password');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`No Remex database at ${path.join(elsewhere, 'remex.sqlite3')}`);
    expect(existsSync(elsewhere)).toBe(false);
  });
});
