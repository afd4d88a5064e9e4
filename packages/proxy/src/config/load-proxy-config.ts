/**
 * @module
 * Builds a {@link ProxyConfig} from, in increasing priority: defaults, a YAML file, environment
 * variables and explicit overrides.
 *
 * YAML keys (snake_case, like Foreman's `remote_execution_ssh.yml`): `name`, `listen`
 * (`host:port`), `port`, `server_url`, `token`, `data_dir`, `max_concurrent_sessions`,
 * `ssh_identity_key_file`, `remote_working_dir`, `ssh_connect_timeout`, `ssh_max_handshakes`,
 * `ssh_connection_idle_timeout`, `ssh_max_open_connections`, `ssh_max_sessions_per_connection`, `ssh_worker_threads`, `ssh_transport`, `kerberos_auth`, `log_level`,
 * `body_limit`, `delivery_batch_size`, `delivery_batch_bytes`, `delivery_max_backoff_ms`,
 * `tls_cert_file`, `tls_key_file`, `tls_client_ca_file`, `plain_http`, `async_ssh`, `runner_refresh_interval`.
 *
 * Environment: `REMEX_PROXY_NAME`, `REMEX_PROXY_LISTEN` (`host:port`), `REMEX_PROXY_PORT`,
 * `REMEX_SERVER_URL`, `REMEX_PROXY_TOKEN`, `REMEX_PROXY_DATA_DIR`, `REMEX_PROXY_MAX_SESSIONS`,
 * `REMEX_PROXY_SSH_IDENTITY_KEY_FILE`, `REMEX_PROXY_REMOTE_WORKING_DIR`,
 * `REMEX_PROXY_SSH_CONNECT_TIMEOUT`, `REMEX_PROXY_SSH_MAX_HANDSHAKES`,
 * `REMEX_PROXY_SSH_CONNECTION_IDLE_TIMEOUT`, `REMEX_PROXY_SSH_MAX_OPEN_CONNECTIONS`,
 * `REMEX_PROXY_SSH_MAX_SESSIONS_PER_CONNECTION`, `REMEX_PROXY_SSH_WORKER_THREADS`, `REMEX_PROXY_SSH_TRANSPORT`, `REMEX_PROXY_KERBEROS_AUTH`, `REMEX_PROXY_LOG_LEVEL`,
 * `REMEX_PROXY_TLS_CERT_FILE`, `REMEX_PROXY_TLS_KEY_FILE`, `REMEX_PROXY_TLS_CLIENT_CA_FILE`, `REMEX_PROXY_PLAIN_HTTP`,
 * `REMEX_PROXY_ASYNC_SSH`, `REMEX_PROXY_RUNNER_REFRESH_INTERVAL`.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';

import { coerceError, InputError, TRANSPORT_NAMES, type TransportName } from '@remex/common';
import { parse as parseYaml } from 'yaml';

import { DEFAULT_HTTPS_PORT, DEFAULT_PLAIN_PORT, PROXY_CONFIG_DEFAULTS, type ProxyConfig, type ProxyLogLevel } from './proxy-config.ts';

/** Inputs of {@link loadProxyConfig}. */
export interface LoadProxyConfigOptions {
  /** YAML config file; relative paths inside it resolve against its directory. */
  file?: string | undefined;
  /** Environment to read (Default: `process.env`). */
  env?: Record<string, string | undefined>;
  /** Values that win over the file and the environment. */
  overrides?: Partial<ProxyConfig>;
}

const LOG_LEVELS: readonly ProxyLogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const FILE_KEYS = new Set([
  'name',
  'listen',
  'port',
  'server_url',
  'token',
  'data_dir',
  'max_concurrent_sessions',
  'ssh_identity_key_file',
  'remote_working_dir',
  'ssh_connect_timeout',
  'ssh_max_handshakes',
  'ssh_connection_idle_timeout',
  'ssh_max_open_connections',
  'ssh_max_sessions_per_connection',
  'ssh_worker_threads',
  'ssh_transport',
  'kerberos_auth',
  'log_level',
  'body_limit',
  'delivery_batch_size',
  'delivery_batch_bytes',
  'delivery_max_backoff_ms',
  'tls_cert_file',
  'tls_key_file',
  'tls_client_ca_file',
  'plain_http',
  'async_ssh',
  'runner_refresh_interval',
]);

/**
 * Loads and validates the proxy configuration.
 * @throws InputError when the file cannot be read or a value is invalid, or when no token is set
 * @example
 * ```ts
 * const config = loadProxyConfig({ file: '/etc/remex/proxy.yml' });
 * ```
 */
export function loadProxyConfig(options: LoadProxyConfigOptions = {}): ProxyConfig {
  const env = options.env ?? process.env;
  const partial: Partial<ProxyConfig> = {};
  if (options.file !== undefined) Object.assign(partial, readConfigFile(options.file));
  Object.assign(partial, fromEnv(env));
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) (partial as Record<string, unknown>)[key] = value;
  }
  const plainHttp = partial.plainHttp ?? PROXY_CONFIG_DEFAULTS.plainHttp;
  const config: ProxyConfig = {
    ...PROXY_CONFIG_DEFAULTS,
    name: hostname(),
    token: '',
    listenPort: plainHttp ? DEFAULT_PLAIN_PORT : DEFAULT_HTTPS_PORT,
    ...partial,
  };
  config.dataDir = resolve(config.dataDir);
  for (const key of ['tlsCertFile', 'tlsKeyFile', 'tlsClientCaFile'] as const) {
    const file = config[key];
    if (file !== undefined) config[key] = resolve(file);
  }
  if (config.sshIdentityKeyFile !== undefined) config.sshIdentityKeyFile = resolve(config.sshIdentityKeyFile);
  config.serverUrl = config.serverUrl.replace(/\/+$/, '');
  validate(config);
  return config;
}

function readConfigFile(file: string): Partial<ProxyConfig> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e: unknown) {
    throw new InputError(`Cannot read proxy config file ${file}: ${coerceError(e).message}`, { cause: e });
  }
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`Proxy config file ${file} must hold a YAML mapping`);
  }
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!FILE_KEYS.has(key)) throw new InputError(`Unknown key '${key}' in proxy config file ${file}`);
  }
  const base = dirname(resolve(file));
  const where = `in ${file}`;
  const out: Partial<ProxyConfig> = {};
  const str = (key: string): string | undefined => optionalString(doc[key], key, where);
  const num = (key: string): number | undefined => optionalNumber(doc[key], key, where);
  setIf(out, 'name', str('name'));
  const listen = str('listen');
  if (listen !== undefined) Object.assign(out, parseListen(listen, `listen ${where}`));
  setIf(out, 'listenPort', num('port'));
  setIf(out, 'serverUrl', str('server_url'));
  setIf(out, 'token', str('token'));
  const dataDir = str('data_dir');
  if (dataDir !== undefined) out.dataDir = resolve(base, dataDir);
  setIf(out, 'maxConcurrentSessions', num('max_concurrent_sessions'));
  const keyFile = str('ssh_identity_key_file');
  if (keyFile !== undefined) out.sshIdentityKeyFile = resolve(base, keyFile);
  setIf(out, 'remoteWorkingDir', str('remote_working_dir'));
  setIf(out, 'sshConnectTimeout', num('ssh_connect_timeout'));
  setIf(out, 'sshMaxHandshakes', num('ssh_max_handshakes'));
  setIf(out, 'sshConnectionIdleTimeout', num('ssh_connection_idle_timeout'));
  setIf(out, 'sshMaxOpenConnections', num('ssh_max_open_connections'));
  setIf(out, 'sshMaxSessionsPerConnection', num('ssh_max_sessions_per_connection'));
  setIf(out, 'sshWorkerThreads', num('ssh_worker_threads'));
  setIf(out, 'sshTransport', str('ssh_transport') as TransportName | undefined);
  setIf(out, 'kerberosAuth', optionalBoolean(doc.kerberos_auth, `'kerberos_auth' ${where}`));
  setIf(out, 'logLevel', str('log_level') as ProxyLogLevel | undefined);
  setIf(out, 'bodyLimit', num('body_limit'));
  setIf(out, 'deliveryBatchSize', num('delivery_batch_size'));
  setIf(out, 'deliveryBatchBytes', num('delivery_batch_bytes'));
  setIf(out, 'deliveryMaxBackoffMs', num('delivery_max_backoff_ms'));
  for (const [key, field] of [
    ['tls_cert_file', 'tlsCertFile'],
    ['tls_key_file', 'tlsKeyFile'],
    ['tls_client_ca_file', 'tlsClientCaFile'],
  ] as const) {
    const file = str(key);
    if (file !== undefined) out[field] = resolve(base, file);
  }
  setIf(out, 'plainHttp', optionalBoolean(doc.plain_http, `'plain_http' ${where}`));
  setIf(out, 'asyncSsh', optionalBoolean(doc.async_ssh, `'async_ssh' ${where}`));
  setIf(out, 'runnerRefreshInterval', num('runner_refresh_interval'));
  return out;
}

function fromEnv(env: Record<string, string | undefined>): Partial<ProxyConfig> {
  const out: Partial<ProxyConfig> = {};
  const get = (key: string): string | undefined => {
    const value = env[key];
    return value === undefined || value === '' ? undefined : value;
  };
  const num = (key: string): number | undefined => {
    const value = get(key);
    return value === undefined ? undefined : parseNumber(value, key);
  };
  setIf(out, 'name', get('REMEX_PROXY_NAME'));
  const listen = get('REMEX_PROXY_LISTEN');
  if (listen !== undefined) Object.assign(out, parseListen(listen, 'REMEX_PROXY_LISTEN'));
  setIf(out, 'listenPort', num('REMEX_PROXY_PORT'));
  setIf(out, 'serverUrl', get('REMEX_SERVER_URL'));
  setIf(out, 'token', get('REMEX_PROXY_TOKEN'));
  setIf(out, 'dataDir', get('REMEX_PROXY_DATA_DIR'));
  setIf(out, 'maxConcurrentSessions', num('REMEX_PROXY_MAX_SESSIONS'));
  setIf(out, 'sshIdentityKeyFile', get('REMEX_PROXY_SSH_IDENTITY_KEY_FILE'));
  setIf(out, 'remoteWorkingDir', get('REMEX_PROXY_REMOTE_WORKING_DIR'));
  setIf(out, 'sshConnectTimeout', num('REMEX_PROXY_SSH_CONNECT_TIMEOUT'));
  setIf(out, 'sshMaxHandshakes', num('REMEX_PROXY_SSH_MAX_HANDSHAKES'));
  setIf(out, 'sshConnectionIdleTimeout', num('REMEX_PROXY_SSH_CONNECTION_IDLE_TIMEOUT'));
  setIf(out, 'sshMaxOpenConnections', num('REMEX_PROXY_SSH_MAX_OPEN_CONNECTIONS'));
  setIf(out, 'sshMaxSessionsPerConnection', num('REMEX_PROXY_SSH_MAX_SESSIONS_PER_CONNECTION'));
  setIf(out, 'sshWorkerThreads', num('REMEX_PROXY_SSH_WORKER_THREADS'));
  setIf(out, 'sshTransport', get('REMEX_PROXY_SSH_TRANSPORT') as TransportName | undefined);
  setIf(out, 'kerberosAuth', optionalBoolean(get('REMEX_PROXY_KERBEROS_AUTH'), 'REMEX_PROXY_KERBEROS_AUTH'));
  setIf(out, 'logLevel', get('REMEX_PROXY_LOG_LEVEL') as ProxyLogLevel | undefined);
  setIf(out, 'tlsCertFile', get('REMEX_PROXY_TLS_CERT_FILE'));
  setIf(out, 'tlsKeyFile', get('REMEX_PROXY_TLS_KEY_FILE'));
  setIf(out, 'tlsClientCaFile', get('REMEX_PROXY_TLS_CLIENT_CA_FILE'));
  setIf(out, 'plainHttp', optionalBoolean(get('REMEX_PROXY_PLAIN_HTTP'), 'REMEX_PROXY_PLAIN_HTTP'));
  setIf(out, 'asyncSsh', optionalBoolean(get('REMEX_PROXY_ASYNC_SSH'), 'REMEX_PROXY_ASYNC_SSH'));
  setIf(out, 'runnerRefreshInterval', num('REMEX_PROXY_RUNNER_REFRESH_INTERVAL'));
  return out;
}

/**
 * Parses `host:port`, `[v6]:port`, `:port` or a bare port.
 * @internal
 */
export function parseListen(value: string, where: string): { listenHost?: string; listenPort: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value.trim());
  if (match) {
    const host = match[1] ?? match[2];
    const port = parseNumber(match[3] ?? '', where);
    return host ? { listenHost: host, listenPort: port } : { listenPort: port };
  }
  if (/^\d+$/.test(value.trim())) return { listenPort: parseNumber(value, where) };
  throw new InputError(`Invalid ${where} '${value}': expected host:port`);
}

function parseNumber(value: string, where: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InputError(`Invalid ${where} '${value}': expected a number`);
  return n;
}

function optionalString(value: unknown, key: string, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new InputError(`'${key}' ${where} must be a string`);
  return value;
}

function optionalNumber(value: unknown, key: string, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseNumber(value, `'${key}' ${where}`);
  throw new InputError(`'${key}' ${where} must be a number`);
}

function optionalBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (['true', 'yes', '1', 'on'].includes(text.trim().toLowerCase())) return true;
  if (['false', 'no', '0', 'off'].includes(text.trim().toLowerCase())) return false;
  throw new InputError(`Invalid ${where} '${text}': expected true or false`);
}

function setIf<K extends keyof ProxyConfig>(target: Partial<ProxyConfig>, key: K, value: ProxyConfig[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function validate(config: ProxyConfig): void {
  const positiveInt = (value: number, what: string, min = 1): void => {
    if (!Number.isInteger(value) || value < min) throw new InputError(`${what} must be an integer ≥ ${min}, got ${value}`);
  };
  if (!config.token) {
    throw new InputError('The proxy needs a token (its credential, issued by `remex proxy-registration credential --name NAME`): set REMEX_PROXY_TOKEN or `token` in the proxy config file');
  }
  if (!config.name) throw new InputError('The proxy name must not be empty');
  positiveInt(config.listenPort, 'The listen port', 0);
  if (config.listenPort > 65535) throw new InputError(`The listen port must be ≤ 65535, got ${config.listenPort}`);
  positiveInt(config.maxConcurrentSessions, 'max_concurrent_sessions');
  if (!(config.sshConnectTimeout > 0)) throw new InputError(`ssh_connect_timeout must be > 0, got ${config.sshConnectTimeout}`);
  if (config.sshMaxHandshakes !== undefined) positiveInt(config.sshMaxHandshakes, 'ssh_max_handshakes');
  if (!(config.sshConnectionIdleTimeout >= 0) || config.sshConnectionIdleTimeout > 86_400) {
    throw new InputError(`ssh_connection_idle_timeout must be between 0 and 86400 seconds, got ${config.sshConnectionIdleTimeout}`);
  }
  positiveInt(config.sshMaxOpenConnections, 'ssh_max_open_connections');
  positiveInt(config.sshMaxSessionsPerConnection, 'ssh_max_sessions_per_connection');
  positiveInt(config.sshWorkerThreads, 'ssh_worker_threads', 0);
  if (config.sshWorkerThreads > 64) throw new InputError(`ssh_worker_threads must be ≤ 64, got ${config.sshWorkerThreads}`);
  positiveInt(config.bodyLimit, 'body_limit');
  positiveInt(config.deliveryBatchSize, 'delivery_batch_size');
  positiveInt(config.deliveryBatchBytes, 'delivery_batch_bytes');
  positiveInt(config.deliveryMaxBackoffMs, 'delivery_max_backoff_ms');
  if (!(config.runnerRefreshInterval >= 0.1) || config.runnerRefreshInterval > 3600) {
    throw new InputError(`runner_refresh_interval must be between 0.1 and 3600 seconds, got ${config.runnerRefreshInterval}`);
  }
  if (!TRANSPORT_NAMES.includes(config.sshTransport)) {
    throw new InputError(`ssh_transport must be one of ${TRANSPORT_NAMES.join(', ')}, got '${String(config.sshTransport)}'`);
  }
  if (!LOG_LEVELS.includes(config.logLevel)) {
    throw new InputError(`log_level must be one of ${LOG_LEVELS.join(', ')}, got '${config.logLevel}'`);
  }
  if ((config.tlsCertFile === undefined) !== (config.tlsKeyFile === undefined)) {
    throw new InputError('tls_cert_file and tls_key_file go together: set both, or neither for a generated certificate');
  }
  if (config.plainHttp && (config.tlsCertFile !== undefined || config.tlsClientCaFile !== undefined)) {
    throw new InputError('plain_http turns TLS off: it cannot go with tls_cert_file or tls_client_ca_file');
  }
  if (!config.remoteWorkingDir.startsWith('/')) {
    throw new InputError(`remote_working_dir must be an absolute path, got '${config.remoteWorkingDir}'`);
  }
  let url: URL;
  try {
    url = new URL(config.serverUrl);
  } catch (e: unknown) {
    throw new InputError(`Invalid server URL '${config.serverUrl}'`, { cause: e });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`The server URL must use http or https, got '${config.serverUrl}'`);
  }
}
