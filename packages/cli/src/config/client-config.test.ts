/**
 * @module
 * Unit tests of the client configuration (defaults, `cli.yml`, env over file, flags over env).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { clientConfigPath, loadClientConfig } from './client-config.ts';

function homeWith(yaml: string | null): string {
  const home = mkdtempSync(path.join(tmpdir(), 'remex-cfg-'));
  if (yaml !== null) {
    mkdirSync(path.join(home, '.config', 'remex'), { recursive: true });
    writeFileSync(path.join(home, '.config', 'remex', 'cli.yml'), yaml);
  }
  return home;
}

describe('client config', () => {
  it('sends a stored token instead of a stored password, unless a password is given by flag or env', () => {
    const home = homeWith('username: ops\npassword: s3cret\ntoken: remex_pat_abc\ntoken_id: 3\n');
    expect(loadClientConfig({}, home)).toMatchObject({ username: 'ops', password: undefined, token: 'remex_pat_abc' });
    expect(loadClientConfig({ REMEX_PASSWORD: 'pw' }, home)).toMatchObject({ password: 'pw', token: undefined });
    expect(loadClientConfig({}, home, { password: 'flag' })).toMatchObject({ password: 'flag', token: undefined });
    expect(loadClientConfig({ REMEX_TOKEN: 'remex_pat_env' }, homeWith(null))).toMatchObject({ token: 'remex_pat_env', password: undefined });
  });

  it('defaults to http://127.0.0.1:3000 as admin without password', () => {
    expect(loadClientConfig({}, homeWith(null))).toEqual({ url: 'http://127.0.0.1:3000', username: 'admin', password: undefined });
  });

  it('reads ~/.config/remex/cli.yml', () => {
    const home = homeWith('url: http://remex.example:3000/\nusername: ops\npassword: s3cret\n');
    expect(clientConfigPath({}, home)).toBe(path.join(home, '.config', 'remex', 'cli.yml'));
    expect(loadClientConfig({}, home)).toEqual({ url: 'http://remex.example:3000', username: 'ops', password: 's3cret' });
  });

  it('lets the environment win over the file, and flags over both', () => {
    const home = homeWith('url: http://file:1\nusername: fileuser\npassword: filepw\n');
    const env = { REMEX_URL: 'http://env:2', REMEX_USER: 'envuser', REMEX_PASSWORD: 'envpw' };
    expect(loadClientConfig(env, home)).toEqual({ url: 'http://env:2', username: 'envuser', password: 'envpw' });
    expect(loadClientConfig(env, home, { server: 'http://flag:3', password: 'flagpw' })).toEqual({
      url: 'http://flag:3',
      username: 'envuser',
      password: 'flagpw',
    });
  });

  it('rejects a config file that is not a mapping', () => {
    expect(() => loadClientConfig({}, homeWith('- a\n'))).toThrow(/expected a mapping/);
    expect(() => loadClientConfig({}, homeWith('url: [1]\n'))).toThrow(/"url" must be a string/);
  });
});
