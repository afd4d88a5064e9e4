/**
 * @module
 * `remex template-input list|info|create|update|delete --template-id ID` (→
 * `/api/templates/:template_id/template_inputs`, hammer's `template-input`).
 */
import { Command, Option } from 'commander';

import { renderList, renderRecord } from '../../output/render-output.ts';
import { booleanParser, parseId, parseStringList } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addListOptions, addOutputOption, type ListFlags, listOptionsOf, outputOf } from '../shared/list-options.ts';
import { type ApiRecord, ID_NAME_COLUMNS } from '../shared/resource-commands.ts';
import { recordRef } from '../shared/resource-spec.ts';
import { addTemplateScopeOptions, type TemplateScopeFlags, templateScopedPath } from './template-scope.ts';
import { cellText, type Column, type InfoField } from '../../output/table-format.ts';

/** Input types the API accepts. */
const INPUT_TYPES = ['user', 'fact', 'variable', 'puppet_parameter'] as const;

/** Flags of create/update. */
interface InputFlags extends TemplateScopeFlags {
  id?: number;
  name?: string;
  newName?: string;
  inputType?: string;
  options?: string[];
  factName?: string;
  variableName?: string;
  puppetClassName?: string;
  puppetParameterName?: string;
  required?: boolean;
  advanced?: boolean;
  description?: string;
  default?: string;
  hiddenValue?: boolean;
  valueType?: string;
}

/** Options as one line: `a, b, c`. */
function optionsOf(r: ApiRecord): string {
  return typeof r.options === 'string' ? r.options.split(/\r?\n/).join(', ') : '';
}

const COLUMNS: readonly Column<ApiRecord>[] = [
  ...ID_NAME_COLUMNS,
  { label: 'Input type', get: 'input_type' },
  { label: 'Required', get: 'required' },
];

const FIELDS: readonly InfoField<ApiRecord>[] = [
  ...ID_NAME_COLUMNS,
  { label: 'Description', get: 'description' },
  { label: 'Input type', get: 'input_type' },
  { label: 'Required', get: 'required' },
  { label: 'Advanced', get: 'advanced' },
  { label: 'Fact name', get: 'fact_name' },
  { label: 'Variable name', get: 'variable_name' },
  { label: 'Puppet class name', get: 'puppet_class_name' },
  { label: 'Puppet parameter name', get: 'puppet_parameter_name' },
  { label: 'Options', get: optionsOf },
  { label: 'Default value', get: 'default' },
  { label: 'Hidden value', get: 'hidden_value' },
  { label: 'Value type', get: 'value_type' },
];

/** Adds `--id` / `--name` naming one input. */
function addInputIdentity(cmd: Command): Command {
  return cmd.option('--id <id>', 'template input id', (v) => parseId(v, '--id')).option('--name <name>', 'template input name');
}

/** The input reference for the URL: id, else name. */
function inputRef(flags: { id?: number; name?: string }): string {
  return recordRef(flags.id, flags.name, '--id or --name');
}

/** Adds the attribute options of create/update. */
function addInputAttributeOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--input-type <type>', 'where the value comes from').choices(INPUT_TYPES))
    .option('--options <a,b,c>', 'allowed values (user inputs)', (v) => parseStringList(v))
    .option('--fact-name <fact>', 'fact to read (input type fact)')
    .option('--variable-name <name>', 'parameter to read (input type variable)')
    .option('--puppet-class-name <name>', 'puppet class (input type puppet_parameter)')
    .option('--puppet-parameter-name <name>', 'puppet parameter (input type puppet_parameter)')
    .option('--required [bool]', 'a value must be given', booleanParser('--required'))
    .option('--advanced [bool]', 'show under advanced fields', booleanParser('--advanced'))
    .option('--description <text>', 'description')
    .option('--default <value>', 'default value')
    .option('--hidden-value [bool]', 'hide the value in output and descriptions', booleanParser('--hidden-value'))
    .addOption(new Option('--value-type <type>', 'value type').choices(['plain', 'search', 'date', 'resource']));
}

/** Builds the `template_input` payload. */
function inputPayload(flags: InputFlags, name: string | undefined): ApiRecord {
  const body: ApiRecord = {};
  if (name !== undefined) body.name = name;
  const map: [keyof InputFlags, string][] = [
    ['inputType', 'input_type'],
    ['options', 'options'],
    ['factName', 'fact_name'],
    ['variableName', 'variable_name'],
    ['puppetClassName', 'puppet_class_name'],
    ['puppetParameterName', 'puppet_parameter_name'],
    ['required', 'required'],
    ['advanced', 'advanced'],
    ['description', 'description'],
    ['default', 'default'],
    ['hiddenValue', 'hidden_value'],
    ['valueType', 'value_type'],
  ];
  for (const [flag, key] of map) if (flags[flag] !== undefined) body[key] = flags[flag];
  return body;
}

/** `Template input action created (id 4).` */
function saved(record: ApiRecord | null, verb: string): string {
  const name = record && typeof record.name === 'string' ? ` ${record.name}` : '';
  const id = record?.id !== undefined ? ` (id ${cellText(record.id)})` : '';
  return `Template input${name} ${verb}${id}.`;
}

/**
 * Builds the `template-input` command group.
 * @param ctx - command context
 */
export function templateInputCommand(ctx: CommandContext): Command {
  const ti = new Command('template-input').description("manage a job template's inputs");

  addListOptions(addTemplateScopeOptions(ti.command('list').alias('index').description('list the inputs of a template'))).action(
    async (flags: ListFlags & TemplateScopeFlags) => {
      const format = outputOf(flags);
      const list = await ctx.client().list<ApiRecord>(await templateScopedPath(ctx, flags, 'template_inputs'), listOptionsOf(flags));
      ctx.out(renderList(format, list.results, COLUMNS));
    },
  );

  addOutputOption(addInputIdentity(addTemplateScopeOptions(ti.command('info').alias('show').description('show a template input')))).action(
    async (flags: InputFlags & { output?: string }) => {
      const format = outputOf(flags);
      const ref = inputRef(flags);
      const record = await ctx.client().get<ApiRecord>(`${await templateScopedPath(ctx, flags, 'template_inputs')}/${ref}`);
      ctx.out(renderRecord(format, record, FIELDS));
    },
  );

  addInputAttributeOptions(addTemplateScopeOptions(ti.command('create').description('add an input to a template')).requiredOption('--name <name>', 'input name')).action(
    async (flags: InputFlags) => {
      const record = await ctx.client().post<ApiRecord>(await templateScopedPath(ctx, flags, 'template_inputs'), { template_input: inputPayload(flags, flags.name) });
      ctx.say(saved(record, 'created'));
    },
  );

  addInputAttributeOptions(
    addInputIdentity(addTemplateScopeOptions(ti.command('update').description('change a template input (named by --id or --name)'))).option('--new-name <name>', 'new name'),
  ).action(async (flags: InputFlags) => {
    const ref = inputRef(flags);
    const record = await ctx.client().put<ApiRecord>(`${await templateScopedPath(ctx, flags, 'template_inputs')}/${ref}`, { template_input: inputPayload(flags, flags.newName) });
    ctx.say(saved(record, 'updated'));
  });

  addInputIdentity(addTemplateScopeOptions(ti.command('delete').alias('destroy').description('remove a template input'))).action(async (flags: InputFlags) => {
    const ref = inputRef(flags);
    const record = await ctx.client().delete<ApiRecord>(`${await templateScopedPath(ctx, flags, 'template_inputs')}/${ref}`);
    ctx.say(saved(record, 'deleted'));
  });
  return ti;
}
