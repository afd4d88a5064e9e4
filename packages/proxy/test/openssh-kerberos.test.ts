/**
 * Kerberos (GSSAPI) over the OpenSSH transport, for real (manual §4.5): an MIT KDC on loopback
 * with a realm made for this file (`@remex/testkit` `startKdc`), a keytab with host principals for
 * the test sshd (`GSSAPIAuthentication yes`), and a ticket for the SSH user obtained with
 * `kinit -k` into the ticket cache the proxy's `ssh` uses (`KRB5CCNAME`). The proxy's key is not
 * authorized at first, so a login proves Kerberos; a host the realm does not know falls back to
 * key auth.
 */
import { join } from 'node:path';

import { fleetAddress, type Kdc, kerberosAvailable, startKdc, startSshd, type Sshd, TEST_USER, type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadProxyConfig, type RunningProxy, startProxy } from '../src/index.ts';
import { type FakeCallbackServer, startFakeCallbackServer } from './helpers/fake-callback-server.ts';
import { exitOf, launch, makeTask, TEST_TOKEN, textOf } from './helpers/proxy-harness.ts';

const KERBEROS_HOST = fleetAddress(40);
const OTHER_HOST = fleetAddress(41);

let kdc: Kdc;
let sshd: Sshd;
let server: FakeCallbackServer;
const proxies: RunningProxy[] = [];
const dirs: TempDir[] = [];
const savedEnv = { KRB5_CONFIG: process.env.KRB5_CONFIG, KRB5CCNAME: process.env.KRB5CCNAME };
let nextId = 9000;

async function startTestProxy(kerberosAuth: boolean): Promise<RunningProxy> {
  const dir = await tempDir('remex-proxy-');
  dirs.push(dir);
  const proxy = await startProxy(
    loadProxyConfig({
      env: {},
      overrides: { token: TEST_TOKEN, serverUrl: server.url, dataDir: dir.path, listenPort: 0, plainHttp: true, logLevel: 'silent', sshConnectTimeout: 10, sshTransport: 'openssh', kerberosAuth },
    }),
  );
  proxies.push(proxy);
  return proxy;
}

async function run(proxy: RunningProxy, address: string): Promise<ReturnType<FakeCallbackServer['events']>> {
  const task = makeTask({ task_id: nextId++, address, port: sshd.port, script: 'id -un' });
  await launch(proxy.url, [task]);
  await server.waitFor(() => server.finished(task.task_id), 30_000, `task ${task.task_id}`);
  return server.events(task.task_id);
}

beforeAll(async () => {
  if (!kerberosAvailable()) throw new Error('Kerberos tools missing: run scripts/install-test-deps.sh (krb5-kdc, krb5-admin-server, krb5-user)');
  kdc = await startKdc();
  const hostKeytab = await kdc.keytab([`host/${KERBEROS_HOST}`], join(kdc.dir, 'sshd.keytab'));
  const userKeytab = await kdc.keytab([TEST_USER.name], join(kdc.dir, 'user.keytab'));
  const ccache = `FILE:${join(kdc.dir, 'proxy.ccache')}`;
  await kdc.kinit(TEST_USER.name, userKeytab, ccache);
  // The proxy's ssh processes inherit the ticket cache and the realm's krb5.conf.
  process.env.KRB5_CONFIG = kdc.krb5Config;
  process.env.KRB5CCNAME = ccache;
  sshd = await startSshd({ authorizedKeys: [], gssapi: { keytab: hostKeytab, krb5Config: kdc.krb5Config } });
  server = await startFakeCallbackServer(TEST_TOKEN);
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  await server?.close();
  await sshd?.stop();
  await kdc?.stop();
  for (const dir of dirs) await dir.cleanup();
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('Kerberos over the OpenSSH transport', () => {
  it('logs in with the proxy user ticket, and only with kerberos_auth', async () => {
    const withKerberos = await startTestProxy(true);
    const without = await startTestProxy(false);
    const events = await run(withKerberos, KERBEROS_HOST);
    expect(textOf(events, 'stdout')).toBe(`${TEST_USER.name}\n`);
    expect(exitOf(events)).toBe('0');
    // Same host, same ticket cache, no kerberos_auth: the (unauthorized) key alone is refused.
    const refused = await run(without, KERBEROS_HOST);
    expect(refused[0]?.data).toMatch(/^Authentication failed for user remex-test on host .*; tried: publickey\n$/);
    expect(exitOf(refused)).toBe('EXCEPTION');
  });

  it('falls back to key auth when Kerberos fails', async () => {
    const proxy = await startTestProxy(true);
    // The realm has no principal for this host: GSSAPI fails, and the key is not authorized yet.
    const refused = await run(proxy, OTHER_HOST);
    expect(refused[0]?.data).toMatch(/tried: gssapi-with-mic, publickey\n$/);
    await sshd.authorize(proxy.publicKey);
    const events = await run(proxy, OTHER_HOST);
    expect(textOf(events, 'stdout')).toBe(`${TEST_USER.name}\n`);
    expect(exitOf(events)).toBe('0');
  });
});
