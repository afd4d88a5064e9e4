/**
 * @module
 * Server ↔ proxy over HTTPS (ADR 0018) with real proxies and a real sshd: a proxy's generated
 * certificate is pinned at registration and jobs run through it; a proxy that comes back with
 * another certificate is refused until its registration is refreshed; a TLS-terminating relay is
 * caught by the signed fingerprint; a proxy requiring client certificates refuses a server without
 * one and works with the lab CA of `makeLabCertificates`.
 */
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';

import { createCertificate, loadProxyConfig, makeLabCertificates, type ProxyConfig, type RunningProxy, startProxy } from '@remex/proxy';
import { fleetImportHosts, fleetParameters, type SshFleet, startSshFleet, type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { templateId, waitForJob } from './fleet-stack.ts';
import { startTestServer, type TestServer } from './test-server.ts';

describe('server and proxy over HTTPS', () => {
  let fleet: SshFleet;
  let t: TestServer;
  let dir: TempDir;
  const proxies: RunningProxy[] = [];
  const tokens = new Map<string, string>();

  const proxy = async (name: string, extra: Partial<ProxyConfig> = {}, server: TestServer = t): Promise<RunningProxy> => {
    const token = tokens.get(name) ?? (await server.server.issueProxyCredential(name));
    tokens.set(name, token);
    const p = await startProxy(
      loadProxyConfig({
        env: {},
        overrides: { name, listenHost: '127.0.0.1', listenPort: 0, serverUrl: server.server.url, token, dataDir: join(dir.path, name), logLevel: 'warn', ...extra },
      }),
    );
    proxies.push(p);
    await fleet.authorize(p.publicKey);
    return p;
  };
  const runJob = async (server: TestServer = t) => {
    const r = await server.api('POST', '/api/job_invocations', {
      job_invocation: { job_template_id: await templateId(server, 'Run Command - Script Default'), host_ids: [fleet.hosts[0]!.name], inputs: { command: 'echo over-tls' } },
    });
    expect(r.status, r.text).toBe(201);
    const job = await waitForJob(server, r.body.id as number, 60_000);
    const out = await server.api('GET', `/api/job_invocations/${r.body.id}/hosts/${fleet.hosts[0]!.name}`);
    return { status: job.status_label as string, output: ((out.body.output ?? []) as Array<{ output: string }>).map((l) => l.output).join('') };
  };
  const setUp = async (server: TestServer) => {
    for (const [name, value] of fleetParameters(fleet)) {
      expect((await server.api('POST', '/api/common_parameters', { common_parameter: { name, value } })).status).toBe(201);
    }
    expect((await server.api('POST', '/api/hosts/import', { hosts: fleetImportHosts(fleet, 'tls') })).status).toBe(200);
  };

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 1 });
    dir = await tempDir('remex-proxy-tls-');
    t = await startTestServer('sqlite');
    await setUp(t);
  }, 120_000);
  afterAll(async () => {
    for (const p of proxies) await p.stop().catch(() => undefined);
    await t?.stop();
    await fleet?.stop();
    await dir?.cleanup();
  });

  it('pins the generated certificate at registration, runs jobs over it, refuses another certificate until a refresh', async () => {
    const p = await proxy('tls-a');
    expect(p.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const created = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'tls-a', url: p.url } });
    expect(created.status, created.text).toBe(201);
    expect(created.body.tls_fingerprint).toBe(p.tlsFingerprint);
    const ran = await runJob();
    expect(ran.status, ran.output).toBe('succeeded');
    expect(ran.output).toContain('over-tls\n');
    const status = await t.api('GET', `/api/smart_proxies/${created.body.id}/status`);
    expect(status.body).toMatchObject({ reachable: true, error: null });
    // The list shows each proxy's live status too.
    const list = await t.api('GET', '/api/smart_proxies');
    expect(list.body.results[0]).toMatchObject({ name: 'tls-a', status: { reachable: true, running: 0, queued: 0, features: ['script', 'ssh'], error: null } });
    expect(list.body.results[0].status.version).toMatch(/^\d+\.\d+/);

    // The proxy comes back on the same port with a new certificate (its TLS dir was wiped).
    const port = new URL(p.url).port;
    await p.stop();
    rmSync(join(dir.path, 'tls-a', 'tls'), { recursive: true, force: true });
    const again = await proxy('tls-a', { listenPort: Number(port) });
    expect(again.tlsFingerprint).not.toBe(p.tlsFingerprint);
    const refused = await t.api('GET', `/api/smart_proxies/${created.body.id}/status`);
    expect(refused.body.reachable).toBe(false);
    expect(refused.body.error).toMatch(/not the one pinned at registration/);
    const failed = await runJob();
    expect(failed.status).toBe('failed');
    expect(failed.output).toMatch(/not the one pinned at registration/);

    const refreshed = await t.api('PUT', `/api/smart_proxies/${created.body.id}/refresh`, {});
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body.tls_fingerprint).toBe(again.tlsFingerprint);
    const after = await runJob();
    expect(after.status, after.output).toBe('succeeded');
    await t.api('DELETE', `/api/smart_proxies/${created.body.id}`);
  });

  it('refuses to register through a relay that terminates TLS, naming both certificates', async () => {
    const p = await proxy('tls-b');
    const target = new URL(p.url);
    const relayCert = createCertificate({ commonName: 'relay', names: ['127.0.0.1'], usage: 'server' });
    const relay: Server = createServer(relayCert, (client) => {
      const upstream = connect({ host: target.hostname, port: Number(target.port), rejectUnauthorized: false });
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    relay.listen(0, '127.0.0.1');
    await once(relay, 'listening');
    try {
      const url = `https://127.0.0.1:${(relay.address() as AddressInfo).port}`;
      const r = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'tls-b', url } });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toContain(`vouches for TLS certificate ${p.tlsFingerprint ?? ''}`);
      expect(r.body.error.message).toMatch(/something between server and proxy terminates TLS/);
      expect((await t.api('GET', '/api/smart_proxies?search=name%3Dtls-b')).body.total).toBe(0);
    } finally {
      relay.close();
    }
  });

  it('a proxy that requires client certificates refuses a server without one, and works with the lab CA', async () => {
    const lab = makeLabCertificates({ dir: join(dir.path, 'lab'), proxies: [{ name: 'tls-c', names: ['127.0.0.1', 'localhost'] }] });
    const proxyCert = lab.proxies[0]!;
    const files = { tlsCertFile: proxyCert.certFile, tlsKeyFile: proxyCert.keyFile, tlsClientCaFile: lab.ca.certFile };
    const p = await proxy('tls-c', files);
    const refused = await t.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'tls-c', url: p.url } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/Unable to communicate with the proxy/);

    // A second server with the lab CA and its client certificate.
    const withCa = await startTestServer('sqlite', {}, { proxyTlsFiles: { ca: lab.ca.certFile, cert: lab.server.certFile, key: lab.server.keyFile } });
    try {
      await setUp(withCa);
      const p2 = await proxy('tls-c2', { ...files, tlsClientCaFile: lab.ca.certFile }, withCa);
      const created = await withCa.api('POST', '/api/smart_proxies', { smart_proxy: { name: 'tls-c2', url: p2.url.replace('127.0.0.1', 'localhost') } });
      expect(created.status, created.text).toBe(201);
      const ran = await runJob(withCa);
      expect(ran.status, ran.output).toBe('succeeded');
    } finally {
      await withCa.stop();
    }
  });
});
