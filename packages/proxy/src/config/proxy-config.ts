/**
 * @module
 * The proxy's configuration: one typed object with documented defaults. Loaded by
 * {@link loadProxyConfig} from a YAML file, environment variables and explicit overrides.
 */

import { availableParallelism } from 'node:os';

import type { TransportName } from '@remex/common';

/** Log levels understood by pino (`silent` turns logging off). */
export type ProxyLogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything a proxy needs to run. */
export interface ProxyConfig {
  /** Name the proxy announces in `GET /features` and in every event batch. (Default: the machine's host name.) */
  name: string;
  /** Address the HTTP API listens on. (Default: `127.0.0.1`.) */
  listenHost: string;
  /** Port the API listens on; `0` picks a free port. (Default: `8443` over HTTPS, `3001` with `plainHttp`.) */
  listenPort: number;
  /**
   * PEM certificate (chain) of the proxy's HTTPS listener, with {@link tlsKeyFile}; e.g. from
   * `remex proxy cert`. (Default: none: an ECDSA certificate for the machine's names is made on
   * first start in `<dataDir>/tls/`, self-signed; the server pins it at registration, ADR 0018.)
   */
  tlsCertFile: string | undefined;
  /** PEM private key of {@link tlsCertFile}. (Default: none.) */
  tlsKeyFile: string | undefined;
  /**
   * CA certificate(s) whose client certificates may connect (mutual TLS): a client without a
   * certificate signed by it is refused during the handshake, before any request. (Default:
   * none: the server proves itself with its request signatures, ADR 0007.)
   */
  tlsClientCaFile: string | undefined;
  /**
   * Listen on plain HTTP instead of HTTPS. Launch batches (scripts, SSH and sudo passwords) then
   * cross the network unencrypted: for loopback (`remex up`'s embedded proxy) and tests; a
   * warning is logged when the listen address is not a loopback one. (Default: `false`.)
   */
  plainHttp: boolean;
  /** Base URL of the Remex server receiving events, e.g. `http://127.0.0.1:3000`. (Default: `http://127.0.0.1:3000`.) */
  serverUrl: string;
  /**
   * This proxy's credential, as printed once by `remex proxy-registration credential --name N`
   * (`<key id>.<secret>`). Requests both ways are signed with it (`Remex-HMAC`, ADR 0007); the
   * secret itself is never sent. Required.
   */
  token: string;
  /** Directory holding the proxy's SQLite database and generated SSH key. (Default: `./data/proxy`.) */
  dataDir: string;
  /** Most tasks (SSH sessions) in flight at once; the rest wait in a FIFO queue. (Default: `200`.) */
  maxConcurrentSessions: number;
  /**
   * Private key used for SSH; its public half must sit beside it as `<file>.pub`.
   * (Default: none: an ed25519 key pair is generated on first start in `<dataDir>/ssh/`.)
   */
  sshIdentityKeyFile: string | undefined;
  /** Remote working directory used when a task does not name one. (Default: `/var/tmp`.) */
  remoteWorkingDir: string;
  /** Seconds to wait for the TCP connection and SSH handshake. (Default: `30`.) */
  sshConnectTimeout: number;
  /**
   * Most SSH handshakes (TCP connect, key exchange, authentication) in progress at once; more
   * connections wait in FIFO order. Lowers the median latency of a big fan-out when the proxy's
   * CPU is the bottleneck, at some CPU cost per host; on slow links it limits throughput.
   * (Default: none: only `maxConcurrentSessions` limits.)
   */
  sshMaxHandshakes: number | undefined;
  /**
   * Seconds an SSH connection stays open after its last task, for later tasks to the same host
   * as the same user with the same credentials and host key (warm connections, ADR 0014);
   * `0` closes every connection after its task. (Default: `60`.)
   */
  sshConnectionIdleTimeout: number;
  /**
   * Most SSH connections kept open; beyond it idle ones are closed, least recently used first.
   * Connections in use are bounded by `maxConcurrentSessions`. (Default: `1000`.)
   */
  sshMaxOpenConnections: number;
  /**
   * Most channels at once on one connection (tasks sharing it, plus a kill): keep it ≤ the
   * hosts' sshd `MaxSessions` (whose default is 10). A host that refuses a channel earlier gets a
   * second connection. (Default: `10`.)
   */
  sshMaxSessionsPerConnection: number;
  /**
   * Worker threads for the ssh2 transport (ADR 0025): key exchanges, authentication and channel
   * I/O run there, spread over the cores, so they never hold up the main thread (task runner,
   * outbox, delivery to the server). A host always goes to the same thread; `ssh_max_handshakes`
   * and `ssh_max_open_connections` are divided between the threads. `0`: ssh2 runs in the main
   * thread. (Default: one less than the machine's cores, at most 4.)
   */
  sshWorkerThreads: number;
  /**
   * How hosts are reached when a task does not say (`remote_execution_transport` host parameter
   * or setting): `ssh2` (the in-process ssh2 library) or `openssh` (the system `ssh` with
   * ControlMaster/ControlPersist: uses `ssh_config`, ProxyJump, certificates, GSSAPI).
   * (Default: `ssh2`.)
   */
  sshTransport: TransportName;
  /**
   * OpenSSH transport only (Foreman's `kerberos_auth`): try Kerberos (`gssapi-with-mic`) first,
   * with the ticket cache and `krb5.conf` of the proxy's environment (`KRB5CCNAME`,
   * `KRB5_CONFIG`); when it fails, the other methods (key, password) follow. (Default: `false`.)
   */
  kerberosAuth: boolean;
  /** Log level. (Default: `info`.) */
  logLevel: ProxyLogLevel;
  /** Largest accepted HTTP request body in bytes (launch batches carry scripts). (Default: 256 MiB.) */
  bodyLimit: number;
  /** Most events sent to the server in one callback request. (Default: `5000`.) */
  deliveryBatchSize: number;
  /** Most bytes of JSON sent to the server in one callback request (approximate). (Default: 900 KiB.) */
  deliveryBatchBytes: number;
  /** Longest wait between delivery retries while the server is unreachable, in ms. (Default: `10000`.) */
  deliveryMaxBackoffMs: number;
  /**
   * Async SSH (manual §4.6) for tasks that do not say (the host's `remote_execution_async_ssh`):
   * the script runs detached on the host, its output goes to files the proxy reads on from stored
   * offsets, so running tasks survive a restart (or crash) of the proxy and a broken connection.
   * (Default: `false`.)
   */
  asyncSsh: boolean;
  /** Seconds between reads of a detached script's output (Foreman's `runner_refresh_interval`). (Default: `1`.) */
  runnerRefreshInterval: number;
}

/** One thread per core left beside the main thread, at most 4 (0 on a single core). */
export function defaultSshWorkerThreads(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

/** Defaults of every key except `name` (the host name), `token` (required) and `listenPort` (by protocol). */
export const PROXY_CONFIG_DEFAULTS = {
  listenHost: '127.0.0.1',
  tlsCertFile: undefined,
  tlsKeyFile: undefined,
  tlsClientCaFile: undefined,
  plainHttp: false,
  serverUrl: 'http://127.0.0.1:3000',
  dataDir: './data/proxy',
  maxConcurrentSessions: 200,
  sshIdentityKeyFile: undefined,
  remoteWorkingDir: '/var/tmp',
  sshConnectTimeout: 30,
  sshMaxHandshakes: undefined,
  sshConnectionIdleTimeout: 60,
  sshMaxOpenConnections: 1000,
  sshMaxSessionsPerConnection: 10,
  sshWorkerThreads: defaultSshWorkerThreads(),
  sshTransport: 'ssh2',
  kerberosAuth: false,
  logLevel: 'info',
  bodyLimit: 256 * 1024 * 1024,
  deliveryBatchSize: 5000,
  deliveryBatchBytes: 900 * 1024,
  deliveryMaxBackoffMs: 10_000,
  asyncSsh: false,
  runnerRefreshInterval: 1,
} as const satisfies Omit<ProxyConfig, 'name' | 'token' | 'listenPort'>;

/** Default port over HTTPS (Foreman's smart proxy port). */
export const DEFAULT_HTTPS_PORT = 8443;
/** Default port with `plainHttp`. */
export const DEFAULT_PLAIN_PORT = 3001;
