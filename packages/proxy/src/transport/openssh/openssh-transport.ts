/**
 * @module
 * The OpenSSH transport: runs the system `ssh` with `ControlMaster`/`ControlPersist`, as
 * Foreman's proxy does since 0.5 (`MultiplexedSSHConnection`). Per task it makes sure a master
 * connection with the task's identity is up (one `ssh … true` that authenticates and leaves the
 * master running in the background), then runs every command as an `ssh -S <socket>` client of
 * that master. Brings what ssh2 lacks: the user's `ssh_config` (ProxyJump, certificates, …) and
 * GSSAPI when configured there.
 *
 * - Authentication: `PreferredAuthentications` = `password,publickey,keyboard-interactive` when
 *   the task has an SSH password, else `publickey`; the proxy's key via `-i` with
 *   `IdentitiesOnly=yes`; `BatchMode=yes` unless a secret must be answered, which goes through
 *   `SSH_ASKPASS` (`askpass.ts`, `SSH_ASKPASS_REQUIRE=force`, never on disk);
 *   `NumberOfPasswordPrompts=1`. With `kerberos`, `gssapi-with-mic` comes first (the proxy's
 *   ticket cache, `KRB5CCNAME`), and key or password auth follow when it fails.
 * - Host keys: the same trust-on-first-use store as ssh2 (`host_keys` in the proxy database). Each
 *   master gets a one-line known_hosts file written from the store (alias `remex-target`,
 *   `StrictHostKeyChecking=yes`), or an empty one with `accept-new` when the host is new; the key
 *   ssh accepted is then recorded in the store, so both transports make the same decision.
 * - Control sockets: `<data_dir>/openssh/<16 hex>-<n>` (a private temp dir when that path is too
 *   long for a unix socket), one per identity and generation.
 * - Warm connections: the master lives `ControlPersist` = the proxy's idle timeout after its last
 *   command; a master is shared by at most half of `ssh_max_sessions_per_connection` tasks so
 *   that each can still open its kill channel.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { coerceError } from '@remex/common';

import { hostKeyId, type HostKeyStore } from '../host-key-store.ts';
import { TransportError } from '../transport-errors.ts';
import type { Transport, TransportSession, TransportTarget } from '../transport.ts';
import { AskpassSecrets, installAskpassHelper } from './askpass.ts';
import { keyFingerprint, opensshConnectError } from './openssh-errors.ts';
import type { OpensshMaster } from './openssh-master.ts';
import { runSsh } from './openssh-process.ts';
import { type MasterControl, OpensshSession } from './openssh-session.ts';

/** Options of {@link OpensshTransport}. */
export interface OpensshTransportOptions {
  /** The proxy's private key file (`-i`). */
  privateKeyFile: string;
  /** Where trusted host keys live (shared with the ssh2 transport). */
  hostKeys: HostKeyStore;
  /** The proxy's data directory: control sockets go to `<dataDir>/openssh/`. */
  dataDir: string;
  /** Seconds for TCP connect + handshake + authentication. */
  connectTimeoutSeconds: number;
  /** Seconds a master stays up after its last command (`ControlPersist`); `0`: closed after each task. (Default: `60`.) */
  connectionIdleTimeoutSeconds?: number | undefined;
  /**
   * Most masters kept open (`ssh_max_open_connections`): beyond it idle ones exit, least recently
   * used first; masters in use are bounded by the proxy's concurrency. (Default: `1000`.)
   */
  maxOpenConnections?: number | undefined;
  /** Most sessions one host's sshd allows on one connection (`MaxSessions`). (Default: `10`.) */
  maxChannelsPerConnection?: number | undefined;
  /**
   * Try Kerberos (`gssapi-with-mic`) first, with the ticket cache of the environment
   * (`KRB5CCNAME`); the other methods follow when it fails. (Default: `false`.)
   */
  kerberos?: boolean | undefined;
  /** The `ssh` binary. (Default: `ssh` from `PATH`.) */
  sshBinary?: string | undefined;
}

/** Alias under which a host's key is kept in a master's known_hosts file. */
const HOST_ALIAS = 'remex-target';
/** Longest control socket path (unix sockets allow 107 bytes; ssh adds a temporary suffix while binding). */
const MAX_SOCKET_PATH = 80;

/** Transport over the system OpenSSH client with connection multiplexing. */
export class OpensshTransport implements Transport {
  readonly name = 'openssh';
  readonly #o: OpensshTransportOptions;
  readonly #binary: string;
  readonly #dir: string;
  readonly #ownsDir: boolean;
  readonly #askpass: string;
  readonly #hashKey = randomBytes(32);
  readonly #masters = new Map<string, OpensshMaster[]>();
  /** Master connections being opened, per identity: opening one identity is serialized. */
  readonly #opening = new Map<string, Promise<unknown>>();
  readonly #control: MasterControl;
  /** Environment of every ssh process: the proxy's, without an SSH agent. */
  readonly #env: NodeJS.ProcessEnv;
  #generation = 0;
  #closed = false;

  constructor(options: OpensshTransportOptions) {
    this.#o = options;
    this.#binary = options.sshBinary ?? 'ssh';
    const preferred = join(options.dataDir, 'openssh');
    if (preferred.length + 24 <= MAX_SOCKET_PATH) {
      mkdirSync(preferred, { recursive: true, mode: 0o700 });
      this.#dir = preferred;
      this.#ownsDir = false;
    } else {
      this.#dir = mkdtempSync(join(tmpdir(), 'remex-ssh-'));
      this.#ownsDir = true;
    }
    this.#askpass = installAskpassHelper(this.#dir);
    this.#env = { ...process.env };
    delete this.#env.SSH_AUTH_SOCK;
    this.#control = {
      binary: this.#binary,
      env: this.#env,
      clientArgs: (master) => this.#clientArgs(master),
      alive: (master) => this.#alive(master),
      release: (master) => this.#release(master),
    };
  }

  /** Tasks per master: half the channel limit, so every task can open a kill channel too. */
  get #leasesPerMaster(): number {
    return Math.max(1, Math.floor((this.#o.maxChannelsPerConnection ?? 10) / 2));
  }

  async connect(target: TransportTarget, signal?: AbortSignal): Promise<TransportSession> {
    if (this.#closed) throw new TransportError(`Connecting to ${target.address}:${target.port}: the SSH transport was closed`, 'aborted');
    const identity = this.#identity(target);
    const previous = this.#opening.get(identity) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.#obtain(target, identity, signal));
    const settled = mine.catch(() => undefined);
    this.#opening.set(identity, settled);
    void settled.then(() => {
      if (this.#opening.get(identity) === settled) this.#opening.delete(identity);
    });
    const master = await mine;
    return new OpensshSession(master, this.#control);
  }

  /** A live master with room and the trusted host key, or a new one; leased once. */
  async #obtain(target: TransportTarget, identity: string, signal: AbortSignal | undefined): Promise<OpensshMaster> {
    if (signal?.aborted) throw aborted(target);
    const trusted = this.#o.hostKeys.get(hostKeyId(target.address, target.port));
    for (const master of this.#masters.get(identity) ?? []) {
      if (master.retired || master.leases >= this.#leasesPerMaster || master.hostKey !== trusted?.key) continue;
      if (await this.#alive(master)) {
        master.leases++;
        return master;
      }
      master.retired = true;
      this.#forget(master);
    }
    return this.#open(target, identity, signal);
  }

  async #open(target: TransportTarget, identity: string, signal: AbortSignal | undefined): Promise<OpensshMaster> {
    const id = hostKeyId(target.address, target.port);
    const trusted = this.#o.hostKeys.get(id);
    const name = `${identity}-${++this.#generation}`;
    const master: OpensshMaster = {
      identity,
      controlPath: join(this.#dir, name),
      knownHostsFile: join(this.#dir, `${name}.known_hosts`),
      target: { hostName: target.hostName, address: target.address, port: target.port, user: target.user },
      hostKey: trusted?.key ?? '',
      leases: 1,
      retired: false,
    };
    writeFileSync(master.knownHostsFile, trusted ? `${HOST_ALIAS} ${trusted.algorithm} ${trusted.key}\n` : '', { mode: 0o600 });
    const withPassword = target.password !== undefined;
    const methods = [
      ...(this.#o.kerberos === true ? ['gssapi-with-mic'] : []),
      ...(withPassword ? ['password', 'publickey', 'keyboard-interactive'] : ['publickey']),
    ];
    const needsAnswers = withPassword || target.keyPassphrase !== undefined;
    let secrets: AskpassSecrets | undefined;
    try {
      secrets = needsAnswers ? new AskpassSecrets(join(this.#dir, `${name}.askpass`), { password: target.password, passphrase: target.keyPassphrase }) : undefined;
    } catch (e: unknown) {
      rmSync(master.knownHostsFile, { force: true });
      throw new TransportError(`Cannot prepare the SSH password prompt for ${target.address}:${target.port}: ${coerceError(e).message}`, 'connect_failed', e);
    }
    const persist = this.#o.connectionIdleTimeoutSeconds ?? 60;
    const args = [
      ...this.#commonArgs(master),
      '-o', 'ControlMaster=yes',
      '-o', `ControlPersist=${persist > 0 ? `${Math.ceil(persist)}s` : 'yes'}`,
      '-o', `StrictHostKeyChecking=${trusted ? 'yes' : 'accept-new'}`,
      '-o', `BatchMode=${needsAnswers ? 'no' : 'yes'}`,
      '-o', `PreferredAuthentications=${methods.join(',')}`,
      '-o', 'NumberOfPasswordPrompts=1',
      '-o', `GSSAPIAuthentication=${this.#o.kerberos === true ? 'yes' : 'no'}`,
      '-o', 'GSSAPIDelegateCredentials=no',
      '-o', `ConnectTimeout=${Math.max(1, Math.ceil(this.#o.connectTimeoutSeconds))}`,
      '-o', 'ServerAliveInterval=15',
      '-o', 'ServerAliveCountMax=3',
      '-o', 'LogLevel=ERROR',
      '-i', this.#o.privateKeyFile,
      '-o', 'IdentitiesOnly=yes',
      target.address,
      'true',
    ];
    const env: NodeJS.ProcessEnv = { ...this.#env };
    if (secrets) {
      Object.assign(env, { SSH_ASKPASS: this.#askpass, SSH_ASKPASS_REQUIRE: 'force', REMEX_ASKPASS_DIR: secrets.dir });
      env.DISPLAY ??= ':0';
    }
    let run;
    try {
      run = await runSsh(this.#binary, args, env, Math.round(this.#o.connectTimeoutSeconds * 1000) + 2_000, signal);
    } finally {
      secrets?.dispose();
    }
    if (run.aborted || this.#closed) {
      this.#exit(master);
      throw aborted(target);
    }
    if (run.timedOut) {
      this.#exit(master);
      throw new TransportError(
        `Failed to connect to ${target.address}:${target.port}: timed out after ${this.#o.connectTimeoutSeconds} s waiting for the SSH handshake`,
        'connect_timeout',
      );
    }
    if (run.code !== 0) {
      this.#exit(master);
      throw opensshConnectError(run.stderr, target, methods, trusted, this.#o.connectTimeoutSeconds);
    }
    if (!trusted) {
      const presented = readKnownHost(master.knownHostsFile);
      if (!presented) {
        this.#exit(master);
        throw new TransportError(`SSH connection to ${target.address}:${target.port} failed: ssh recorded no host key`, 'connect_failed');
      }
      const check = this.#o.hostKeys.check(id, presented);
      if (check.result === 'changed') {
        this.#exit(master);
        throw new TransportError(
          `Host key verification failed for ${target.hostName} (${id}): it presented the ${presented.algorithm} key ` +
            `${keyFingerprint(presented.key)}, but ${check.known.algorithm} key ${keyFingerprint(check.known.key)} was trusted ` +
            `on first use. If the host was legitimately re-keyed, remove its stored key from the proxy.`,
          'host_key_mismatch',
        );
      }
      master.hostKey = presented.key;
    }
    const list = this.#masters.get(identity) ?? [];
    list.push(master);
    this.#masters.set(identity, list);
    this.#trim();
    return master;
  }

  /** Options shared by the master and its clients. */
  #commonArgs(master: OpensshMaster): string[] {
    const t = master.target;
    return [
      '-o', `ControlPath=${master.controlPath}`,
      '-o', `UserKnownHostsFile=${master.knownHostsFile}`,
      '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', `HostKeyAlias=${HOST_ALIAS}`,
      '-o', 'HashKnownHosts=no',
      '-o', 'CheckHostIP=no',
      '-o', 'ForwardAgent=no',
      '-o', 'ClearAllForwardings=yes',
      '-o', 'RequestTTY=no',
      '-p', String(t.port),
      '-l', t.user,
    ];
  }

  /**
   * Options of a command client. Should the socket be gone, ssh falls back to a connection of its
   * own: it then authenticates as the proxy (its key only, no agent, no prompt) or fails, and
   * the session sees the master dead.
   */
  #clientArgs(master: OpensshMaster): string[] {
    return [
      ...this.#commonArgs(master),
      '-o', 'ControlMaster=no',
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes',
      '-o', `PreferredAuthentications=${this.#o.kerberos === true ? 'gssapi-with-mic,' : ''}publickey`,
      '-o', `GSSAPIAuthentication=${this.#o.kerberos === true ? 'yes' : 'no'}`,
      '-o', `ConnectTimeout=${Math.max(1, Math.ceil(this.#o.connectTimeoutSeconds))}`,
      '-i', this.#o.privateKeyFile,
      '-o', 'IdentitiesOnly=yes',
      '-o', 'LogLevel=QUIET',
      '-T',
      master.target.address,
    ];
  }

  async #alive(master: OpensshMaster): Promise<boolean> {
    const run = await runSsh(this.#binary, ['-S', master.controlPath, '-O', 'check', master.target.address], this.#env, 10_000);
    return run.code === 0;
  }

  #release(master: OpensshMaster): void {
    master.leases = Math.max(0, master.leases - 1);
    if (master.leases > 0) return;
    if (master.retired || this.#closed || (this.#o.connectionIdleTimeoutSeconds ?? 60) === 0) this.#exit(master);
    else {
      master.idleSince = Date.now();
      this.#trim();
    }
  }

  /** Ends idle masters, least recently used first, while more than `maxOpenConnections` are open. */
  #trim(): void {
    const max = this.#o.maxOpenConnections ?? 1000;
    let open = this.masterCount();
    if (open <= max) return;
    const idle = [...this.#masters.values()]
      .flat()
      .filter((m) => m.leases === 0 && !m.retired)
      .sort((a, b) => (a.idleSince ?? 0) - (b.idleSince ?? 0));
    for (const m of idle) {
      if (open <= max) break;
      this.#exit(m);
      open--;
    }
  }

  /** Ends a master (`ssh -O exit`) and forgets it. */
  #exit(master: OpensshMaster): void {
    master.retired = true;
    this.#forget(master);
    void runSsh(this.#binary, ['-S', master.controlPath, '-O', 'exit', master.target.address], this.#env, 10_000).then(() => {
      rmSync(master.knownHostsFile, { force: true });
    });
  }

  #forget(master: OpensshMaster): void {
    const list = this.#masters.get(master.identity);
    if (!list) return;
    const rest = list.filter((m) => m !== master);
    if (rest.length > 0) this.#masters.set(master.identity, rest);
    else this.#masters.delete(master.identity);
  }

  /** Identity of a master: host, address, port, user and an HMAC of the secrets under a per-process key. */
  #identity(target: TransportTarget): string {
    return createHmac('sha256', this.#hashKey)
      .update(JSON.stringify([target.hostName, target.address, target.port, target.user, target.password ?? null, target.keyPassphrase ?? null]))
      .digest('hex')
      .slice(0, 16);
  }

  /** Masters open now (diagnostics and tests). */
  masterCount(): number {
    let n = 0;
    for (const list of this.#masters.values()) n += list.length;
    return n;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#masters.values()].flat();
    this.#masters.clear();
    await Promise.all(
      all.map((m) => runSsh(this.#binary, ['-S', m.controlPath, '-O', 'exit', m.target.address], this.#env, 10_000)),
    );
    for (const m of all) rmSync(m.knownHostsFile, { force: true });
    if (this.#ownsDir) rmSync(this.#dir, { recursive: true, force: true });
  }
}

function aborted(target: TransportTarget): TransportError {
  return new TransportError(`Connecting to ${target.address}:${target.port} was aborted`, 'aborted');
}

/** The key ssh recorded in a master's known_hosts file, if any. */
function readKnownHost(file: string): { algorithm: string; key: string } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [host, algorithm, key] = line.trim().split(/\s+/);
    if (host === HOST_ALIAS && algorithm && key) return { algorithm, key };
  }
  return undefined;
}
