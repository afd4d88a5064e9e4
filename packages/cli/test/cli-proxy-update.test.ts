/**
 * @module
 * `remex proxy-registration update` against a real server and stand-in proxies: it moves a proxy
 * to a new URL and renames it through `PUT /api/smart_proxies/:id`, which checks the proxy at the
 * URL as a registration does.
 */
import { type StandInProxy, startStandInProxy } from '@remex/testkit';
import { afterAll, describe, expect, it } from 'vitest';

import { useCliServer } from './helpers/cli-suite.ts';

const s = useCliServer();
const { ok } = s;
const proxies: StandInProxy[] = [];

afterAll(async () => {
  for (const p of proxies) await p.close();
});

describe('proxy-registration update', () => {
  it('moves a proxy to a new URL, renames it, and refuses a URL that does not hold its credential', async () => {
    const token = (await ok('proxy-registration', 'credential', '--name', 'edge')).split('\n')[1] ?? '';
    const first = await startStandInProxy(s.server.url, 'edge', token);
    const second = await startStandInProxy(s.server.url, 'edge', token);
    const stranger = await startStandInProxy(s.server.url, 'edge', null);
    proxies.push(first, second, stranger);
    expect(await ok('proxy-registration', 'create', '--name', 'edge', '--url', first.url)).toMatch(/^Smart proxy edge created \(id \d+\)\.\n$/);

    expect(await ok('proxy-registration', 'update', '--name', 'edge', '--url', second.url)).toMatch(/^Smart proxy edge updated \(id \d+\)\.\n$/);
    expect(await ok('proxy-registration', 'update', '--name', 'edge', '--new-name', 'edge-2')).toMatch(/^Smart proxy edge-2 updated/);
    const shown = JSON.parse(await ok('proxy-registration', 'info', '--name', 'edge-2', '-o', 'json')) as { name: string; url: string };
    expect(shown).toMatchObject({ name: 'edge-2', url: second.url });

    const refused = await s.cli.run('proxy-registration', 'update', '--name', 'edge-2', '--url', stranger.url);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/does not prove it holds the credential|refused the credential/);
    expect(JSON.parse(await ok('proxy-registration', 'info', '--name', 'edge-2', '-o', 'json'))).toMatchObject({ url: second.url });
  });
});
