/**
 * @module
 * Server configuration from the environment, with documented defaults.
 */
import path from 'node:path';

import { InputError } from '@remex/common';

import { serverTimeZone } from '../recurring/cron-line.ts';
import type { LoginThrottleOptions } from '../users/login-throttle.ts';

/** Everything the server needs to start. */
export interface ServerConfig {
  /** Address to listen on (env `REMEX_HOST`, default `127.0.0.1`). */
  host: string;
  /** Port to listen on (env `REMEX_PORT`, default 3000; 0 picks a free port). */
  port: number;
  /** Directory for the SQLite file and generated secrets (env `REMEX_DATA_DIR`, default `./data`). */
  dataDir: string;
  /**
   * Database URL (env `DATABASE_URL`). `postgres://…` selects PostgreSQL; `sqlite://…` or
   * unset selects SQLite (default `<dataDir>/remex.sqlite3`).
   */
  databaseUrl: string;
  /** Password for the `admin` user created at first start (env `REMEX_ADMIN_PASSWORD`; default random, printed once). */
  adminPassword: string | null;
  /** Key for secrets at rest (env `REMEX_SECRET_KEY`; default a generated `<dataDir>/secret.key`, mode 0600). */
  secretKey?: string | null;
  /** pino log level (env `REMEX_LOG_LEVEL`, default `info`; `silent` in tests). */
  logLevel: string;
  /** Base URL proxies use to call back (env `REMEX_PUBLIC_URL`, default the listen URL). */
  publicUrl: string | null;
  /** Plugins to load at start: npm package names or paths (env `REMEX_PLUGINS`, comma-separated; default none). */
  plugins?: string[];
  /** How long a server's claim on a task it is dispatching holds without renewal (env `REMEX_TASK_LEASE_SECONDS`, default 30; ADR 0009). */
  taskLeaseSeconds?: number;
  /**
   * The smart proxy that is this installation's built-in runner, used for a host no proxy applies
   * to when the setting `remote_execution_without_proxy` is on (env `REMEX_BUILTIN_PROXY`, default
   * `embedded`: the proxy `remex up` starts beside the server registers under that name).
   */
  builtinProxy?: string;
  /**
   * TLS towards HTTPS proxies (ADR 0018): a CA that signs proxy certificates (env
   * `REMEX_PROXY_CA_FILE`; without it each proxy's certificate is pinned at registration) and the
   * client certificate and key presented to proxies that require one (env
   * `REMEX_PROXY_CLIENT_CERT_FILE`, `REMEX_PROXY_CLIENT_KEY_FILE`). File paths.
   */
  proxyTlsFiles?: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined };
  /** A browser session unused this long ends (env `REMEX_SESSION_IDLE_MINUTES`, default 60; ADR 0010). */
  sessionIdleMinutes?: number;
  /** A browser session ends this long after login (env `REMEX_SESSION_MAX_HOURS`, default 12; ADR 0010). */
  sessionMaxHours?: number;
  /** Zone the cron lines of recurring jobs are read in (env `REMEX_TZ`, default the system's). */
  timeZone?: string;
  /**
   * How late an occurrence of a recurring job may start, e.g. after the servers were down (env
   * `REMEX_RECURRING_GRACE_SECONDS`, default 3600); a later one is skipped saying why. A job's own
   * `start_before` offset wins.
   */
  recurringGraceSeconds?: number;
  /** First wait before a failed webhook delivery is retried, in ms, doubling per attempt (not from the environment; default 5000; tests lower it). */
  webhookRetryBaseMs?: number;
  /** This server's id in task claims and event announcements (not from the environment; default host:pid:random; tests running two servers in one process set it). */
  instanceId?: string;
  /** The clock of sessions and tokens, ms since the epoch (not from the environment; tests inject one). */
  now?: () => number;
  /** Login lock-out thresholds (not from the environment; tests lower them). */
  loginThrottle?: Partial<LoginThrottleOptions>;
  /**
   * Most bytes of stdout+stderr stored per host of a job (env `REMEX_MAX_HOST_OUTPUT_BYTES`,
   * default 10 MiB); later output is dropped and one truncation line stored instead.
   */
  maxHostOutputBytes?: number;
}

/** Default {@link ServerConfig.recurringGraceSeconds}: an hour. */
export const DEFAULT_RECURRING_GRACE_SECONDS = 3600;

/** Default {@link ServerConfig.maxHostOutputBytes}: 10 MiB. */
export const DEFAULT_MAX_HOST_OUTPUT_BYTES = 10 * 1024 * 1024;

function bytesOf(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > 1024 * 1024 * 1024) throw new InputError(`${name} must be a number of bytes from 1024 to 1073741824, got '${value}'`);
  return n;
}

function secondsOf(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 86_400) throw new InputError(`${name} must be a whole number of seconds from 1 to 86400, got '${value}'`);
  return n;
}

function wholeOf(value: string | undefined, fallback: number, name: string, unit: string, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InputError(`${name} must be a whole number of ${unit} from 1 to ${max}, got '${value}'`);
  return n;
}

function portOf(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InputError(`${name} must be a port number, got '${value}'`);
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Reads the server configuration.
 * @param env - environment to read (default `process.env`)
 * @param overrides - values that win over the environment
 */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const dataDir = path.resolve(overrides.dataDir ?? env.REMEX_DATA_DIR ?? 'data');
  const config: ServerConfig = {
    host: env.REMEX_HOST ?? '127.0.0.1',
    port: portOf(env.REMEX_PORT, 3000, 'REMEX_PORT'),
    dataDir,
    databaseUrl: env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : `sqlite://${path.join(dataDir, 'remex.sqlite3')}`,
    adminPassword: env.REMEX_ADMIN_PASSWORD && env.REMEX_ADMIN_PASSWORD !== '' ? env.REMEX_ADMIN_PASSWORD : null,
    secretKey: env.REMEX_SECRET_KEY && env.REMEX_SECRET_KEY !== '' ? env.REMEX_SECRET_KEY : null,
    logLevel: env.REMEX_LOG_LEVEL ?? 'info',
    publicUrl: env.REMEX_PUBLIC_URL ?? null,
    taskLeaseSeconds: secondsOf(env.REMEX_TASK_LEASE_SECONDS, 30, 'REMEX_TASK_LEASE_SECONDS'),
    timeZone: serverTimeZone(env),
    recurringGraceSeconds: secondsOf(env.REMEX_RECURRING_GRACE_SECONDS, DEFAULT_RECURRING_GRACE_SECONDS, 'REMEX_RECURRING_GRACE_SECONDS'),
    builtinProxy: env.REMEX_BUILTIN_PROXY !== undefined && env.REMEX_BUILTIN_PROXY.trim() !== '' ? env.REMEX_BUILTIN_PROXY.trim() : 'embedded',
    sessionIdleMinutes: wholeOf(env.REMEX_SESSION_IDLE_MINUTES, 60, 'REMEX_SESSION_IDLE_MINUTES', 'minutes', 10_080),
    sessionMaxHours: wholeOf(env.REMEX_SESSION_MAX_HOURS, 12, 'REMEX_SESSION_MAX_HOURS', 'hours', 8_760),
    maxHostOutputBytes: bytesOf(env.REMEX_MAX_HOST_OUTPUT_BYTES, DEFAULT_MAX_HOST_OUTPUT_BYTES, 'REMEX_MAX_HOST_OUTPUT_BYTES'),
    proxyTlsFiles: { ca: nonEmpty(env.REMEX_PROXY_CA_FILE), cert: nonEmpty(env.REMEX_PROXY_CLIENT_CERT_FILE), key: nonEmpty(env.REMEX_PROXY_CLIENT_KEY_FILE) },
    plugins: (env.REMEX_PLUGINS ?? '').split(',').map((p) => p.trim()).filter((p) => p !== ''),
  };
  return { ...config, ...overrides, dataDir };
}
