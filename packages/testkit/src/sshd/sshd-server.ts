/**
 * @module
 * A real OpenSSH server (`/usr/sbin/sshd`) per test suite: run as root in the foreground with its
 * own config, host key and authorized keys in a temp dir, listening on `0.0.0.0:<free port>` so
 * every 127.x.y.z address reaches it.
 *
 * No orphan survives the test process: the sshd runs in its own process group, a tiny watchdog
 * shell kills that group when the test process's end of its stdin pipe closes (even on SIGKILL),
 * and an `exit` handler kills every live sshd.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { type TempDir, tempDir } from '../fs/temp-dir.ts';
import { freePort } from '../net/free-port.ts';
import { alive, descendants, signalAll } from './process-tree.ts';
import { renderSshdConfig } from './sshd-config.ts';

const run = promisify(execFile);

/** Path of the OpenSSH server binary (Debian `openssh-server`). */
export const SSHD_BINARY = '/usr/sbin/sshd';

/** A running test sshd. */
export interface Sshd {
  /** TCP port it listens on (all IPv4 addresses). */
  port: number;
  /** SHA256 fingerprint of the current host key, OpenSSH style: `"SHA256:<base64 without padding>"`. */
  hostKeyFingerprint(): string;
  /**
   * Restarts on the same port, dropping every open connection (like a host reboot).
   * `newHostKey: true` generates a fresh host key first (for "changed host key" tests).
   */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  /** Kills the sshd, its connections and their commands; removes its temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Appends an OpenSSH public key line to the authorized keys file (effective at the next login). */
  authorize(publicKey: string): Promise<void>;
  /** Absolute path of the authorized keys file every allowed user shares. */
  readonly authorizedKeysFile: string;
}

/** Options of {@link startSshd}. */
export interface StartSshdOptions {
  /** OpenSSH public key lines to authorize from the start (Default: none). */
  authorizedKeys?: string[];
  /** sshd's `MaxSessions` (sessions per connection; OpenSSH's own default is 10). (Default: `1000`.) */
  maxSessions?: number;
  /**
   * Kerberos: accept GSSAPI logins with the keys of `keytab` (its `host/<address>` principals),
   * resolving realms through `krb5Config` (see `startKdc`). (Default: no GSSAPI.)
   */
  gssapi?: { keytab: string; krb5Config: string };
}

const WATCHDOG_SCRIPT = fileURLToPath(new URL('./sshd-watchdog.sh', import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const PORT_ATTEMPTS = 8;

/**
 * Whether process `pid` owns a TCP socket listening on `port` (IPv4 or IPv6), read from
 * /proc/net/tcp{,6} and the process's file descriptors.
 */
function listensOn(pid: number, port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A' && f[1]?.endsWith(`:${hexPort}`) && f[9] !== undefined) inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return false;
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1] !== undefined && inodes.has(m[1])) return true;
    } catch {
      // fd closed meanwhile
    }
  }
  return false;
}

/** Live servers, killed synchronously if the process exits without stopping them. */
const live = new Set<SshdProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const server of live) server.killNow();
  });
}

/** Reads the TCP stream until the SSH identification banner arrives. */
function bannerReceived(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let data = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\n')) done(data.startsWith('SSH-2.0-'));
    });
    socket.on('end', () => done(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One sshd process generation (a restart makes a new one). */
interface Generation {
  child: ChildProcess;
  watchdog: ChildProcess;
  exited: Promise<void>;
  stderr: () => string;
}

class BindError extends Error {}

/** The implementation behind {@link Sshd}. */
class SshdProcess implements Sshd {
  port = 0;
  readonly authorizedKeysFile: string;
  readonly #dir: TempDir;
  readonly #hostKey: string;
  readonly #config: string;
  #current: Generation | undefined;
  #stopped = false;
  /** The last pending change of the authorized keys: changes run one after the other. */
  #keysChange: Promise<void> = Promise.resolve();

  readonly #maxSessions: number | undefined;
  readonly #gssapi: StartSshdOptions['gssapi'];

  constructor(dir: TempDir, maxSessions?: number, gssapi?: StartSshdOptions['gssapi']) {
    this.#dir = dir;
    this.#maxSessions = maxSessions;
    this.#gssapi = gssapi;
    this.authorizedKeysFile = join(dir.path, 'authorized_keys');
    this.#hostKey = join(dir.path, 'ssh_host_ed25519_key');
    this.#config = join(dir.path, 'sshd_config');
  }

  async init(authorizedKeys: readonly string[]): Promise<void> {
    // sshd reads the authorized keys as the logging-in user: the dir must be traversable.
    await chmod(this.#dir.path, 0o755);
    await writeFile(this.authorizedKeysFile, authorizedKeys.map((k) => `${k.trim()}\n`).join(''), { mode: 0o644 });
    await chmod(this.authorizedKeysFile, 0o644);
    await this.#generateHostKey();
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        await this.#launch(port);
        this.port = port;
        return;
      } catch (e: unknown) {
        if (!(e instanceof BindError) || attempt >= PORT_ATTEMPTS) throw e;
      }
    }
  }

  hostKeyFingerprint(): string {
    const line = readFileSync(`${this.#hostKey}.pub`, 'utf8').trim();
    const blob = Buffer.from(line.split(/\s+/)[1] ?? '', 'base64');
    return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  }

  async restart(options: { newHostKey?: boolean } = {}): Promise<void> {
    if (this.#stopped) throw new Error('Sshd.restart: already stopped');
    await this.#kill();
    if (options.newHostKey === true) await this.#generateHostKey();
    // The port was ours a moment ago; retry briefly in case a dying child still holds it.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#launch(this.port);
        return;
      } catch (e: unknown) {
        if (!(e instanceof BindError) || attempt >= 20) throw e;
        await sleep(250);
      }
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    try {
      await this.#kill();
    } finally {
      live.delete(this);
      await this.#dir.cleanup();
    }
  }

  /**
   * Adds the key by writing a new file and renaming it over the old one: an sshd checking a login
   * meanwhile reads the whole old file or the whole new one, never a half-written line (which would
   * refuse a key that is authorized).
   */
  authorize(publicKey: string): Promise<void> {
    const change = this.#keysChange.then(async () => {
      const current = await readFile(this.authorizedKeysFile, 'utf8');
      const next = join(this.#dir.path, 'authorized_keys.next');
      await writeFile(next, `${current}${publicKey.trim()}\n`, { mode: 0o644 });
      await chmod(next, 0o644);
      await rename(next, this.authorizedKeysFile);
    });
    this.#keysChange = change.catch(() => undefined);
    return change;
  }

  /** Synchronous best-effort kill, for the process `exit` hook. */
  killNow(): void {
    const gen = this.#current;
    if (!gen?.child.pid) return;
    signalAll([gen.child.pid, ...descendants(gen.child.pid)], 'SIGTERM');
    gen.watchdog.kill('SIGKILL');
  }

  async #generateHostKey(): Promise<void> {
    await rm(this.#hostKey, { force: true });
    await rm(`${this.#hostKey}.pub`, { force: true });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'remex-testkit-host', '-f', this.#hostKey]);
  }

  async #launch(port: number): Promise<void> {
    await writeFile(
      this.#config,
      renderSshdConfig({
        port,
        hostKeyFile: this.#hostKey,
        pidFile: join(this.#dir.path, 'sshd.pid'),
        authorizedKeysFile: this.authorizedKeysFile,
        maxSessions: this.#maxSessions,
        gssapi: this.#gssapi !== undefined,
      }),
    );
    const child = spawn(SSHD_BINARY, ['-D', '-e', '-f', this.#config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.#gssapi ? { ...process.env, KRB5_KTNAME: this.#gssapi.keytab, KRB5_CONFIG: this.#gssapi.krb5Config } : process.env,
      detached: true, // own process group, killed as a whole by the watchdog
    });
    let stderr = '';
    const collect = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString('utf8')).slice(-8_192);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (e) => {
        stderr += `\n${e.message}`;
        resolve();
      });
    });
    let childExited = false;
    void exited.then(() => (childExited = true));
    const pid = child.pid;
    // Watchdog: when our end of its stdin closes (this process died), it kills the sshd tree.
    const watchdog = spawn('/bin/bash', [WATCHDOG_SCRIPT, String(pid ?? 0)], { stdio: ['pipe', 'ignore', 'ignore'] });
    watchdog.on('error', () => undefined);
    watchdog.stdin?.on('error', () => undefined);
    // Neither process should keep the event loop alive on its own.
    for (const p of [child, watchdog]) {
      p.unref();
      for (const s of [p.stdin, p.stdout, p.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
    }
    const gen: Generation = { child, watchdog, exited, stderr: () => stderr };
    this.#current = gen;
    live.add(this);
    installExitHook();

    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (childExited || pid === undefined) {
        watchdog.kill('SIGKILL');
        this.#current = undefined;
        const message = `sshd on port ${port} exited at start: ${stderr.trim() || '(no output)'}`;
        if (/Address already in use|Cannot bind any address/i.test(stderr)) throw new BindError(message);
        throw new Error(message);
      }
      // The banner may come from another server that owns the port: ready only once OUR sshd
      // holds the listening socket (a loaded machine can answer for the other one first).
      if ((await bannerReceived(port)) && !childExited && listensOn(pid, port)) return;
      if (Date.now() > deadline) {
        await this.#kill();
        throw new Error(`sshd on port ${port} not ready after ${READY_TIMEOUT_MS} ms: ${stderr.trim()}`);
      }
      await sleep(50);
    }
  }

  /** Kills the current generation: listener, connections, user commands; waits until gone. */
  async #kill(): Promise<void> {
    const gen = this.#current;
    this.#current = undefined;
    if (!gen) return;
    gen.watchdog.kill('SIGKILL');
    const pid = gen.child.pid;
    if (pid === undefined) return;
    const kids = descendants(pid);
    signalAll([pid, ...kids], 'SIGTERM');
    const killed = await Promise.race([gen.exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!killed) {
      signalAll([pid], 'SIGKILL');
      await gen.exited;
    }
    const deadline = Date.now() + 3_000;
    while (kids.some(alive) && Date.now() < deadline) await sleep(50);
    signalAll(kids.filter(alive), 'SIGKILL');
  }
}

/**
 * Starts a real OpenSSH sshd as root with its own config in a temp dir, on a free high port,
 * `ListenAddress 0.0.0.0` (so every 127.x.y.z reaches it). Resolves once it sends its SSH banner.
 * Logins: {@link TEST_USER} and {@link OTHER_USER} by password or by a key in the authorized keys
 * file; root logins are refused. Requires root and `scripts/install-test-deps.sh` having run.
 */
export async function startSshd(options: StartSshdOptions = {}): Promise<Sshd> {
  if (process.getuid?.() !== 0) {
    throw new Error('startSshd: tests that start sshd must run as root (sshd switches to the test users)');
  }
  const dir = await tempDir('remex-sshd-');
  const server = new SshdProcess(dir, options.maxSessions, options.gssapi);
  try {
    await server.init(options.authorizedKeys ?? []);
  } catch (e: unknown) {
    await server.stop().catch(() => undefined);
    throw e;
  }
  return server;
}
