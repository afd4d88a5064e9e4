/**
 * @module
 * The test sshd and fleet, checked with a real SSH client (ssh2) against the real OpenSSH server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OTHER_USER, type SshFleet, startSshFleet, TEST_USER, unreachableAddress } from '@remex/testkit';

import { sshExec } from './ssh-client.ts';

function tcpError(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/**
 * A client key pair made by OpenSSH's ssh-keygen (ssh2's own generator makes about 1 unreadable
 * ed25519 pair in 256: mscdex/ssh2#1390).
 */
function keyPair(): { private: string; public: string } {
  const dir = mkdtempSync(join(tmpdir(), 'remex-testkey-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'remex-testkit-client', '-f', join(dir, 'id')]);
    return { private: readFileSync(join(dir, 'id'), 'utf8'), public: readFileSync(join(dir, 'id.pub'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pids of processes running /usr/sbin/sshd with a config file in this directory. */
function sshdPidsFor(configDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(configDir)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

describe('startSshFleet', () => {
  const key = keyPair();
  let fleet: SshFleet;

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 5, authorizedKeys: [key.public] });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('describes hosts on consecutive loopback addresses', () => {
    expect(fleet.hosts).toEqual([
      { name: 'host-001.fleet.test', address: '127.0.1.1' },
      { name: 'host-002.fleet.test', address: '127.0.1.2' },
      { name: 'host-003.fleet.test', address: '127.0.1.3' },
      { name: 'host-004.fleet.test', address: '127.0.1.4' },
      { name: 'host-005.fleet.test', address: '127.0.1.5' },
    ]);
    expect(fleet.user).toBe(TEST_USER);
    expect(fleet.port).toBe(fleet.sshd.port);
  });

  it.each([0, 2, 4])('logs in by password on host %i and runs a command', async (i) => {
    const host = fleet.hosts[i]!;
    const r = await sshExec(
      { host: host.address, port: fleet.port, username: TEST_USER.name, password: TEST_USER.password },
      'echo $USER; hostname',
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([TEST_USER.name, hostname()]);
    expect(r.fingerprint).toBe(fleet.sshd.hostKeyFingerprint());
  });

  it.each([1, 3])('logs in by key on host %i', async (i) => {
    const host = fleet.hosts[i]!;
    const r = await sshExec(
      { host: host.address, port: fleet.port, username: TEST_USER.name, privateKey: key.private },
      'echo $USER; hostname',
    );
    expect(r.stdout.trim().split('\n')).toEqual([TEST_USER.name, hostname()]);
  });

  it('authorizes a key added later', async () => {
    const later = keyPair();
    const config = { host: fleet.hosts[0]!.address, port: fleet.port, username: TEST_USER.name, privateKey: later.private };
    await expect(sshExec(config, 'true')).rejects.toThrow(/authentication/i);
    await fleet.authorize(later.public);
    const r = await sshExec(config, 'echo ok');
    expect(r.stdout).toBe('ok\n');
  });

  it('keeps every key when several are authorized at once, while key logins read the file', async () => {
    const keys = Array.from({ length: 4 }, () => keyPair());
    const before = readFileSync(fleet.sshd.authorizedKeysFile, 'utf8');
    // Logins with the key authorized from the start must never be refused while the file changes.
    const logins = keys.map((_, i) => sshExec({ host: fleet.hosts[i]!.address, port: fleet.port, username: TEST_USER.name, privateKey: key.private }, 'true'));
    await Promise.all([...keys.map((k) => fleet.authorize(k.public)), ...logins]);
    expect(readFileSync(fleet.sshd.authorizedKeysFile, 'utf8')).toBe(`${before}${keys.map((k) => `${k.public.trim()}\n`).join('')}`);
    for (const [i, k] of keys.entries()) {
      const r = await sshExec({ host: fleet.hosts[i]!.address, port: fleet.port, username: TEST_USER.name, privateKey: k.private }, 'echo ok');
      expect(r.stdout).toBe('ok\n');
    }
  });

  it('refuses a wrong password and root', async () => {
    const host = fleet.hosts[0]!.address;
    await expect(
      sshExec({ host, port: fleet.port, username: TEST_USER.name, password: 'wrong' }, 'true'),
    ).rejects.toThrow(/authentication/i);
    await expect(sshExec({ host, port: fleet.port, username: 'root', password: 'x' }, 'true')).rejects.toThrow(
      /authentication/i,
    );
  });

  it('gives the test user passwordless sudo, also to the other user', async () => {
    const config = { host: fleet.hosts[1]!.address, port: fleet.port, username: TEST_USER.name, password: TEST_USER.password };
    const r = await sshExec(config, `sudo -n id -un; sudo -n -u ${OTHER_USER.name} sh -c 'id -un; echo $HOME'`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['root', OTHER_USER.name, OTHER_USER.home]);
  });

  it('lets the other user log in by password', async () => {
    const r = await sshExec(
      { host: fleet.hosts[2]!.address, port: fleet.port, username: OTHER_USER.name, password: OTHER_USER.password },
      'id -un; echo $HOME; test -w /var/tmp && echo tmp-ok',
    );
    expect(r.stdout.trim().split('\n')).toEqual([OTHER_USER.name, OTHER_USER.home, 'tmp-ok']);
  });

  it('restarts on the same port, keeping or changing the host key', async () => {
    const config = { host: fleet.hosts[3]!.address, port: fleet.port, username: TEST_USER.name, password: TEST_USER.password };
    const before = fleet.sshd.hostKeyFingerprint();
    expect(before).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    await fleet.sshd.restart();
    expect(fleet.sshd.port).toBe(fleet.port);
    expect(fleet.sshd.hostKeyFingerprint()).toBe(before);
    expect((await sshExec(config, 'echo again')).fingerprint).toBe(before);

    await fleet.sshd.restart({ newHostKey: true });
    const after = fleet.sshd.hostKeyFingerprint();
    expect(after).not.toBe(before);
    const r = await sshExec(config, 'echo new-key');
    expect(r.stdout).toBe('new-key\n');
    expect(r.fingerprint).toBe(after);
  });

  it('unreachableAddress refuses connections, even on the sshd port', async () => {
    const address = unreachableAddress();
    expect(address).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(['EHOSTUNREACH', 'ECONNREFUSED']).toContain(await tcpError(address, fleet.port));
    await expect(
      sshExec({ host: address, port: fleet.port, username: TEST_USER.name, password: TEST_USER.password }, 'true'),
    ).rejects.toThrow();
  });
});

describe('Sshd.stop', () => {
  it('leaves no sshd process and frees the port', async () => {
    const fleet = await startSshFleet({ hosts: 1 });
    const config = fleet.sshd.authorizedKeysFile.replace(/\/authorized_keys$/, '');
    expect(sshdPidsFor(config).length).toBe(1);
    // An open session whose command would outlive the server if nothing killed it.
    const pending = sshExec(
      { host: fleet.hosts[0]!.address, port: fleet.port, username: TEST_USER.name, password: TEST_USER.password },
      'sleep 300',
    ).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 500));
    await fleet.stop();
    await fleet.stop(); // idempotent
    expect(sshdPidsFor(config)).toEqual([]);
    expect(await tcpError('127.0.0.1', fleet.port)).toBe('ECONNREFUSED');
    await pending;
  });
});
