/**
 * @module
 * `remex organization|location list|info|create|update|delete` (→ `/api/organizations`,
 * `/api/locations`, hammer's commands). `--*-ids` replace the members of that kind.
 */
import type { TaxonomyBody } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';
import { parseId, parseIdList } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addResourceCommands, given, type IdFlags, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** Flags of create/update. */
interface TaxonomyFlags extends IdFlags {
  name?: string;
  newName?: string;
  description?: string;
  parentId?: number;
  hostgroupIds?: number[];
  subnetIds?: number[];
  smartProxyIds?: number[];
  jobTemplateIds?: number[];
  userIds?: number[];
}

function addTaxonomyOptions(cmd: Command, word: string): Command {
  const ids = (flag: string, what: string) => cmd.option(`--${flag} <ids>`, `${what} in this ${word} (comma separated ids; replace the current ones)`, (v) => parseIdList(v, `--${flag}`));
  cmd.option('--description <text>', 'description').option('--parent-id <id>', `parent ${word}`, (v) => parseId(v, '--parent-id'));
  ids('hostgroup-ids', 'host groups');
  ids('subnet-ids', 'subnets');
  ids('smart-proxy-ids', 'smart proxies');
  ids('job-template-ids', 'job templates');
  ids('user-ids', 'users');
  return cmd;
}

function payload(flags: TaxonomyFlags, name: string | undefined): TaxonomyBody {
  const body: TaxonomyBody = {};
  if (name !== undefined) body.name = name;
  if (flags.description !== undefined) body.description = flags.description;
  if (flags.parentId !== undefined) body.parent_id = flags.parentId;
  if (flags.hostgroupIds !== undefined) body.hostgroup_ids = flags.hostgroupIds;
  if (flags.subnetIds !== undefined) body.subnet_ids = flags.subnetIds;
  if (flags.smartProxyIds !== undefined) body.smart_proxy_ids = flags.smartProxyIds;
  if (flags.jobTemplateIds !== undefined) body.job_template_ids = flags.jobTemplateIds;
  if (flags.userIds !== undefined) body.user_ids = flags.userIds;
  return body;
}

/** One command group (`organization` or `location`). */
function taxonomyCommand(ctx: CommandContext, word: 'organization' | 'location'): Command {
  const spec: ResourceSpec<TaxonomyBody, TaxonomyBody> = { path: `/api/${word}s`, label: word, key: word, api: (client) => (word === 'organization' ? typedApi(client).organizations : typedApi(client).locations) };
  const group = new Command(word).description(`manage ${word}s (Foreman taxonomies: a user placed in some works inside them)`);
  const columns = [
    { label: 'Id', get: 'id' },
    { label: 'Title', get: 'title' },
    { label: 'Hosts', get: 'hosts_count' },
  ] as const;
  addResourceCommands<TaxonomyFlags, TaxonomyBody, TaxonomyBody>(group, ctx, {
    spec,
    columns,
    fields: [
      ...columns,
      { label: 'Name', get: 'name' },
      { label: 'Description', get: 'description' },
      { label: 'Parent id', get: 'parent_id' },
      { label: 'Host group ids', get: 'hostgroup_ids' },
      { label: 'Subnet ids', get: 'subnet_ids' },
      { label: 'Smart proxy ids', get: 'smart_proxy_ids' },
      { label: 'Job template ids', get: 'job_template_ids' },
      { label: 'User ids', get: 'user_ids' },
      ...TIMESTAMP_FIELDS,
    ],
    create: {
      description: `create a ${word}`,
      options: (cmd) => addTaxonomyOptions(cmd.requiredOption('--name <name>', `${word} name`), word),
      payload: (flags) => payload(flags, given(flags.name, '--name')),
    },
    update: {
      description: `update a ${word}`,
      options: (cmd) => addTaxonomyOptions(cmd.option('--new-name <name>', 'new name'), word),
      payload: (flags) => payload(flags, flags.newName),
    },
  });
  return group;
}

/** `remex organization …`. */
export function organizationCommand(ctx: CommandContext): Command {
  return taxonomyCommand(ctx, 'organization');
}

/** `remex location …`. */
export function locationCommand(ctx: CommandContext): Command {
  return taxonomyCommand(ctx, 'location');
}

