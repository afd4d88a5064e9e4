/**
 * @module
 * `remex user create|list|info|update|delete` (→ `/api/users`), identified by `--id` or
 * `--login` as in hammer.
 */
import type { UserCreate, UserUpdate } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';

import { booleanParser, parseId } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { ROLES } from '../role/role-commands.ts';
import { addIdentityOptions, addResourceCommands, identityId, type IdFlags, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** The users collection. */
export const USERS: ResourceSpec<UserCreate, UserUpdate> = { path: '/api/users', label: 'user', key: 'user', api: (client) => typedApi(client).users };

/** Flags of create/update. */
interface UserFlags extends IdFlags {
  login?: string;
  newLogin?: string;
  password?: string;
  currentPassword?: string;
  firstname?: string;
  lastname?: string;
  mail?: string;
  admin?: boolean;
  locale?: string;
  timezone?: string;
  defaultOrganizationId?: number;
  defaultLocationId?: number;
}

/** Adds the attribute options of create and update. */
function addUserAttributeOptions(cmd: Command): Command {
  return cmd
    .option('--password <password>', 'password (at least 8 characters)')
    .option('--firstname <name>', 'first name')
    .option('--lastname <name>', 'last name')
    .option('--mail <address>', 'mail address')
    .option('--admin [bool]', 'administrator (true/false)', booleanParser('--admin'))
    .option('--locale <locale>', 'UI language, e.g. en')
    .option('--timezone <zone>', 'IANA time zone, e.g. Europe/Prague')
    .option('--default-organization-id <id>', 'organization selected after login', (v) => parseId(v, '--default-organization-id'))
    .option('--default-location-id <id>', 'location selected after login', (v) => parseId(v, '--default-location-id'));
}

/** Builds the `user` payload (typed by the API schema). */
function userPayload(flags: UserFlags, login: string | undefined): UserUpdate {
  const body: UserUpdate = {};
  if (login !== undefined) body.login = login;
  if (flags.password !== undefined) body.password = flags.password;
  if (flags.currentPassword !== undefined) body.current_password = flags.currentPassword;
  for (const [key, value] of [
    ['firstname', flags.firstname],
    ['lastname', flags.lastname],
    ['mail', flags.mail],
    ['locale', flags.locale],
    ['timezone', flags.timezone],
  ] as const) {
    if (value !== undefined) body[key] = value;
  }
  if (flags.admin !== undefined) body.admin = flags.admin;
  if (flags.defaultOrganizationId !== undefined) body.default_organization_id = flags.defaultOrganizationId;
  if (flags.defaultLocationId !== undefined) body.default_location_id = flags.defaultLocationId;
  return body;
}

/**
 * Builds the `user` command group.
 * @param ctx - command context
 */
export function userCommand(ctx: CommandContext): Command {
  const user = new Command('user').description('manage users');
  const columns = [
    { label: 'Id', get: 'id' },
    { label: 'Login', get: 'login' },
    { label: 'Name', get: 'name' },
    { label: 'Email', get: 'mail' },
    { label: 'Admin', get: (r: Record<string, unknown>) => (r.admin === true ? 'yes' : 'no') },
  ] as const;
  addResourceCommands<UserFlags>(user, ctx, {
    spec: USERS,
    identity: { field: 'login', flag: '--login <login>', attr: 'login' },
    columns,
    fields: [
      ...columns,
      { label: 'Authorized by', get: 'auth_source_name' },
      { label: 'Locale', get: 'locale' },
      { label: 'Timezone', get: 'timezone' },
      { label: 'Default organization', get: 'default_organization_id' },
      { label: 'Default location', get: 'default_location_id' },
      { label: 'Last login', get: 'last_login_on' },
      { label: 'Roles', get: (r: Record<string, unknown>) => (Array.isArray(r.roles) ? (r.roles as { name?: unknown }[]).map((x) => String(x.name)).join(', ') : '') },
      ...TIMESTAMP_FIELDS,
    ],
    create: {
      description: 'create a user',
      options: (cmd) => addUserAttributeOptions(cmd.requiredOption('--login <login>', 'login name')),
      payload: (flags) => userPayload(flags, flags.login),
    },
    update: {
      description: 'update a user (your own password needs --current-password)',
      options: (cmd) => addUserAttributeOptions(cmd.option('--new-login <login>', 'new login name')).option('--current-password <password>', 'your current password (to change your own password)'),
      payload: (flags) => userPayload(flags, flags.newLogin),
    },
  });
  addRoleCommand(user, ctx, 'add-role', 'give a user a role (hammer: user add-role)', (ids, id) => [...new Set([...ids, id])]);
  addRoleCommand(user, ctx, 'remove-role', 'take a role from a user (hammer: user remove-role)', (ids, id) => ids.filter((x) => x !== id));
  return user;
}

/** Adds `add-role` / `remove-role`: reads the user's roles, changes them, writes `role_ids`. */
function addRoleCommand(parent: Command, ctx: CommandContext, name: string, description: string, change: (ids: readonly number[], roleId: number) => number[]): void {
  const identity = { field: 'login', flag: '--login <login>', attr: 'login' } as const;
  const cmd = addIdentityOptions(parent.command(name).description(description), USERS, identity)
    .option('--role-id <id>', 'role id', (v) => parseId(v, '--role-id'))
    .option('--role <name>', 'role name');
  cmd.action(async (flags: IdFlags & { roleId?: number; role?: string }) => {
    const userId = await identityId(ctx, USERS, flags, identity);
    const roleId = await identityId(ctx, ROLES, { id: flags.roleId, name: flags.role }, {});
    const client = ctx.client();
    const current = await client.get<{ roles?: { id: number }[] }>(`${USERS.path}/${userId}`);
    await client.put(`${USERS.path}/${userId}`, { user: { role_ids: change((current.roles ?? []).map((r) => r.id), roleId) } });
    ctx.say(`User ${userId}: role ${roleId} ${name === 'add-role' ? 'added' : 'removed'}.`);
  });
}
