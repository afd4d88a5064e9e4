/**
 * @module
 * `remex foreign-input-set list|info|create|update|delete --template-id ID` (→
 * `/api/templates/:template_id/foreign_input_sets`): a template importing another template's
 * inputs (all, an `--include` list, minus an `--exclude` list).
 */
import type { ForeignInputSet, ForeignInputSetBody } from '@remex/common';
import { Command } from 'commander';

import { InputError } from '@remex/common';

import { renderList, renderRecord } from '../../output/render-output.ts';
import { parseBoolean, parseId, parseStringList } from '../../options/option-parsers.ts';
import { type Column, type InfoField } from '../../output/table-format.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addListOptions, addOutputOption, type ListFlags, listOptionsOf, outputOf } from '../shared/list-options.ts';
import { foreignInputSetApi } from '../../http/typed-api.ts';
import { type ApiRecord, asRecord } from '../shared/resource-commands.ts';
import { addTemplateScopeOptions, type TemplateScopeFlags, templateIdOf } from '../template-input/template-scope.ts';

/** Flags of the set commands. */
interface SetFlags extends TemplateScopeFlags {
  id?: number;
  targetTemplateId?: number;
  targetTemplate?: string;
  includeAll?: boolean;
  include?: string[];
  exclude?: string[];
  description?: string;
}

const COLUMNS: readonly Column<ApiRecord>[] = [
  { label: 'Id', get: 'id' },
  { label: 'Target template id', get: 'target_template_id' },
  { label: 'Target template', get: 'target_template_name' },
  { label: 'Include all', get: 'include_all' },
  { label: 'Include', get: 'include' },
  { label: 'Exclude', get: 'exclude' },
];

const FIELDS: readonly InfoField<ApiRecord>[] = [...COLUMNS, { label: 'Description', get: 'description' }];

/** Adds the attribute options of create/update. */
function addSetAttributeOptions(cmd: Command): Command {
  return cmd
    .option('--target-template-id <id>', 'template whose inputs are imported', (v) => parseId(v, '--target-template-id'))
    .option('--target-template <name>', 'target template by name')
    .option('--include-all [bool]', 'import every input of the target (default true)', (v: string | undefined) => parseBoolean(v, '--include-all'))
    .option('--include <a,b>', 'inputs to import when not --include-all', (v) => parseStringList(v))
    .option('--exclude <a,b>', 'inputs not to import', (v) => parseStringList(v))
    .option('--description <text>', 'description');
}

/** Builds the `foreign_input_set` payload. */
function setPayload(flags: SetFlags): ForeignInputSetBody {
  const body: ForeignInputSetBody = {};
  if (flags.targetTemplateId !== undefined) body.target_template_id = flags.targetTemplateId;
  else if (flags.targetTemplate !== undefined) body.target_template = flags.targetTemplate;
  if (flags.include !== undefined) body.include = flags.include.join(',');
  // As in Foreman's form: an include list without --include-all means "only these".
  if (flags.includeAll !== undefined) body.include_all = flags.includeAll;
  else if (flags.include !== undefined) body.include_all = false;
  if (flags.exclude !== undefined) body.exclude = flags.exclude.join(',');
  if (flags.description !== undefined) body.description = flags.description;
  return body;
}

/** `--id` of one set. */
function setId(flags: SetFlags): number {
  if (flags.id === undefined) throw new InputError('give --id');
  return flags.id;
}

/** `Foreign input set 3 created (target Run Command - Script Default).` */
function saved(record: ForeignInputSet, verb: string): string {
  const target = record.target_template_name ? ` (target ${record.target_template_name})` : '';
  return `Foreign input set ${record.id} ${verb}${target}.`;
}

/**
 * Builds the `foreign-input-set` command group.
 * @param ctx - command context
 */
export function foreignInputSetCommand(ctx: CommandContext): Command {
  const fis = new Command('foreign-input-set').description("manage the inputs a job template imports from other templates");
  const idOption = (cmd: Command) => cmd.option('--id <id>', 'foreign input set id', (v) => parseId(v, '--id'));
  const api = async (flags: SetFlags) => foreignInputSetApi(ctx.client(), await templateIdOf(ctx, flags));

  addListOptions(addTemplateScopeOptions(fis.command('list').alias('index').description("list a template's foreign input sets"))).action(
    async (flags: ListFlags & SetFlags) => {
      const format = outputOf(flags);
      const list = await (await api(flags)).list(listOptionsOf(flags));
      ctx.out(renderList(format, list.results.map(asRecord), COLUMNS));
    },
  );

  addOutputOption(idOption(addTemplateScopeOptions(fis.command('info').alias('show').description('show a foreign input set')))).action(
    async (flags: SetFlags & { output?: string }) => {
      const format = outputOf(flags);
      const id = setId(flags);
      ctx.out(renderRecord(format, asRecord(await (await api(flags)).show(id)), FIELDS));
    },
  );

  addSetAttributeOptions(addTemplateScopeOptions(fis.command('create').description('import the inputs of another template'))).action(async (flags: SetFlags) => {
    if (flags.targetTemplateId === undefined && flags.targetTemplate === undefined) throw new InputError('give --target-template-id or --target-template');
    const record = await (await api(flags)).create(setPayload(flags));
    ctx.say(saved(record, 'created'));
  });

  addSetAttributeOptions(idOption(addTemplateScopeOptions(fis.command('update').description('change a foreign input set')))).action(async (flags: SetFlags) => {
    const id = setId(flags);
    const record = await (await api(flags)).update(id, setPayload(flags));
    ctx.say(saved(record, 'updated'));
  });

  idOption(addTemplateScopeOptions(fis.command('delete').alias('destroy').description('remove a foreign input set'))).action(async (flags: SetFlags) => {
    const id = setId(flags);
    await (await api(flags)).delete(id);
    ctx.say(`Foreign input set ${id} deleted.`);
  });
  return fis;
}
