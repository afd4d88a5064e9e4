/**
 * @module
 * `remex template-input list|info|create|update|delete --template-id ID` (→
 * `/api/templates/:template_id/template_inputs`, hammer's `template-input`).
 */
import { InputError, type TemplateInput, type TemplateInputAttributes } from '@remex/common';
import { Command, Option } from 'commander';

import { templateInputApi } from '../../http/typed-api.ts';

import { renderList, renderRecord } from '../../output/render-output.ts';
import { booleanParser, parseId, parseStringList } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addListOptions, addOutputOption, type ListFlags, listOptionsOf, outputOf } from '../shared/list-options.ts';
import { type ApiRecord, asRecord, ID_NAME_COLUMNS } from '../shared/resource-commands.ts';
import { addTemplateScopeOptions, type TemplateScopeFlags, templateIdOf } from './template-scope.ts';
import { type Column, type InfoField } from '../../output/table-format.ts';

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

/** The input named by the flags: its id, else its name. */
function inputRef(flags: { id?: number; name?: string }): number | string {
  const ref = flags.id ?? flags.name;
  if (ref === undefined) throw new InputError('give --id or --name');
  return ref;
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

/** Builds the `template_input` payload: the attributes the flags name. */
function inputPayload(flags: InputFlags, name: string | undefined): TemplateInputAttributes {
  const attributes: TemplateInputAttributes = {
    name,
    input_type: flags.inputType,
    options: flags.options,
    fact_name: flags.factName,
    variable_name: flags.variableName,
    puppet_class_name: flags.puppetClassName,
    puppet_parameter_name: flags.puppetParameterName,
    required: flags.required,
    advanced: flags.advanced,
    description: flags.description,
    default: flags.default,
    hidden_value: flags.hiddenValue,
    value_type: flags.valueType,
  };
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));
}

/** `Template input action created (id 4).` */
function saved(record: TemplateInput, verb: string): string {
  return `Template input ${record.name} ${verb} (id ${record.id}).`;
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
      const list = await templateInputApi(ctx.client(), await templateIdOf(ctx, flags)).list(listOptionsOf(flags));
      ctx.out(renderList(format, list.results.map(asRecord), COLUMNS));
    },
  );

  addOutputOption(addInputIdentity(addTemplateScopeOptions(ti.command('info').alias('show').description('show a template input')))).action(
    async (flags: InputFlags & { output?: string }) => {
      const format = outputOf(flags);
      const ref = inputRef(flags);
      const record = await templateInputApi(ctx.client(), await templateIdOf(ctx, flags)).show(ref);
      ctx.out(renderRecord(format, asRecord(record), FIELDS));
    },
  );

  addInputAttributeOptions(addTemplateScopeOptions(ti.command('create').description('add an input to a template')).requiredOption('--name <name>', 'input name')).action(
    async (flags: InputFlags) => {
      const name = flags.name ?? '';
      const record = await templateInputApi(ctx.client(), await templateIdOf(ctx, flags)).create({ ...inputPayload(flags, name), name });
      ctx.say(saved(record, 'created'));
    },
  );

  addInputAttributeOptions(
    addInputIdentity(addTemplateScopeOptions(ti.command('update').description('change a template input (named by --id or --name)'))).option('--new-name <name>', 'new name'),
  ).action(async (flags: InputFlags) => {
    const ref = inputRef(flags);
    const record = await templateInputApi(ctx.client(), await templateIdOf(ctx, flags)).update(ref, inputPayload(flags, flags.newName));
    ctx.say(saved(record, 'updated'));
  });

  addInputIdentity(addTemplateScopeOptions(ti.command('delete').alias('destroy').description('remove a template input'))).action(async (flags: InputFlags) => {
    const ref = inputRef(flags);
    const record = await templateInputApi(ctx.client(), await templateIdOf(ctx, flags)).delete(ref);
    ctx.say(saved(record, 'deleted'));
  });
  return ti;
}
