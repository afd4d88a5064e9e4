/**
 * Bad input to the routes converted last to schema-first (host import, host facts,
 * auto_complete_search, smart proxy update) is refused with Foreman's 422 body naming the field,
 * and nothing is written; `PUT /api/smart_proxies/:id` renames or moves a proxy only once the URL
 * proves the proxy's credential; a proxy whose answers are outside the wire contract is refused.
 * On SQLite and PostgreSQL.
 */
import { DIALECTS, type StandInProxy, startStandInProxy } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerStandIn } from './stand-in.ts';
import { startTestServer, type TestServer } from './test-server.ts';

describe.each(DIALECTS)('schema-first inputs on %s', (dialect) => {
  let t: TestServer;
  const proxies: StandInProxy[] = [];
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(async () => {
    for (const p of proxies) await p.close();
    await t?.stop();
  });

  const refused = async (method: string, path: string, body: unknown, message: RegExp) => {
    const r = await t.api(method, path, body);
    expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(422);
    expect(r.body).toMatchObject({ error: { name: 'InputError' } });
    expect(r.body.error.message).toMatch(message);
  };

  it('refuses a malformed host import whole', async () => {
    await refused('POST', '/api/hosts/import', { hosts: 'web01' }, /hosts/);
    await refused('POST', '/api/hosts/import', {}, /hosts/);
    await refused('POST', '/api/hosts/import', { hosts: [{ name: 'ok.test' }, { ip: '10.0.0.1' }] }, /name/);
    await refused('POST', '/api/hosts/import', { hosts: [{ name: 'ok.test', ip: 7 }] }, /ip/);
    await refused('POST', '/api/hosts/import', { hosts: [{ name: 'ok.test', parameters: 'x=1' }] }, /parameters/);
    await refused('POST', '/api/hosts/import', { hosts: [{ name: 'ok.test', hostgroup: ['a'] }] }, /hostgroup/);
    expect((await t.api('GET', '/api/hosts')).body.total).toBe(0);
    const fine = await t.api('POST', '/api/hosts/import', { hosts: [{ name: 'ok.test', ip: '10.0.0.1', hostgroup: 'a/b', parameters: { role: 'web', port: 22 } }] });
    expect(fine.status).toBe(200);
    expect(fine.body).toEqual({ created: 1, updated: 0, errors: [] });
  });

  it('checks fact uploads and fact lists', async () => {
    await refused('POST', '/api/hosts/facts', { name: 'f.test' }, /facts/);
    await refused('POST', '/api/hosts/facts', { name: 'f.test', facts: 'os=linux' }, /facts/);
    expect((await t.api('POST', '/api/hosts/facts', { name: 'f.test', facts: { os: { family: 'Debian' } } })).status).toBe(201);
    const facts = await t.api('GET', '/api/hosts/f.test/facts?search=name%3Dos::family');
    expect(facts.status).toBe(200);
    expect(facts.body).toMatchObject({ subtotal: 1, results: { 'f.test': { 'os::family': 'Debian' } } });
    expect((await t.api('GET', '/api/hosts/nobody.test/facts')).status).toBe(404);
    await refused('GET', '/api/hosts/f.test/facts?per_page=x', undefined, /per_page/);
  });

  it('answers auto_complete_search through its schema and refuses a repeated search', async () => {
    const r = await t.api('GET', '/api/hosts/auto_complete_search?search=na');
    expect(r.status).toBe(200);
    expect(r.body).toEqual(expect.arrayContaining([expect.objectContaining({ completed: expect.any(String), part: expect.any(String), label: expect.any(String), category: expect.any(String) })]));
    await refused('GET', '/api/hosts/auto_complete_search?search=a&search=b', undefined, /search/);
    expect((await t.api('GET', '/api/hosts/nobody.test/facts/auto_complete_search?search=')).status).toBe(404);
  });

  it('renames a proxy and moves it to a URL that proves its credential, and changes nothing otherwise', async () => {
    const edge = await registerStandIn(t, 'edge-1');
    const moved = await startStandInProxy(t.server.url, 'edge-1', edge.token);
    const stranger = await startStandInProxy(t.server.url, 'edge-1', await t.server.issueProxyCredential('unrelated'));
    const other = await registerStandIn(t, 'edge-2');
    proxies.push(edge, moved, stranger, other);

    const move = await t.api('PUT', '/api/smart_proxies/edge-1', { smart_proxy: { url: `${moved.url}/` } });
    expect(move.status).toBe(200);
    expect(move.body).toMatchObject({ name: 'edge-1', url: moved.url, credential_configured: true });
    expect(moved.received.some((r) => r.url === '/tasks/count')).toBe(true);

    const rename = await t.api('PUT', '/api/smart_proxies/edge-1', { name: 'edge-renamed' });
    expect(rename.status).toBe(200);
    expect(rename.body).toMatchObject({ id: move.body.id, name: 'edge-renamed', url: moved.url });
    expect((await t.api('GET', '/api/smart_proxies/edge-1')).status).toBe(404);
    // The rename is audited with the old and new name (ADR 0012).
    const audits = await t.api('GET', `/api/audits?search=${encodeURIComponent(`type = smart_proxy and action = update and auditable_id = ${move.body.id as number}`)}`);
    expect(audits.body.results.map((a: { audited_changes: Record<string, unknown> }) => a.audited_changes.name).filter(Boolean)).toContainEqual(['edge-1', 'edge-renamed']);

    const unproven = await t.api('PUT', '/api/smart_proxies/edge-renamed', { smart_proxy: { url: stranger.url } });
    expect(unproven.status).toBe(422);
    expect(unproven.body.error.message).toMatch(/refused the credential issued for 'edge-renamed'/);
    const taken = await t.api('PUT', '/api/smart_proxies/edge-renamed', { smart_proxy: { name: 'edge-2' } });
    expect(taken.status).toBe(422);
    expect(taken.body.error).toMatchObject({ name: 'ConflictError', message: "Name has already been taken: smart proxy 'edge-2' exists" });
    expect((await t.api('GET', '/api/smart_proxies/edge-renamed')).body).toMatchObject({ name: 'edge-renamed', url: moved.url });

    await refused('PUT', '/api/smart_proxies/edge-renamed', { smart_proxy: { name: 5 } }, /^name must be a string$/);
    await refused('PUT', '/api/smart_proxies/edge-renamed', { smart_proxy: { name: ' ' } }, /name/);
    await refused('PUT', '/api/smart_proxies/edge-renamed', { smart_proxy: { url: [] } }, /url/);
    expect((await t.api('PUT', '/api/smart_proxies/nowhere', { smart_proxy: { name: 'x' } })).status).toBe(404);
    expect((await t.api('GET', '/api/smart_proxies/edge-2')).body).toMatchObject({ name: 'edge-2', url: other.url });
  });

  it('refuses to register a proxy whose signed answers are outside the wire contract', async () => {
    const token = await t.server.issueProxyCredential('odd');
    const odd = await startStandInProxy(t.server.url, 'odd', token, (req) => (req.url === '/tasks/count' ? { body: { running: 'many', queued: 0 } } : undefined));
    proxies.push(odd);
    const r = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'odd', url: odd.url } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/answered GET \/tasks\/count outside the proxy contract: \/running/);
    expect((await t.api('GET', '/api/smart_proxies/odd')).status).toBe(404);
  });
});
