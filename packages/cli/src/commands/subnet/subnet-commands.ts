/**
 * @module
 * `remex subnet create|list|info|update|delete` (→ `/api/subnets`, with
 * `remote_execution_proxy_ids`).
 */
import type { Subnet, SubnetCreate, SubnetUpdate } from '@remex/common';
import { Command } from 'commander';

import { parseIdList } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { typedApi } from '../../http/typed-api.ts';
import { addResourceCommands, type ApiRecord, given, ID_NAME_COLUMNS, type IdFlags, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';
import { cellText } from '../../output/table-format.ts';

/** The subnets collection. */
export const SUBNETS: ResourceSpec<SubnetCreate, SubnetUpdate> = { path: '/api/subnets', label: 'subnet', key: 'subnet', api: (client) => typedApi(client).subnets };

/** Flags of create/update. */
interface SubnetFlags extends IdFlags {
  name?: string;
  newName?: string;
  network?: string;
  mask?: string;
  remoteExecutionProxyIds?: number[];
}

/** Proxies of a subnet as `name (id)` strings. */
function proxiesOf(record: ApiRecord): unknown {
  const s = record as Partial<Subnet>;
  if (Array.isArray(s.remote_execution_proxies)) return s.remote_execution_proxies.map((p) => `${cellText(p.name)} (${cellText(p.id)})`);
  return s.remote_execution_proxy_ids;
}

/** Adds subnet attribute options (`--network` and `--mask` required on create, as the API requires them). */
function addSubnetAttributeOptions(cmd: Command, create = false): Command {
  const option = create ? cmd.requiredOption.bind(cmd) : cmd.option.bind(cmd);
  option('--network <address>', 'network address, e.g. 192.168.1.0');
  option('--mask <mask>', 'netmask, e.g. 255.255.255.0');
  return cmd
    .option('--remote-execution-proxy-ids <ids>', 'ids of the proxies that run jobs for hosts of this subnet', (v) =>
      parseIdList(v, '--remote-execution-proxy-ids'),
    );
}

/** Builds the `subnet` payload (typed by the API schema). */
function subnetPayload(flags: SubnetFlags, name: string | undefined): SubnetUpdate {
  const body: SubnetUpdate = {};
  if (name !== undefined) body.name = name;
  if (flags.network !== undefined) body.network = flags.network;
  if (flags.mask !== undefined) body.mask = flags.mask;
  if (flags.remoteExecutionProxyIds !== undefined) body.remote_execution_proxy_ids = flags.remoteExecutionProxyIds;
  return body;
}

/**
 * Builds the `subnet` command group.
 * @param ctx - command context
 */
export function subnetCommand(ctx: CommandContext): Command {
  const subnet = new Command('subnet').description('manage subnets');
  const columns = [
    ...ID_NAME_COLUMNS,
    { label: 'Network', get: 'network' },
    { label: 'Mask', get: 'mask' },
    { label: 'Remote execution proxies', get: proxiesOf },
  ] as const;
  addResourceCommands<SubnetFlags, SubnetCreate, SubnetUpdate>(subnet, ctx, {
    spec: SUBNETS,
    columns,
    fields: [...columns, ...TIMESTAMP_FIELDS],
    create: {
      description: 'create a subnet',
      options: (cmd) => addSubnetAttributeOptions(cmd.requiredOption('--name <name>', 'subnet name'), true),
      payload: (flags) => ({ ...subnetPayload(flags, undefined), name: given(flags.name, '--name'), network: given(flags.network, '--network'), mask: given(flags.mask, '--mask') }),
    },
    update: {
      description: 'update a subnet',
      options: (cmd) => addSubnetAttributeOptions(cmd.option('--new-name <name>', 'new name')),
      payload: (flags) => subnetPayload(flags, flags.newName),
    },
  });
  return subnet;
}
