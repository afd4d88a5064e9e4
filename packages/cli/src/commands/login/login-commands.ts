/**
 * @module
 * `remex login` and `remex logout` (ADR 0010). `login` uses the password once (from
 * `--password`, `REMEX_PASSWORD` or a prompt) to create a personal access token and stores the
 * token, not the password, in the config file (mode 0600); later commands send it as Bearer.
 * `logout` revokes that token and removes it from the file.
 */
import { hostname } from 'node:os';

import type { PersonalAccessTokenCreated } from '@remex/common';
import { InputError } from '@remex/common';
import type { Command } from 'commander';

import { readSecret } from '../../cli/read-secret.ts';
import { clientConfigPath, loadClientConfig, readClientConfigFile, writeClientConfigFile } from '../../config/client-config.ts';
import { ApiClient } from '../../http/api-client.ts';
import { parseId } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';

/** Flags of `remex login`. */
interface LoginFlags {
  password?: string;
  tokenName?: string;
  expiresInDays?: number;
}

const tokensPath = (login: string): string => `/api/users/${encodeURIComponent(login)}/personal_access_tokens`;

/**
 * Adds `login` and `logout` to the program.
 * @param program - the `remex` command
 * @param ctx - command context
 */
export function addLoginCommands(program: Command, ctx: CommandContext): void {
  program
    .command('login')
    .description('log in: create a personal access token with your password and store the token in the CLI config')
    .option('--password <password>', 'password (default: REMEX_PASSWORD, else asked)')
    .option('--token-name <name>', 'name of the token (default: remex-cli@<host name>)')
    .option('--expires-in-days <days>', 'the token expires after this many days (default: never)', (v) => parseId(v, '--expires-in-days'))
    .action(async (flags: LoginFlags) => {
      const { io } = ctx;
      const base = loadClientConfig(io.env, io.home, { ...ctx.globalFlags(), password: undefined });
      const password = flags.password ?? ctx.globalFlags().password ?? (io.env.REMEX_PASSWORD || undefined) ?? (await readSecret(`Password for ${base.username}: `, io.stderr));
      if (password === '') throw new InputError('no password given');
      const client = new ApiClient({ url: base.url, username: base.username, password });
      const expiresAt = flags.expiresInDays === undefined ? undefined : new Date(Date.now() + flags.expiresInDays * 86_400_000).toISOString();
      const name = flags.tokenName ?? `remex-cli@${hostname()}`;
      const created = await client.post<PersonalAccessTokenCreated>(tokensPath(base.username), { personal_access_token: { name, ...(expiresAt === undefined ? {} : { expires_at: expiresAt }) } });
      const file = clientConfigPath(io.env, io.home);
      const doc = readClientConfigFile(file);
      delete doc.password;
      writeClientConfigFile(file, { ...doc, url: base.url, username: base.username, token: created.token_value, token_id: created.id });
      ctx.say(`Logged in to ${base.url} as ${base.username}: token '${name}' (id ${created.id}) stored in ${file}.`);
    });

  program
    .command('logout')
    .description('log out: revoke the stored personal access token and remove it from the CLI config')
    .action(async () => {
      const { io } = ctx;
      const file = clientConfigPath(io.env, io.home);
      const doc = readClientConfigFile(file);
      if (typeof doc.token !== 'string') {
        ctx.say(`Not logged in: no token in ${file}.`);
        return;
      }
      const config = loadClientConfig(io.env, io.home, { ...ctx.globalFlags(), password: undefined });
      const id = typeof doc.token_id === 'number' ? doc.token_id : null;
      if (id !== null) {
        try {
          await new ApiClient({ ...config, password: undefined, token: doc.token }).delete(`${tokensPath(config.username)}/${id}`);
        } catch (e: unknown) {
          ctx.warn(`Warning: could not revoke token ${id} (${e instanceof Error ? e.message : String(e)}); removing it from the config anyway.`);
        }
      }
      delete doc.token;
      delete doc.token_id;
      writeClientConfigFile(file, doc);
      ctx.say(`Logged out: token removed from ${file}.`);
    });
}
