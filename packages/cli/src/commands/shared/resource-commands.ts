/**
 * @module
 * Builders for the `list`, `info`, `create`, `update` and `delete` subcommands every resource has,
 * so each resource module only declares its columns, fields and create/update options.
 */
import { InputError } from '@remex/common';
import type { Command } from 'commander';

import type { Column, InfoField } from '../../output/table-format.ts';
import { type OutputFormat, renderData, renderList, renderRecord } from '../../output/render-output.ts';
import { parseId } from '../../options/option-parsers.ts';
import type { CommandContext } from './command-context.ts';
import { addListOptions, addOutputOption, type ListFlags, listOptionsOf, outputOf } from './list-options.ts';
import { callsOf, resolveId, type ResourceSpec } from './resource-spec.ts';

/** A record as the API returns it. */
export type ApiRecord = Record<string, unknown>;

/** One name-like option identifying a record. */
export interface NameOption {
  /** Field matched by the option (default `name`). */
  field?: string;
  /** Option flag text (default `--name <name>`). */
  flag?: string;
  /** Commander attribute name of that option (default `name`). */
  attr?: string;
}

/** How a resource's records are identified besides `--id`: a main name option and alternatives. */
export interface Identity extends NameOption {
  /** Further name-like options, tried in order after the main one. */
  alternatives?: readonly NameOption[];
}

/** Flags of commands that identify one record. */
export interface IdFlags {
  id?: number;
  [k: string]: unknown;
}

/** All name options of an identity, defaults filled in. */
function nameOptions(identity: Identity): Required<NameOption>[] {
  return [identity, ...(identity.alternatives ?? [])].map((o) => ({
    field: o.field ?? 'name',
    flag: o.flag ?? '--name <name>',
    attr: o.attr ?? 'name',
  }));
}

/**
 * Adds `--id` and the name options to a command.
 * @param cmd - the command
 * @param spec - the resource
 * @param identity - name option settings
 */
export function addIdentityOptions<C, U>(cmd: Command, spec: ResourceSpec<C, U>, identity: Identity = {}): Command {
  cmd.option('--id <id>', `${spec.label} id`, (v) => parseId(v, '--id'));
  for (const o of nameOptions(identity)) cmd.option(o.flag, `${spec.label} ${o.field}`);
  return cmd;
}

/**
 * Resolves the record id named by `--id` or a name option.
 * @param ctx - command context
 * @param spec - the resource
 * @param flags - parsed flags
 * @param identity - name option settings
 */
export function identityId<C, U>(ctx: CommandContext, spec: ResourceSpec<C, U>, flags: IdFlags, identity: Identity = {}): Promise<number> {
  const options = nameOptions(identity);
  const given = options.find((o) => typeof flags[o.attr] === 'string');
  const names = ['--id', ...options.map((o) => o.flag.split(' ')[0] ?? o.flag)].join(' or ');
  const raw = given ? flags[given.attr] : undefined;
  return resolveId(ctx.client(), spec, flags.id, typeof raw === 'string' ? raw : undefined, given?.field ?? 'name', names);
}

/**
 * Adds `list` (alias `index`) with the list option group.
 * @param parent - the resource command
 * @param ctx - command context
 * @param spec - the resource
 * @param columns - table columns
 */
export function addListCommand<C, U>(parent: Command, ctx: CommandContext, spec: ResourceSpec<C, U>, columns: readonly Column<ApiRecord>[]): Command {
  const cmd = parent.command('list').alias('index').description(`list ${spec.label}s`);
  addListOptions(cmd);
  return cmd.action(async (flags: ListFlags) => {
    const format = outputOf(flags);
    const list = await callsOf(ctx.client(), spec).list(listOptionsOf(flags));
    ctx.out(renderList(format, list.results.map(asRecord), columns));
  });
}

/**
 * Adds `info` (alias `show`): `--id` or the name option, `--output`.
 * @param parent - the resource command
 * @param ctx - command context
 * @param spec - the resource
 * @param fields - info fields
 * @param identity - name option settings
 */
export function addInfoCommand<C, U>(
  parent: Command,
  ctx: CommandContext,
  spec: ResourceSpec<C, U>,
  fields: readonly InfoField<ApiRecord>[],
  identity: Identity = {},
): Command {
  const cmd = parent.command('info').alias('show').description(`show a ${spec.label}`);
  addIdentityOptions(cmd, spec, identity);
  addOutputOption(cmd);
  return cmd.action(async (flags: IdFlags & { output?: string }) => {
    const format = outputOf(flags);
    const id = await identityId(ctx, spec, flags, identity);
    const record = await callsOf(ctx.client(), spec).show(id);
    ctx.out(renderRecord(format, asRecord(record), fields));
  });
}

/**
 * Adds `delete` (alias `destroy`): `--id` or the name option.
 * @param parent - the resource command
 * @param ctx - command context
 * @param spec - the resource
 * @param identity - name option settings
 */
export function addDeleteCommand<C, U>(parent: Command, ctx: CommandContext, spec: ResourceSpec<C, U>, identity: Identity = {}): Command {
  const cmd = parent.command('delete').alias('destroy').description(`delete a ${spec.label}`);
  addIdentityOptions(cmd, spec, identity);
  return cmd.action(async (flags: IdFlags) => {
    const id = await identityId(ctx, spec, flags, identity);
    await callsOf(ctx.client(), spec).delete(id);
    ctx.say(`${capitalize(spec.label)} ${id} deleted.`);
  });
}

/** The leading `Id` and `Name` columns of most resources' lists and info output. */
export const ID_NAME_COLUMNS: readonly Column<ApiRecord>[] = [
  { label: 'Id', get: 'id' },
  { label: 'Name', get: 'name' },
];

/** The trailing `Created at` and `Updated at` fields of most resources' info output. */
export const TIMESTAMP_FIELDS: readonly InfoField<ApiRecord>[] = [
  { label: 'Created at', get: 'created_at' },
  { label: 'Updated at', get: 'updated_at' },
];

/** The payload of a create/update (body type `B`), built once the API client exists. */
export type PayloadOf<B = ApiRecord> = () => B | Promise<B>;

/** An API answer as the table renderer reads it. */
export function asRecord(value: object): ApiRecord {
  return value as ApiRecord;
}

/**
 * Creates a record (`POST spec.path` with the body wrapped in `spec.key`) and prints
 * {@link savedMessage} with `created`.
 * @param ctx - command context
 * @param spec - the resource
 * @param payload - builds the record's attributes
 */
export async function createRecord<C, U>(ctx: CommandContext, spec: ResourceSpec<C, U>, payload: PayloadOf<C>, format: OutputFormat = 'table'): Promise<void> {
  const record = await callsOf(ctx.client(), spec).create(await payload());
  saved(ctx, spec, asRecord(record), 'created', format);
}

/** The success line, or with `--output json|yaml` the record the API answered. */
function saved<C, U>(ctx: CommandContext, spec: ResourceSpec<C, U>, record: ApiRecord | null, verb: string, format: OutputFormat): void {
  if (format === 'table') ctx.say(savedMessage(spec, record, verb));
  else ctx.out(renderData(format, record));
}

/**
 * Updates the record named by `--id` or a name option (`PUT spec.path/:id` with the body
 * wrapped in `spec.key`) and prints {@link savedMessage} with `updated`.
 * @param ctx - command context
 * @param spec - the resource
 * @param flags - parsed flags naming the record
 * @param payload - builds the changed attributes
 * @param identity - name option settings
 */
export async function updateRecord<C, U>(
  ctx: CommandContext,
  spec: ResourceSpec<C, U>,
  flags: IdFlags,
  payload: PayloadOf<U>,
  identity: Identity = {},
  format: OutputFormat = 'table',
): Promise<void> {
  const id = await identityId(ctx, spec, flags, identity);
  const record = await callsOf(ctx.client(), spec).update(id, await payload());
  saved(ctx, spec, asRecord(record), 'updated', format);
}

/** A `create` or `update` subcommand of {@link addResourceCommands}. */
export interface SaveCommand<F extends IdFlags, B = ApiRecord> {
  /** Help text of the subcommand. */
  description: string;
  /** Adds the subcommand's own options (after `--id` and the name options on `update`). */
  options(cmd: Command): Command;
  /** Checks run before the API client is built (e.g. required options commander cannot express). */
  validate?(flags: F): void;
  /** Builds the record's attributes. */
  payload(flags: F): B | Promise<B>;
}

/** The standard subcommands of a resource, as {@link addResourceCommands} builds them. */
export interface ResourceCommands<F extends IdFlags, C = ApiRecord, U = C> {
  spec: ResourceSpec<C, U>;
  /** Columns of `list`. */
  columns: readonly Column<ApiRecord>[];
  /** Fields of `info`. */
  fields: readonly InfoField<ApiRecord>[];
  /** Name option settings of `info`, `update` and `delete`. */
  identity?: Identity;
  create: SaveCommand<F, C>;
  update: SaveCommand<F, U>;
}

/**
 * Adds `list`, `info`, `create`, `update` and `delete` (in that order) to a resource command.
 * @param parent - the resource command
 * @param ctx - command context
 * @param desc - the resource and its subcommands' specifics
 */
export function addResourceCommands<F extends IdFlags, C = ApiRecord, U = C>(parent: Command, ctx: CommandContext, desc: ResourceCommands<F, C, U>): void {
  const { spec, identity = {}, create, update } = desc;
  addListCommand(parent, ctx, spec, desc.columns);
  addInfoCommand(parent, ctx, spec, desc.fields, identity);
  addOutputOption(create.options(parent.command('create').description(create.description))).action(async (flags: F & { output?: string }) => {
    create.validate?.(flags);
    await createRecord(ctx, spec, () => create.payload(flags), outputOf(flags));
  });
  addOutputOption(update.options(addIdentityOptions(parent.command('update').description(update.description), spec, identity))).action(async (flags: F & { output?: string }) => {
    update.validate?.(flags);
    await updateRecord(ctx, spec, flags, () => update.payload(flags), identity, outputOf(flags));
  });
  addDeleteCommand(parent, ctx, spec, identity);
}

/** `host group` → `Host group`. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The success line of create/update commands: `Host web01 created (id 12).`
 * @param spec - the resource
 * @param record - the API answer
 * @param verb - `created` / `updated`
 */
export function savedMessage<C, U>(spec: ResourceSpec<C, U>, record: ApiRecord | null, verb: string): string {
  const name = record && typeof record.name === 'string' ? ` ${record.name}` : '';
  const id = record && record.id !== undefined ? ` (id ${cellId(record.id)})` : '';
  return `${capitalize(spec.label)}${name} ${verb}${id}.`;
}

/** Renders an id value. */
function cellId(v: unknown): string {
  return typeof v === 'number' || typeof v === 'string' ? String(v) : JSON.stringify(v);
}

/**
 * The value of an option the API requires (commander's `requiredOption` already asks for it; this
 * tells the type checker).
 * @param value - the parsed option
 * @param flag - the option, for the message
 */
export function given<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new InputError(`${flag} is required`);
  return value;
}
