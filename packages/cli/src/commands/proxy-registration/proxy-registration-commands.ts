/**
 * @module
 * `remex proxy-registration create|list|info|update|delete` (alias `smart-proxy`; →
 * `/api/smart_proxies`). Registering makes the server check the URL is a Remex proxy.
 */
import { Command } from 'commander';

import type { CommandContext } from '../shared/command-context.ts';
import {
  addDeleteCommand,
  addIdentityOptions,
  addInfoCommand,
  addListCommand,
  type ApiRecord,
  type IdFlags,
  identityId,
  savedMessage,
} from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';
import { cellText } from '../../output/table-format.ts';

/** The smart proxies collection. */
export const SMART_PROXIES: ResourceSpec = { path: '/api/smart_proxies', label: 'smart proxy', key: 'smart_proxy' };

/** Feature names of a proxy record. */
function featuresOf(p: ApiRecord): unknown {
  const f = p.features;
  if (!Array.isArray(f)) return f;
  return f.map((x: unknown) => (typeof x === 'string' ? x : cellText(((x ?? {}) as ApiRecord).name)));
}

/**
 * Builds the `proxy-registration` command group (also reachable as `smart-proxy`).
 * @param ctx - command context
 */
export function proxyRegistrationCommand(ctx: CommandContext): Command {
  const pr = new Command('proxy-registration').alias('smart-proxy').description('register execution proxies with the server');
  addListCommand(pr, ctx, SMART_PROXIES, [
    { label: 'Id', get: 'id' },
    { label: 'Name', get: 'name' },
    { label: 'URL', get: 'url' },
    { label: 'Features', get: featuresOf },
  ]);
  addInfoCommand(pr, ctx, SMART_PROXIES, [
    { label: 'Id', get: 'id' },
    { label: 'Name', get: 'name' },
    { label: 'URL', get: 'url' },
    { label: 'Features', get: featuresOf },
    { label: 'SSH public key', get: 'remote_execution_pubkey' },
    { label: 'Created at', get: 'created_at' },
    { label: 'Updated at', get: 'updated_at' },
  ]);
  pr.command('create')
    .description('register a proxy')
    .requiredOption('--name <name>', 'proxy name')
    .requiredOption('--url <url>', 'proxy URL, e.g. http://10.0.0.5:3001')
    .action(async (flags: { name: string; url: string }) => {
      const record = await ctx.client().post<ApiRecord>(SMART_PROXIES.path, { smart_proxy: { name: flags.name, url: flags.url } });
      ctx.say(savedMessage(SMART_PROXIES, record, 'created'));
    });
  addIdentityOptions(pr.command('update').description('update a proxy registration'), SMART_PROXIES)
    .option('--new-name <name>', 'new name')
    .option('--url <url>', 'new URL')
    .action(async (flags: IdFlags & { newName?: string; url?: string }) => {
      const id = await identityId(ctx, SMART_PROXIES, flags);
      const body: ApiRecord = {};
      if (flags.newName !== undefined) body.name = flags.newName;
      if (flags.url !== undefined) body.url = flags.url;
      const record = await ctx.client().put<ApiRecord>(`${SMART_PROXIES.path}/${id}`, { smart_proxy: body });
      ctx.say(savedMessage(SMART_PROXIES, record, 'updated'));
    });
  addDeleteCommand(pr, ctx, SMART_PROXIES);
  return pr;
}
