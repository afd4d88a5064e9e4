/**
 * @module
 * `remex role list|info|create|update|delete|clone` (→ `/api/roles`; built-in roles are locked,
 * clone one to change it).
 */
import type { RoleCreate, RoleUpdate } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';

import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import { addIdentityOptions, addResourceCommands, type ApiRecord, asRecord, ID_NAME_COLUMNS, type IdFlags, identityId, savedMessage, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';
import { renderData } from '../../output/render-output.ts';
import { cellText } from '../../output/table-format.ts';

/** The roles collection. */
export const ROLES: ResourceSpec<RoleCreate, RoleUpdate> = { path: '/api/roles', label: 'role', key: 'role', api: (client) => typedApi(client).roles };

/** Flags of create/update/clone. */
interface RoleFlags extends IdFlags {
  name?: string;
  newName?: string;
  description?: string;
}

/** Filters of a role as `Resource: permissions [search]` lines. */
function filtersOf(record: ApiRecord): unknown {
  const filters = record.filters as { id: number; resource_type: string; search: string | null; permissions: { name: string }[] }[] | undefined;
  return filters?.map((f) => `${cellText(f.id)} ${f.resource_type}: ${f.permissions.map((p) => p.name).join(', ')}${f.search ? ` [${f.search}]` : ''}`);
}

function rolePayload(flags: RoleFlags, name: string | undefined): RoleUpdate {
  const body: RoleUpdate = {};
  if (name !== undefined) body.name = name;
  if (flags.description !== undefined) body.description = flags.description;
  return body;
}

/**
 * Builds the `role` command group.
 * @param ctx - command context
 */
export function roleCommand(ctx: CommandContext): Command {
  const role = new Command('role').description('manage roles (sets of permission filters)');
  const columns = [...ID_NAME_COLUMNS, { label: 'Builtin', get: 'builtin' }, { label: 'Description', get: 'description' }] as const;
  addResourceCommands<RoleFlags>(role, ctx, {
    spec: ROLES,
    columns,
    fields: [...columns, { label: 'Origin', get: 'origin' }, { label: 'Filters', get: filtersOf }, ...TIMESTAMP_FIELDS],
    create: {
      description: 'create a role',
      options: (cmd) => cmd.requiredOption('--name <name>', 'role name').option('--description <text>', 'description'),
      payload: (flags) => rolePayload(flags, flags.name),
    },
    update: {
      description: 'update a role (built-in roles are locked)',
      options: (cmd) => cmd.option('--new-name <name>', 'new name').option('--description <text>', 'description'),
      payload: (flags) => rolePayload(flags, flags.newName),
    },
  });
  const clone = addIdentityOptions(role.command('clone').description('clone a role with its filters'), ROLES)
    .requiredOption('--new-name <name>', 'name of the new role')
    .option('--description <text>', 'description of the new role');
  addOutputOption(clone).action(async (flags: RoleFlags & { output?: string }) => {
    const id = await identityId(ctx, ROLES, flags);
    const record = asRecord(await typedApi(ctx.client()).roles.clone(id, { ...rolePayload(flags, undefined), name: flags.newName ?? '' }));
    const format = outputOf(flags);
    if (format === 'table') ctx.say(savedMessage(ROLES, record, 'created'));
    else ctx.out(renderData(format, record));
  });
  return role;
}
