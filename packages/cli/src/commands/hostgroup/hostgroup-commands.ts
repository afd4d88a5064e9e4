/**
 * @module
 * `remex hostgroup create|list|info|update|delete|set-parameter` (→ `/api/hostgroups`).
 * Host groups nest through `parent_id`; `title` is the full path (`base/web`).
 */
import type { HostgroupCreate, HostgroupUpdate } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';
import { parseId, parseKeyValueList } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { parameterAttributes, parameterLines, upsertParameter } from '../shared/parameters.ts';
import { addResourceCommands, given, ID_NAME_COLUMNS, type IdFlags, type Identity, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import { resolveId, type ResourceSpec } from '../shared/resource-spec.ts';

/** The host groups collection. */
export const HOSTGROUPS: ResourceSpec<HostgroupCreate, HostgroupUpdate> = { path: '/api/hostgroups', label: 'host group', key: 'hostgroup', api: (client) => typedApi(client).hostgroups };

/** Host groups are identified by `--title` (full path) or, when unique, `--name`. */
const BY_TITLE: Identity = { field: 'title', flag: '--title <title>', attr: 'title', alternatives: [{ field: 'name' }] };

/** Flags of create/update. */
interface HostgroupFlags extends IdFlags {
  name?: string;
  title?: string;
  newName?: string;
  parentId?: number;
  parent?: string;
  parameters?: Record<string, string>;
}

/** Adds the host group attribute options. */
function addHostgroupAttributeOptions(cmd: Command): Command {
  return cmd
    .option('--parent-id <id>', 'parent host group id', (v) => parseId(v, '--parent-id'))
    .option('--parent <title>', 'parent host group title')
    .option('--parameters <k=v,...>', 'host group parameters (key=value list or JSON)', (v, prev?: Record<string, string>) => ({ ...prev, ...parseKeyValueList(v, '--parameters') }));
}

/** Builds the `hostgroup` payload. */
async function hostgroupPayload(ctx: CommandContext, flags: HostgroupFlags, name: string | undefined): Promise<HostgroupUpdate> {
  const body: HostgroupUpdate = {};
  if (name !== undefined) body.name = name;
  if (flags.parentId !== undefined || flags.parent !== undefined) {
    body.parent_id = await resolveId(ctx.client(), HOSTGROUPS, flags.parentId, flags.parent, 'title', '--parent-id or --parent');
  }
  if (flags.parameters !== undefined) body.group_parameters_attributes = parameterAttributes(flags.parameters);
  return body;
}

/**
 * Builds the `hostgroup` command group.
 * @param ctx - command context
 */
export function hostgroupCommand(ctx: CommandContext): Command {
  const hg = new Command('hostgroup').description('manage host groups');

  const columns = [...ID_NAME_COLUMNS, { label: 'Title', get: 'title' }] as const;
  addResourceCommands<HostgroupFlags, HostgroupCreate, HostgroupUpdate>(hg, ctx, {
    spec: HOSTGROUPS,
    columns,
    fields: [...columns, { label: 'Parent id', get: 'parent_id' }, { label: 'Parameters', get: parameterLines, list: true }, ...TIMESTAMP_FIELDS],
    identity: BY_TITLE,
    create: {
      description: 'create a host group',
      options: (cmd) => addHostgroupAttributeOptions(cmd.requiredOption('--name <name>', 'host group name')),
      payload: async (flags) => ({ ...(await hostgroupPayload(ctx, flags, undefined)), name: given(flags.name, '--name') }),
    },
    update: {
      description: 'update a host group',
      options: (cmd) => addHostgroupAttributeOptions(cmd.option('--new-name <name>', 'new name')),
      payload: (flags) => hostgroupPayload(ctx, flags, flags.newName),
    },
  });

  hg.command('set-parameter')
    .description('create or update a host group parameter')
    .option('--hostgroup <title>', 'host group title')
    .option('--hostgroup-id <id>', 'host group id', (v) => parseId(v, '--hostgroup-id'))
    .requiredOption('--name <key>', 'parameter name')
    .requiredOption('--value <value>', 'parameter value')
    .action(async (flags: { hostgroup?: string; hostgroupId?: number; name: string; value: string }) => {
      const id = await resolveId(ctx.client(), HOSTGROUPS, flags.hostgroupId, flags.hostgroup, 'title', '--hostgroup-id or --hostgroup');
      const { action } = await upsertParameter(ctx.client(), `${HOSTGROUPS.path}/${id}/parameters`, 'parameter', flags.name, flags.value);
      ctx.say(`Host group parameter ${flags.name} ${action}.`);
    });
  return hg;
}
