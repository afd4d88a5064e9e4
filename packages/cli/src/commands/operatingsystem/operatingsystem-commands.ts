/**
 * @module
 * `remex operatingsystem list|info|create|update|delete` (→ `/api/operatingsystems`). Records
 * are named by `--id` or `--title` (`Debian 12`), as in hammer: names repeat across versions.
 */
import { Command } from 'commander';

import { InputError } from '@remex/common';

import { parseId } from '../../options/option-parsers.ts';
import { renderRecord } from '../../output/render-output.ts';
import type { Column, InfoField } from '../../output/table-format.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import { addListCommand, type ApiRecord, savedMessage, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import { recordRef, type ResourceSpec } from '../shared/resource-spec.ts';

/** The operating systems collection. */
export const OPERATINGSYSTEMS: ResourceSpec = { path: '/api/operatingsystems', label: 'operating system', key: 'operatingsystem' };

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

/** The path segment of the record: id, else the title (the server resolves titles). */
function osRef(flags: OsFlags): string {
  return recordRef(flags.id, flags.title, '--id or --title');
}

/** Adds the attribute options. */
function addOsAttributeOptions(cmd: Command): Command {
  return cmd
    .option('--major <version>', 'major version')
    .option('--minor <version>', 'minor version')
    .option('--family <family>', 'family: Debian, Redhat, Suse, Windows, …');
}

/** Builds the `operatingsystem` payload. */
function osPayload(flags: OsFlags): ApiRecord {
  const body: ApiRecord = {};
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
  addListCommand(os, ctx, OPERATINGSYSTEMS, COLUMNS);

  addOutputOption(addOsIdentity(os.command('info').alias('show').description('show an operating system'))).action(async (flags: OsFlags & { output?: string }) => {
    const format = outputOf(flags);
    ctx.out(renderRecord(format, await ctx.client().get<ApiRecord>(`${OPERATINGSYSTEMS.path}/${osRef(flags)}`), FIELDS));
  });

  addOsAttributeOptions(os.command('create').description('create an operating system').requiredOption('--name <name>', 'name, e.g. Debian')).action(async (flags: OsFlags) => {
    if (flags.major === undefined) throw new InputError("required option '--major <version>' not specified");
    ctx.say(saved(await ctx.client().post<ApiRecord>(OPERATINGSYSTEMS.path, { operatingsystem: osPayload(flags) }), 'created'));
  });

  addOsAttributeOptions(addOsIdentity(os.command('update').description('update an operating system')).option('--name <name>', 'new name')).action(async (flags: OsFlags) => {
    ctx.say(saved(await ctx.client().put<ApiRecord>(`${OPERATINGSYSTEMS.path}/${osRef(flags)}`, { operatingsystem: osPayload(flags) }), 'updated'));
  });

  addOsIdentity(os.command('delete').alias('destroy').description('delete an operating system')).action(async (flags: OsFlags) => {
    const record = await ctx.client().delete<ApiRecord>(`${OPERATINGSYSTEMS.path}/${osRef(flags)}`);
    ctx.say(`Operating system ${typeof record?.title === 'string' ? record.title : osRef(flags)} deleted.`);
  });
  return os;
}
