/**
 * @module
 * Where the CLI finds the server and its credentials: command-line flags, then environment
 * (`REMEX_URL`, `REMEX_USER`, `REMEX_PASSWORD`, `REMEX_TOKEN`), then `~/.config/remex/cli.yml`
 * (`url`, `username`, `password`, `token` and `token_id` as `remex login` stores them), then
 * defaults. A password given by flag or environment wins over a stored token; a token wins over
 * a password in the file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { dump as dumpYaml, load as parseYaml } from 'js-yaml';

import { InputError } from '@remex/common';

/** Resolved connection settings of the CLI. */
export interface ClientConfig {
  /** Server base URL without trailing slash. Default `http://127.0.0.1:3000`. */
  url: string;
  /** User name for HTTP Basic auth. Default `admin`. */
  username: string;
  /** Password for HTTP Basic auth; `undefined` sends no password. */
  password: string | undefined;
  /** Personal access token sent as `Authorization: Bearer` (from `remex login`); wins over a password from the file. */
  token?: string | undefined;
}

/** Values given on the command line (`--server`, `--username`, `--password`). */
export interface ClientConfigFlags {
  server?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

/** Default server URL. */
export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** Default user name. */
export const DEFAULT_USERNAME = 'admin';

/**
 * Path of the config file: `$REMEX_CLI_CONFIG` if set, else `<home>/.config/remex/cli.yml`.
 * @param env - environment
 * @param home - home directory
 */
export function clientConfigPath(env: Record<string, string | undefined>, home: string): string {
  return env.REMEX_CLI_CONFIG ?? path.join(home, '.config', 'remex', 'cli.yml');
}

/** Reads a string-valued key from the parsed YAML document. */
function stringField(doc: Record<string, unknown>, key: string, file: string): string | undefined {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new InputError(`${file}: "${key}" must be a string`);
}

/**
 * Loads the client configuration (flags > env > file > defaults).
 * @param env - environment variables
 * @param home - home directory
 * @param flags - global command-line flags
 */
export function loadClientConfig(
  env: Record<string, string | undefined>,
  home: string,
  flags: ClientConfigFlags = {},
): ClientConfig {
  const file = clientConfigPath(env, home);
  const doc = readClientConfigFile(file);
  const pick = (flag: string | undefined, envValue: string | undefined, key: string): string | undefined =>
    flag ?? (envValue === '' ? undefined : envValue) ?? stringField(doc, key, file);
  const url = pick(flags.server, env.REMEX_URL, 'url') ?? DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    throw new InputError(`invalid server URL: ${url}`);
  }
  const explicitPassword = flags.password ?? (env.REMEX_PASSWORD === '' ? undefined : env.REMEX_PASSWORD);
  const token = explicitPassword === undefined ? pick(undefined, env.REMEX_TOKEN, 'token') : undefined;
  return {
    url: url.replace(/\/+$/, ''),
    username: pick(flags.username, env.REMEX_USER, 'username') ?? DEFAULT_USERNAME,
    password: explicitPassword ?? (token === undefined ? stringField(doc, 'password', file) : undefined),
    token,
  };
}

/**
 * Reads the config file as a mapping (empty when it does not exist).
 * @param file - path of the file
 */
export function readClientConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (e: unknown) {
    throw new InputError(`${file}: not valid YAML`, { cause: e });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError(`${file}: expected a mapping`);
  return parsed as Record<string, unknown>;
}

/**
 * Writes the config file (mode 0600: it holds a token), creating its directory (0700).
 * @param file - path of the file
 * @param doc - the mapping to write
 */
export function writeClientConfigFile(file: string, doc: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, dumpYaml(doc), { mode: 0o600 });
  chmodSync(file, 0o600);
}
