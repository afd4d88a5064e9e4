/**
 * @module
 * A real MIT Kerberos KDC (Debian `krb5-kdc`) on loopback for one test file: a realm created in a
 * temp dir (`kdb5_util create -s`), principals and keytabs made with `kadmin.local`, `krb5kdc`
 * in the foreground on a free port. Nothing of the machine's own Kerberos setup is used: every
 * tool runs with `KRB5_CONFIG` and `KRB5_KDC_PROFILE` pointing into the temp dir.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { type TempDir, tempDir } from '../fs/temp-dir.ts';
import { freePort } from '../net/free-port.ts';

const run = promisify(execFile);

/** Binaries of Debian's krb5-kdc / krb5-admin-server / krb5-user (`scripts/install-test-deps.sh`). */
export const KERBEROS_BINARIES = ['/usr/sbin/krb5kdc', '/usr/sbin/kdb5_util', '/usr/sbin/kadmin.local', '/usr/bin/kinit'] as const;

/** Whether the KDC tools are installed. */
export function kerberosAvailable(): boolean {
  return KERBEROS_BINARIES.every((b) => existsSync(b));
}

/** A running test KDC. */
export interface Kdc {
  /** The realm, e.g. `REMEX.TEST`. */
  readonly realm: string;
  /** Path of the `krb5.conf` clients and servers must use (`KRB5_CONFIG`). */
  readonly krb5Config: string;
  /** The temp dir (keytabs and caches may go there). */
  readonly dir: string;
  /** Adds principals with random keys and writes their keys to `keytab`; returns its path. */
  keytab(principals: readonly string[], keytab: string): Promise<string>;
  /** Gets a ticket for `principal` from `keytab` into the cache `ccache` (`kinit -k -t`). */
  kinit(principal: string, keytab: string, ccache: string): Promise<void>;
  /** Stops the KDC and removes the temp dir. */
  stop(): Promise<void>;
}

/**
 * Creates a realm and starts its KDC on 127.0.0.1.
 * @param realm - realm name (Default: `REMEX.TEST`)
 */
export async function startKdc(realm = 'REMEX.TEST'): Promise<Kdc> {
  const dir: TempDir = await tempDir('remex-kdc-');
  const port = await freePort();
  const krb5Config = join(dir.path, 'krb5.conf');
  const kdcProfile = join(dir.path, 'kdc.conf');
  await writeFile(
    krb5Config,
    [
      '[libdefaults]',
      `  default_realm = ${realm}`,
      '  dns_lookup_realm = false',
      '  dns_lookup_kdc = false',
      '  rdns = false',
      '  dns_canonicalize_hostname = false',
      '  udp_preference_limit = 1',
      '[realms]',
      `  ${realm} = {`,
      `    kdc = 127.0.0.1:${port}`,
      '  }',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  await writeFile(
    kdcProfile,
    [
      '[kdcdefaults]',
      `  kdc_ports = ${port}`,
      `  kdc_tcp_ports = ${port}`,
      '[realms]',
      `  ${realm} = {`,
      `    database_name = ${join(dir.path, 'principal')}`,
      `    key_stash_file = ${join(dir.path, 'stash')}`,
      `    acl_file = ${join(dir.path, 'kadm5.acl')}`,
      '    max_life = 1h',
      '  }',
      '[logging]',
      `  kdc = FILE:${join(dir.path, 'kdc.log')}`,
      '',
    ].join('\n'),
  );
  await writeFile(join(dir.path, 'kadm5.acl'), '');
  const env = { ...process.env, KRB5_CONFIG: krb5Config, KRB5_KDC_PROFILE: kdcProfile };
  let kdc: ChildProcess | undefined;
  try {
    await run('/usr/sbin/kdb5_util', ['create', '-s', '-r', realm, '-P', randomBytes(16).toString('hex')], { env });
    kdc = spawn('/usr/sbin/krb5kdc', ['-n', '-r', realm], { env, stdio: 'ignore' });
    kdc.unref();
    const child = kdc;
    process.once('exit', () => child.kill('SIGKILL'));
    await waitForPort(port);
  } catch (e: unknown) {
    kdc?.kill('SIGKILL');
    await dir.cleanup();
    throw e;
  }
  const admin = (query: string): Promise<unknown> => run('/usr/sbin/kadmin.local', ['-r', realm, '-q', query], { env });
  return {
    realm,
    krb5Config,
    dir: dir.path,
    async keytab(principals, keytab) {
      for (const p of principals) await admin(`addprinc -randkey ${p}`);
      await admin(`ktadd -k ${keytab} ${principals.join(' ')}`);
      return keytab;
    },
    async kinit(principal, keytab, ccache) {
      await run('/usr/bin/kinit', ['-k', '-t', keytab, '-c', ccache, principal], { env });
    },
    async stop() {
      kdc?.kill('SIGTERM');
      await dir.cleanup();
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`krb5kdc did not listen on port ${port} within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
