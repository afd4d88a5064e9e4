/**
 * @module
 * `remex filter list|info|create|update|delete` (→ `/api/filters`): permissions of one resource
 * type granted to a role, limited by an optional search in that resource's language.
 */
import type { FilterCreate, FilterUpdate } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';

import { parseStringList } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import { addDeleteCommand, addInfoCommand, addListCommand, type ApiRecord, asRecord, type IdFlags, identityId, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';
import { renderData } from '../../output/render-output.ts';
import { cellText } from '../../output/table-format.ts';
import { ROLES } from '../role/role-commands.ts';

/** The filters collection. */
export const FILTERS: ResourceSpec<FilterCreate, FilterUpdate> = { path: '/api/filters', label: 'filter', key: 'filter', api: (client) => typedApi(client).filters };

/** Filters have no name: only `--id` identifies one. */
const IDENTITY = { field: 'id', flag: '--filter-id <id>', attr: 'filterId' } as const;

/** Flags of create/update. */
interface FilterFlags extends IdFlags {
  role?: string;
  roleId?: number;
  permissions?: string[];
  search?: string;
  resourceType?: string;
  output?: string;
}

function filterPayload(flags: FilterFlags): FilterUpdate {
  const body: FilterUpdate = {};
  if (flags.permissions !== undefined) body.permissions = flags.permissions;
  if (flags.search !== undefined) body.search = flags.search;
  if (flags.resourceType !== undefined) body.resource_type = flags.resourceType;
  return body;
}

function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--permissions <names>', 'comma-separated permission names, all of one resource type', parseStringList)
    .option('--search <query>', "records the filter grants, in the resource's search language (empty: unlimited)")
    .option('--resource-type <type>', 'resource type (default: that of the permissions)');
}

const permissionsOf = (r: ApiRecord): unknown => (r.permissions as { name: string }[] | undefined)?.map((p) => p.name).join(', ');
const roleOf = (r: ApiRecord): unknown => cellText((r.role as { name?: string } | undefined)?.name);

/**
 * Builds the `filter` command group.
 * @param ctx - command context
 */
export function filterCommand(ctx: CommandContext): Command {
  const filter = new Command('filter').description('manage permission filters of roles');
  const columns = [
    { label: 'Id', get: 'id' },
    { label: 'Resource type', get: 'resource_type' },
    { label: 'Search', get: (r: ApiRecord) => r.search ?? 'none' },
    { label: 'Role', get: roleOf },
    { label: 'Permissions', get: permissionsOf },
  ] as const;
  addListCommand(filter, ctx, FILTERS, columns);
  addInfoCommand(filter, ctx, FILTERS, [...columns, { label: 'Unlimited', get: 'unlimited' }, ...TIMESTAMP_FIELDS], IDENTITY);
  const done = (flags: FilterFlags, record: ApiRecord, verb: string): void => {
    const format = outputOf(flags);
    if (format === 'table') ctx.say(`Filter ${cellText(record.id)} ${verb}.`);
    else ctx.out(renderData(format, record));
  };
  const create = addFilterOptions(filter.command('create').description('create a filter').option('--role <name>', 'role name').option('--role-id <id>', 'role id', Number));
  addOutputOption(create).action(async (flags: FilterFlags) => {
    const roleId = flags.roleId ?? (await identityId(ctx, ROLES, { name: flags.role }));
    const record = asRecord(await typedApi(ctx.client()).filters.create({ role_id: roleId, ...filterPayload(flags) }));
    done(flags, record, 'created');
  });
  const update = addFilterOptions(filter.command('update').description('update a filter').option('--id <id>', 'filter id', Number));
  addOutputOption(update).action(async (flags: FilterFlags) => {
    const id = await identityId(ctx, FILTERS, flags, IDENTITY);
    const record = asRecord(await typedApi(ctx.client()).filters.update(id, filterPayload(flags)));
    done(flags, record, 'updated');
  });
  addDeleteCommand(filter, ctx, FILTERS, IDENTITY);
  return filter;
}
