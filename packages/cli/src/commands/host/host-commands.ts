/**
 * @module
 * `remex host create|list|info|update|delete|set-parameter|import|facts` (→ `/api/hosts`).
 */
import type { HostCreate, HostKeyReset, HostUpdate } from '@remex/common';
import { InputError } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';
import { parseId, parseKeyValueList } from '../../options/option-parsers.ts';
import type { Column, InfoField } from '../../output/table-format.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { parameterAttributes, parameterLines, upsertParameter } from '../shared/parameters.ts';
import { addResourceCommands, type ApiRecord, given, ID_NAME_COLUMNS, type IdFlags, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import { resolveId, type ResourceSpec } from '../shared/resource-spec.ts';
import { HOSTGROUPS } from '../hostgroup/hostgroup-commands.ts';
import { OPERATINGSYSTEMS } from '../operatingsystem/operatingsystem-commands.ts';
import { SUBNETS } from '../subnet/subnet-commands.ts';
import { addFactsCommand } from './host-facts-command.ts';
import { addHostImportCommand } from './host-import-command.ts';

/** The hosts collection. */
export const HOSTS: ResourceSpec<HostCreate, HostUpdate> = { path: '/api/hosts', label: 'host', key: 'host', api: (client) => typedApi(client).hosts };

/** Host group shown for a host: its title, else its name. */
function hostgroupOf(h: ApiRecord): unknown {
  return h.hostgroup_title ?? h.hostgroup_name ?? h.hostgroup;
}

/** Options shared by `host create` and `host update`. */
interface HostFlags extends IdFlags {
  name?: string;
  newName?: string;
  ip?: string;
  ip6?: string;
  hostgroupId?: number;
  hostgroup?: string;
  subnetId?: number;
  subnet?: string;
  operatingsystemId?: number;
  operatingsystem?: string;
  domainName?: string;
  comment?: string;
  parameters?: Record<string, string>;
}

/** Adds the host attribute options. */
function addHostAttributeOptions(cmd: Command): Command {
  return cmd
    .option('--ip <ip>', 'IPv4 address')
    .option('--ip6 <ip6>', 'IPv6 address')
    .option('--hostgroup-id <id>', 'host group id', (v) => parseId(v, '--hostgroup-id'))
    .option('--hostgroup <title>', 'host group title (e.g. base/web)')
    .option('--subnet-id <id>', 'subnet id', (v) => parseId(v, '--subnet-id'))
    .option('--subnet <name>', 'subnet name')
    .option('--operatingsystem-id <id>', 'operating system id', (v) => parseId(v, '--operatingsystem-id'))
    .option('--operatingsystem <title>', 'operating system title (e.g. "Debian 12")')
    .option('--domain-name <domain>', 'domain name')
    .option('--comment <text>', 'comment')
    .option('--parameters <k=v,...>', 'host parameters (key=value list or JSON)', (v, prev?: Record<string, string>) => ({ ...prev, ...parseKeyValueList(v, '--parameters') }));
}

/** Builds the `host` payload from flags (only the options given). */
async function hostPayload(ctx: CommandContext, flags: HostFlags, name: string | undefined): Promise<HostUpdate> {
  const body: HostUpdate = {};
  if (name !== undefined) body.name = name;
  if (flags.ip !== undefined) body.ip = flags.ip;
  if (flags.ip6 !== undefined) body.ip6 = flags.ip6;
  if (flags.hostgroupId !== undefined || flags.hostgroup !== undefined) {
    body.hostgroup_id = await resolveId(ctx.client(), HOSTGROUPS, flags.hostgroupId, flags.hostgroup, 'title', '--hostgroup-id or --hostgroup');
  }
  if (flags.subnetId !== undefined || flags.subnet !== undefined) {
    body.subnet_id = await resolveId(ctx.client(), SUBNETS, flags.subnetId, flags.subnet, 'name', '--subnet-id or --subnet');
  }
  if (flags.operatingsystemId !== undefined || flags.operatingsystem !== undefined) {
    body.operatingsystem_id = await resolveId(ctx.client(), OPERATINGSYSTEMS, flags.operatingsystemId, flags.operatingsystem, 'title', '--operatingsystem-id or --operatingsystem');
  }
  if (flags.domainName !== undefined) body.domain_name = flags.domainName;
  if (flags.comment !== undefined) body.comment = flags.comment;
  if (flags.parameters !== undefined) body.host_parameters_attributes = parameterAttributes(flags.parameters);
  return body;
}

/**
 * Builds the `host` command group.
 * @param ctx - command context
 */
export function hostCommand(ctx: CommandContext): Command {
  const host = new Command('host').description('manage hosts');

  const columns: readonly Column<ApiRecord>[] = [
    ...ID_NAME_COLUMNS,
    { label: 'IP', get: 'ip' },
    { label: 'Host group', get: hostgroupOf },
    { label: 'Subnet', get: 'subnet_name' },
  ];
  const fields: readonly InfoField<ApiRecord>[] = [
    ...ID_NAME_COLUMNS,
    { label: 'IP', get: 'ip' },
    { label: 'IPv6', get: 'ip6' },
    { label: 'Host group', get: hostgroupOf },
    { label: 'Subnet', get: (h) => h.subnet_name ?? h.subnet_id },
    { label: 'Operating system', get: (h) => h.operatingsystem_name ?? h.operatingsystem_id },
    { label: 'Domain', get: 'domain_name' },
    { label: 'Comment', get: 'comment' },
    { label: 'Execution status', get: (h) => h.execution_status_label ?? h.execution_status },
    { label: 'Parameters', get: parameterLines, list: true },
    ...TIMESTAMP_FIELDS,
  ];

  addResourceCommands<HostFlags, HostCreate, HostUpdate>(host, ctx, {
    spec: HOSTS,
    columns,
    fields,
    create: {
      description: 'create a host',
      options: (cmd) => addHostAttributeOptions(cmd.requiredOption('--name <name>', 'host name')),
      payload: async (flags) => ({ ...(await hostPayload(ctx, flags, undefined)), name: given(flags.name, '--name') }),
    },
    update: {
      description: 'update a host',
      options: (cmd) => addHostAttributeOptions(cmd.option('--new-name <name>', 'new host name')),
      payload: (flags) => hostPayload(ctx, flags, flags.newName),
    },
  });

  host
    .command('set-parameter')
    .description('create or update a host parameter')
    .option('--host <name>', 'host name')
    .option('--host-id <id>', 'host id', (v) => parseId(v, '--host-id'))
    .requiredOption('--name <key>', 'parameter name')
    .requiredOption('--value <value>', 'parameter value')
    .action(async (flags: { host?: string; hostId?: number; name: string; value: string }) => {
      const id = await resolveId(ctx.client(), HOSTS, flags.hostId, flags.host, 'name', '--host-id or --host');
      const { action } = await upsertParameter(ctx.client(), `${HOSTS.path}/${id}/parameters`, 'parameter', flags.name, flags.value);
      ctx.say(`Host parameter ${flags.name} ${action}.`);
    });

  host
    .command('reset-host-key')
    .description("make every proxy forget the host's trusted SSH host key (after a legitimate re-key; the next key is trusted on first use)")
    .option('--name <name>', 'host name')
    .option('--id <id>', 'host id', (v) => parseId(v, '--id'))
    .action(async (flags: { name?: string; id?: number }) => {
      const id = await resolveId(ctx.client(), HOSTS, flags.id, flags.name, 'name', '--id or --name');
      const answer = await ctx.client().post<HostKeyReset>(`${HOSTS.path}/${id}/reset_host_key`, {});
      for (const p of answer.proxies) {
        ctx.say(p.error === null ? `${p.name}: ${p.forgotten} stored key(s) forgotten for ${answer.addresses.join(', ')} port ${answer.port}` : `${p.name}: not reached: ${p.error}`);
      }
      if (answer.proxies.some((p) => p.error !== null)) throw new InputError('some proxies could not be asked: run the command again once they are up');
    });

  addHostImportCommand(host, ctx);
  addFactsCommand(host, ctx);
  return host;
}
