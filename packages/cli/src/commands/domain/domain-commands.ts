/**
 * @module
 * `remex domain list|info|create|update|delete` (→ `/api/domains`, hammer's `domain`).
 */
import type { DomainBody } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addResourceCommands, given, type IdFlags, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** The domains collection. */
export const DOMAINS: ResourceSpec<DomainBody, DomainBody> = { path: '/api/domains', label: 'domain', key: 'domain', api: (client) => typedApi(client).domains };

/** Flags of create/update. */
interface DomainFlags extends IdFlags {
  name?: string;
  newName?: string;
  fullname?: string;
}

/** `remex domain …`. */
export function domainCommand(ctx: CommandContext): Command {
  const domain = new Command('domain').description('manage DNS domains (hosts take their name; their parameters sit between location and operating system)');
  const columns = [
    { label: 'Id', get: 'id' },
    { label: 'Name', get: 'name' },
    { label: 'Hosts', get: 'hosts_count' },
  ] as const;
  addResourceCommands<DomainFlags, DomainBody, DomainBody>(domain, ctx, {
    spec: DOMAINS,
    columns,
    fields: [...columns, { label: 'Description', get: 'fullname' }, ...TIMESTAMP_FIELDS],
    create: {
      description: 'create a domain',
      options: (cmd) => cmd.requiredOption('--name <name>', 'DNS domain, e.g. example.com').option('--fullname <text>', 'description'),
      payload: (flags) => ({ name: given(flags.name, '--name'), ...(flags.fullname === undefined ? {} : { fullname: flags.fullname }) }),
    },
    update: {
      description: 'rename a domain (also on its hosts) or change its description',
      options: (cmd) => cmd.option('--new-name <name>', 'new name').option('--fullname <text>', 'description'),
      payload: (flags) => ({ ...(flags.newName === undefined ? {} : { name: flags.newName }), ...(flags.fullname === undefined ? {} : { fullname: flags.fullname }) }),
    },
  });
  return domain;
}
