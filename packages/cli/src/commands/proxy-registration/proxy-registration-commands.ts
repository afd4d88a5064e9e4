/**
 * @module
 * `remex proxy-registration create|list|info|update|delete` (alias `smart-proxy`; →
 * `/api/smart_proxies`). Registering makes the server check the URL is a Remex proxy.
 */
import { Command } from 'commander';

import type { CommandContext } from '../shared/command-context.ts';
import { addResourceCommands, type ApiRecord, ID_NAME_COLUMNS, type IdFlags, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
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
  const columns = [...ID_NAME_COLUMNS, { label: 'URL', get: 'url' }, { label: 'Features', get: featuresOf }] as const;
  addResourceCommands<IdFlags & { name?: string; newName?: string; url?: string }>(pr, ctx, {
    spec: SMART_PROXIES,
    columns,
    fields: [...columns, { label: 'SSH public key', get: 'remote_execution_pubkey' }, ...TIMESTAMP_FIELDS],
    create: {
      description: 'register a proxy',
      options: (cmd) => cmd.requiredOption('--name <name>', 'proxy name').requiredOption('--url <url>', 'proxy URL, e.g. http://10.0.0.5:3001'),
      payload: (flags) => ({ name: flags.name, url: flags.url }),
    },
    update: {
      description: 'update a proxy registration',
      options: (cmd) => cmd.option('--new-name <name>', 'new name').option('--url <url>', 'new URL'),
      payload: (flags) => {
        const body: ApiRecord = {};
        if (flags.newName !== undefined) body.name = flags.newName;
        if (flags.url !== undefined) body.url = flags.url;
        return body;
      },
    },
  });
  return pr;
}
