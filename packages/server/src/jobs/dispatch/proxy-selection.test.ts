import { describe, expect, it } from 'vitest';

import type { SmartProxyRow } from '../../db/schema.ts';
import type { SettingsStore } from '../../settings/settings-store.ts';
import { DownProxies, chooseProxy } from './proxy-selection.ts';
import type { ProxyView } from './proxy-selection.ts';

const row = (id: number, name: string): SmartProxyRow => ({ id, name, url: `http://${name}`, features: '[]', pubkey: null, credential_key_id: 'k', credential: 'c', tls_certificate: null, created_at: '', updated_at: '' });
const A = row(1, 'subnet-proxy');
const B = row(2, 'other-proxy');
const C = row(3, 'third-proxy');
const settings = (global: boolean) => ({ get: (name: string) => (name === 'remote_execution_global_proxy' ? global : false) }) as unknown as SettingsStore;
const view = (load: Record<number, number> = {}): ProxyView => ({ proxies: [A, B, C], subnetProxies: [{ subnet_id: 10, smart_proxy_id: A.id }], load: new Map(Object.entries(load).map(([k, v]) => [Number(k), v])) });
const downed = (...ids: number[]) => {
  const d = new DownProxies();
  for (const id of ids) d.markDown(id);
  return d;
};

describe('chooseProxy with taxonomies (ADR 0023)', () => {
  it("offers globally only the proxies of the host's organization and location; a proxy in none serves all", () => {
    const placed = { ...view(), taxonomies: new Map([[B.id, { Organization: new Set([7]), Location: new Set<number>() }]]) };
    expect(chooseProxy({ subnet_id: null, organization_id: 8, location_id: null }, placed, downed(), settings(true))).toMatchObject({ proxy: { name: 'subnet-proxy' } });
    const inSeven = chooseProxy({ subnet_id: null, organization_id: 7, location_id: null }, { ...placed, load: new Map([[A.id, 5], [C.id, 5]]) }, downed(), settings(true));
    expect(inSeven).toMatchObject({ proxy: { name: 'other-proxy' } });
    const onlyB = { ...placed, proxies: [B] };
    expect(chooseProxy({ subnet_id: null, organization_id: 8 }, onlyB, downed(), settings(true))).toMatchObject({ failure: expect.stringContaining('Could not use any proxy') });
  });
});

describe('DownProxies', () => {
  it('skips a proxy after a refused batch, and takes it again once its registration was refreshed', () => {
    const d = downed(A.id);
    expect(d.isLive(A)).toBe(false);
    expect(d.isLive(B)).toBe(true);
    expect(d.isLive({ id: A.id, updated_at: new Date(Date.now() + 1000).toISOString() })).toBe(true);
    expect(d.isLive({ id: A.id, updated_at: new Date(Date.now() - 60_000).toISOString() })).toBe(false);
  });
});

describe('chooseProxy (Foreman strategies: subnet, then global)', () => {
  it("takes the subnet's proxy first, with the global ones as failover candidates", () => {
    const choice = chooseProxy(10, view(), downed(), settings(true));
    expect(choice).toMatchObject({ proxy: { name: 'subnet-proxy' } });
    expect('live' in choice && choice.live.map((p) => p.name)).toEqual(['subnet-proxy', 'other-proxy', 'third-proxy']);
  });

  it("falls back to the global strategy when the subnet's proxies are down, least loaded first", () => {
    expect(chooseProxy(10, view({ [B.id]: 5, [C.id]: 1 }), downed(A.id), settings(true))).toMatchObject({ proxy: { name: 'third-proxy' } });
  });

  it("says which proxies are down with Foreman's messages, and when none applies", () => {
    expect(chooseProxy(10, view(), downed(A.id), settings(false))).toEqual({ failure: 'The only applicable proxy subnet-proxy is down' });
    expect(chooseProxy(10, view(), downed(A.id, B.id, C.id), settings(true))).toEqual({ failure: 'All 3 applicable proxies are down. Tried subnet-proxy, other-proxy, third-proxy' });
    expect(chooseProxy(null, view(), downed(), settings(false))).toEqual({
      failure: 'Could not use any proxy for the script job. Consider configuring remote_execution_global_proxy, remote_execution_fallback_proxy in settings',
    });
  });

  it('runs on the built-in runner only when remote_execution_without_proxy is on and no proxy applies', () => {
    const withoutProxy = (on: boolean) => ({ get: (name: string) => (name === 'remote_execution_without_proxy' ? on : false) }) as unknown as SettingsStore;
    // No subnet, no global strategy: the built-in runner (here named third-proxy) takes the task.
    expect(chooseProxy(null, view(), downed(), withoutProxy(true), 'third-proxy')).toMatchObject({ proxy: { name: 'third-proxy' }, live: [{ name: 'third-proxy' }] });
    // A proxy applies (the subnet's): the setting changes nothing, even when that proxy is down.
    expect(chooseProxy(10, view(), downed(), withoutProxy(true), 'third-proxy')).toMatchObject({ proxy: { name: 'subnet-proxy' } });
    expect(chooseProxy(10, view(), downed(A.id), withoutProxy(true), 'third-proxy')).toEqual({ failure: 'The only applicable proxy subnet-proxy is down' });
    // Off, or no built-in runner registered: Foreman's message.
    const none = { failure: 'Could not use any proxy for the script job. Consider configuring remote_execution_global_proxy, remote_execution_fallback_proxy in settings' };
    expect(chooseProxy(null, view(), downed(), withoutProxy(false), 'third-proxy')).toEqual(none);
    expect(chooseProxy(null, view(), downed(), withoutProxy(true), 'not-registered')).toEqual(none);
  });

  it('counts each choice in the load, so a batch spreads over the live proxies', () => {
    const v = view();
    const names = [1, 2, 3, 4].map(() => {
      const c = chooseProxy(null, v, downed(), settings(true));
      return 'proxy' in c ? c.proxy.name : c.failure;
    });
    expect(names.sort()).toEqual(['other-proxy', 'subnet-proxy', 'subnet-proxy', 'third-proxy']);
  });
});
