/**
 * @module
 * Where the CLI finds the server and its credentials: command-line flags, then environment
 * (`REMEX_URL`, `REMEX_USER`, `REMEX_PASSWORD`), then `~/.config/remex/cli.yml`
 * (`url`, `username`, `password`), then defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { load as parseYaml } from 'js-yaml';

import { InputError } from '@remex/common';

/** Resolved connection settings of the CLI. */
export interface ClientConfig {
  /** Server base URL without trailing slash. Default `http://127.0.0.1:3000`. */
  url: string;
  /** User name for HTTP Basic auth. Default `admin`. */
  username: string;
  /** Password for HTTP Basic auth; `undefined` sends no credentials. */
  password: string | undefined;
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
  let doc: Record<string, unknown> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (e: unknown) {
      throw new InputError(`${file}: not valid YAML`, { cause: e });
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError(`${file}: expected a mapping`);
      doc = parsed as Record<string, unknown>;
    }
  }
  const pick = (flag: string | undefined, envValue: string | undefined, key: string): string | undefined =>
    flag ?? (envValue === '' ? undefined : envValue) ?? stringField(doc, key, file);
  const url = pick(flags.server, env.REMEX_URL, 'url') ?? DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    throw new InputError(`invalid server URL: ${url}`);
  }
  return {
    url: url.replace(/\/+$/, ''),
    username: pick(flags.username, env.REMEX_USER, 'username') ?? DEFAULT_USERNAME,
    password: pick(flags.password, env.REMEX_PASSWORD, 'password'),
  };
}
