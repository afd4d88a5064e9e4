/**
 * @module
 * `remex operatingsystem list|info|create|update|delete` (→ `/api/operatingsystems`). Records
 * are named by `--id` or `--title` (`Debian 12`), as in hammer: names repeat across versions.
 */
import { Command } from 'commander';

import type { OperatingsystemCreate } from '@remex/common';
import { InputError } from '@remex/common';

import { typedApi } from '../../http/typed-api.ts';
import { parseId } from '../../options/option-parsers.ts';
import { renderRecord } from '../../output/render-output.ts';
import type { Column, InfoField } from '../../output/table-format.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import { addListCommand, type ApiRecord, asRecord, savedMessage, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** The operating systems collection. */
export const OPERATINGSYSTEMS: ResourceSpec<OperatingsystemCreate> = {
  path: '/api/operatingsystems',
  label: 'operating system',
  key: 'operatingsystem',
  api: (client) => typedApi(client).operatingsystems,
};

/** Flags of the operating system commands. */
interface OsFlags {
  id?: number;
  title?: string;
  name?: string;
  major?: string;
  minor?: string;
  family?: string;
}

const COLUMNS: readonly Column<ApiRecord>[] = [
  { label: 'Id', get: 'id' },
  { label: 'Title', get: 'title' },
  { label: 'Release name', get: 'name' },
  { label: 'Family', get: 'family' },
];

const FIELDS: readonly InfoField<ApiRecord>[] = [
  { label: 'Id', get: 'id' },
  { label: 'Title', get: 'title' },
  { label: 'Name', get: 'name' },
  { label: 'Major version', get: 'major' },
  { label: 'Minor version', get: 'minor' },
  { label: 'Family', get: 'family' },
  ...TIMESTAMP_FIELDS,
];

/** Adds `--id` / `--title`. */
function addOsIdentity(cmd: Command): Command {
  return cmd.option('--id <id>', 'operating system id', (v) => parseId(v, '--id')).option('--title <title>', 'operating system title, e.g. "Debian 12"');
}

/** The record named by the flags: id, else the title (the server resolves titles). */
function osRef(flags: OsFlags): string | number {
  const ref = flags.id ?? flags.title;
  if (ref === undefined) throw new InputError('give --id or --title');
  return ref;
}

/** Adds the attribute options. */
function addOsAttributeOptions(cmd: Command): Command {
  return cmd
    .option('--major <version>', 'major version')
    .option('--minor <version>', 'minor version')
    .option('--family <family>', 'family: Debian, Redhat, Suse, Windows, …');
}

/** Builds the `operatingsystem` payload. */
function osPayload(flags: OsFlags): OperatingsystemCreate {
  const body: OperatingsystemCreate = {};
  if (flags.name !== undefined) body.name = flags.name;
  if (flags.major !== undefined) body.major = flags.major;
  if (flags.minor !== undefined) body.minor = flags.minor;
  if (flags.family !== undefined) body.family = flags.family;
  return body;
}

/** `Operating system Debian 12 created (id 1).` */
function saved(record: ApiRecord | null, verb: string): string {
  return savedMessage(OPERATINGSYSTEMS, record && typeof record.title === 'string' ? { ...record, name: record.title } : record, verb);
}

/**
 * Builds the `operatingsystem` command group.
 * @param ctx - command context
 */
export function operatingsystemCommand(ctx: CommandContext): Command {
  const os = new Command('operatingsystem').alias('os').description('manage operating systems');
  const api = () => typedApi(ctx.client()).operatingsystems;
  addListCommand(os, ctx, OPERATINGSYSTEMS, COLUMNS);

  addOutputOption(addOsIdentity(os.command('info').alias('show').description('show an operating system'))).action(async (flags: OsFlags & { output?: string }) => {
    const format = outputOf(flags);
    ctx.out(renderRecord(format, asRecord(await api().show(osRef(flags))), FIELDS));
  });

  addOsAttributeOptions(os.command('create').description('create an operating system').requiredOption('--name <name>', 'name, e.g. Debian')).action(async (flags: OsFlags) => {
    if (flags.major === undefined) throw new InputError("required option '--major <version>' not specified");
    ctx.say(saved(asRecord(await api().create(osPayload(flags))), 'created'));
  });

  addOsAttributeOptions(addOsIdentity(os.command('update').description('update an operating system')).option('--name <name>', 'new name')).action(async (flags: OsFlags) => {
    ctx.say(saved(asRecord(await api().update(osRef(flags), osPayload(flags))), 'updated'));
  });

  addOsIdentity(os.command('delete').alias('destroy').description('delete an operating system')).action(async (flags: OsFlags) => {
    const record = await api().delete(osRef(flags));
    ctx.say(`Operating system ${record.title} deleted.`);
  });
  return os;
}
