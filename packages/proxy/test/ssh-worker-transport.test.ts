/**
 * The ssh2 transport in worker threads (ADR 0025) against a real OpenSSH server: output crosses
 * the thread boundary complete and in order, stdin arrives intact, errors keep their codes,
 * host keys are checked in the main thread's store, warm connections stay with their host's
 * thread and never cross users, the proxy-wide limits are divided between the threads, and a
 * thread that dies fails its running commands and is replaced.
 */
import { createHash } from 'node:crypto';

import { OTHER_USER, startSshFleet, type SshFleet, type TempDir, tempDir } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openProxyDatabase, type ProxyDatabase } from '../src/db/proxy-database.ts';
import { loadOrCreateKeyPair } from '../src/keys/ssh-key-pair.ts';
import { HostKeyStore, hostKeyId } from '../src/transport/host-key-store.ts';
import { SshWorkerTransport, type SshWorkerTransportOptions } from '../src/transport/ssh-worker/index.ts';
import { TransportError } from '../src/transport/transport-errors.ts';
import type { RemoteExit, TransportSession, TransportTarget } from '../src/transport/transport.ts';
import { sshdConnectionsTo } from './helpers/sshd-connections.ts';

let fleet: SshFleet;
let dir: TempDir;
let db: ProxyDatabase;
let hostKeys: HostKeyStore;
let privateKey: string;
const transports: SshWorkerTransport[] = [];

function makeTransport(overrides: Partial<SshWorkerTransportOptions> = {}): SshWorkerTransport {
  const transport = new SshWorkerTransport({
    privateKey,
    hostKeys,
    connectTimeoutSeconds: 10,
    connectionIdleTimeoutSeconds: 60,
    threads: 3,
    ...overrides,
  });
  transports.push(transport);
  return transport;
}

function target(host: number, extra: Partial<TransportTarget> = {}): TransportTarget {
  const h = fleet.hosts[host]!;
  return { hostName: h.name, address: h.address, port: fleet.port, user: fleet.user.name, ...extra };
}

/** Runs `command` on a session and collects its output. */
async function run(session: TransportSession, command: string, stdin?: Buffer): Promise<{ stdout: Buffer; stderr: Buffer; exit: RemoteExit }> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const remote = await session.exec(command, { onStdout: (c) => stdout.push(c), onStderr: (c) => stderr.push(c) });
  remote.end(stdin);
  const exit = await remote.exited;
  return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), exit };
}

const peerPorts = (host: number): number[] => sshdConnectionsTo(fleet.port, fleet.hosts[host]!.address).map((c) => c.peerPort).sort();

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: 12, namePrefix: 'thread' });
  dir = await tempDir('remex-ssh-worker-');
  db = openProxyDatabase(dir.path);
  hostKeys = new HostKeyStore(db);
  const pair = loadOrCreateKeyPair({ identityKeyFile: undefined, dataDir: dir.path, comment: 'remex-worker-test' });
  privateKey = pair.privateKey;
  await fleet.authorize(pair.publicKey);
});

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  db.close();
  await fleet.stop();
  await dir.cleanup();
});

describe('the ssh2 transport in worker threads', () => {
  it('delivers every byte of stdout and stderr in order, from 12 hosts over 3 threads at once', async () => {
    const transport = makeTransport();
    // 4,000 numbered lines on stdout and 2,000 on stderr per host, written in many small pieces.
    const script = 'i=1; while [ $i -le 4000 ]; do echo "out $i"; [ $((i % 2)) -eq 0 ] && echo "err $i" >&2; i=$((i+1)); done';
    const expectOut = Array.from({ length: 4000 }, (_, i) => `out ${i + 1}\n`).join('');
    const expectErr = Array.from({ length: 2000 }, (_, i) => `err ${(i + 1) * 2}\n`).join('');
    const results = await Promise.all(
      fleet.hosts.map(async (_, i) => {
        const session = await transport.connect(target(i));
        try {
          return await run(session, script);
        } finally {
          session.release();
        }
      }),
    );
    for (const r of results) {
      expect(r.exit).toEqual({ code: 0, signal: null });
      expect(r.stdout.toString()).toBe(expectOut);
      expect(r.stderr.toString()).toBe(expectErr);
    }
  });

  it('passes stdin through intact (2 MiB, read back as a checksum)', async () => {
    const transport = makeTransport();
    const data = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
    const session = await transport.connect(target(0));
    const r = await run(session, 'sha256sum', data);
    session.release();
    expect(r.stdout.toString().split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('keeps warm connections in their host thread and never shares them across SSH users', async () => {
    const transport = makeTransport();
    const hosts = [1, 2, 3, 4, 5, 6];
    const round = (extra: Partial<TransportTarget> = {}): Promise<string[]> =>
      Promise.all(
        hosts.map(async (h) => {
          const session = await transport.connect(target(h, extra));
          const r = await run(session, 'id -un');
          session.release();
          return r.stdout.toString().trim();
        }),
      );
    expect(await round()).toEqual(hosts.map(() => fleet.user.name));
    const first = hosts.map(peerPorts);
    expect(await transport.connectionCounts()).toEqual({ open: 6, idle: 6 });
    // The second round of the same identities reuses every connection, across all three threads.
    expect(await round()).toEqual(hosts.map(() => fleet.user.name));
    expect(hosts.map(peerPorts)).toEqual(first);
    // Another user on the same hosts gets connections of its own.
    expect(await round({ user: OTHER_USER.name, password: OTHER_USER.password })).toEqual(hosts.map(() => OTHER_USER.name));
    expect(await transport.connectionCounts()).toEqual({ open: 12, idle: 12 });
  });

  it('divides the proxy-wide limits between the threads, never more threads than a limit', () => {
    expect(makeTransport({ threads: 4, maxConcurrentHandshakes: 2 }).threads).toBe(2);
    expect(makeTransport({ threads: 4, maxOpenConnections: 3 }).threads).toBe(3);
    expect(makeTransport({ threads: 4 }).threads).toBe(4);
  });

  it('keeps at most ssh_max_open_connections in total over the threads', async () => {
    const transport = makeTransport({ threads: 2, maxOpenConnections: 4 });
    for (const h of [7, 8, 9, 10, 11, 0, 1, 2]) {
      const session = await transport.connect(target(h));
      await run(session, 'true');
      session.release();
    }
    expect((await transport.connectionCounts()).open).toBeLessThanOrEqual(4);
  });

  it('checks host keys in the main thread store: a changed key is refused with its code, nothing is overwritten', async () => {
    const transport = makeTransport({ threads: 2 });
    const id = hostKeyId(fleet.hosts[9]!.address, fleet.port);
    hostKeys.forget(id);
    const session = await transport.connect(target(9));
    session.release();
    const trusted = hostKeys.get(id);
    expect(trusted?.key).toBeTruthy();
    db.prepare('UPDATE host_keys SET key = ? WHERE host = ?').run(Buffer.from('not the key').toString('base64'), id);
    const other = makeTransport({ threads: 2 });
    const refused = await other.connect(target(9)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).code).toBe('host_key_mismatch');
    expect((refused as TransportError).message).toContain('Host key verification failed');
    expect(hostKeys.get(id)?.key).toBe(Buffer.from('not the key').toString('base64'));
    hostKeys.forget(id);
  });

  it('reports connection and authentication failures with their codes', async () => {
    const transport = makeTransport();
    const refused = await transport.connect(target(0, { port: 1 })).catch((e: unknown) => e);
    expect((refused as TransportError).code).toBe('connect_failed');
    const denied = await transport.connect(target(0, { user: 'remex-nobody', password: 'wrong' })).catch((e: unknown) => e);
    expect((denied as TransportError).code).toBe('auth_failed');
    const controller = new AbortController();
    controller.abort();
    const aborted = await transport.connect(target(0), controller.signal).catch((e: unknown) => e);
    expect((aborted as TransportError).code).toBe('aborted');
  });

  it('close() ends a running command at once; other sessions on the thread keep running', async () => {
    const transport = makeTransport({ threads: 1 });
    const a = await transport.connect(target(3));
    const b = await transport.connect(target(4));
    const cut = await a.exec('sleep 30', { onStdout: () => undefined, onStderr: () => undefined });
    const fine = run(b, 'sleep 0.5; echo done');
    a.close();
    await expect(cut.exited).rejects.toThrow(/was lost/);
    expect((await fine).stdout.toString()).toBe('done\n');
    b.release();
  });

  it('fails the running commands of a thread that dies, and a new thread serves its hosts', async () => {
    const transport = makeTransport({ threads: 1 });
    const session = await transport.connect(target(5));
    const running = await session.exec('sleep 30', { onStdout: () => undefined, onStderr: () => undefined });
    await transport.terminateThread(0);
    await expect(running.exited).rejects.toThrow(/SSH worker thread stopped/);
    // The session of the dead thread refuses new commands at once (no wait for an answer that never comes).
    await expect(session.exec('true', { onStdout: () => undefined, onStderr: () => undefined })).rejects.toThrow(/was lost/);
    session.release();
    const again = await transport.connect(target(5));
    expect((await run(again, 'echo back')).stdout.toString()).toBe('back\n');
    again.release();
  });
});
