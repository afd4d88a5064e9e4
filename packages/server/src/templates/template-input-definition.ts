/**
 * @module
 * A template input's definition: the input types, the checks of a definition given by a body,
 * an attributes list or a metadata header, and its JSON inside a job template.
 */
import type { TemplateInputAttributes, TemplateInputBase } from '@remex/common';
import { InputError, looseBoolean, scalarText } from '@remex/common';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

import type { TemplateInputRow } from '../db/schema.ts';
import { flag, isSet } from '../db/time.ts';

/** Input types a job template may declare. */
export const INPUT_TYPES = ['user', 'fact', 'variable', 'puppet_parameter'] as const;

/** A validated template input definition. */
export interface InputDefinition {
  name: string;
  description: string | null;
  input_type: string;
  required: boolean;
  advanced: boolean;
  options: string | null;
  default_value: string | null;
  hidden_value: boolean;
  value_type: string;
  fact_name: string | null;
  variable_name: string | null;
  puppet_class_name: string | null;
  puppet_parameter_name: string | null;
}

/** Attributes of an input with its name (a create body, a `template_inputs_attributes` item). */
export type NamedInputAttributes = TemplateInputAttributes & { name: string | number };

/** The boolean of an optional loose flag (undefined when not given or null). */
export const flagOf = (v: TemplateInputAttributes['required']) => (v === undefined || v === null ? undefined : looseBoolean(v));
const textOf = (v: string | number | boolean | null | undefined) => (v === undefined ? undefined : scalarText(v));

/** Checks one input definition (types already checked by its schema) and fills the defaults. */
export function inputDefinition(a: NamedInputAttributes): InputDefinition {
  const name = String(a.name);
  if (name.trim() === '') throw new InputError("name can't be blank");
  const inputType = a.input_type ?? 'user';
  if (!(INPUT_TYPES as readonly string[]).includes(inputType)) throw new InputError(`Input '${name}': input_type must be one of ${INPUT_TYPES.join(', ')}, got '${inputType}'`);
  const options = Array.isArray(a.options) ? a.options.map(String).join('\n') : (textOf(a.options) ?? null);
  const def: InputDefinition = {
    name,
    description: a.description ?? null,
    input_type: inputType,
    required: flagOf(a.required) ?? false,
    advanced: flagOf(a.advanced) ?? false,
    options: options === '' ? null : options,
    default_value: textOf(a.default) ?? textOf(a.default_value) ?? null,
    hidden_value: flagOf(a.hidden_value) ?? false,
    value_type: a.value_type ?? 'plain',
    fact_name: a.fact_name ?? null,
    variable_name: a.variable_name ?? null,
    puppet_class_name: a.puppet_class_name ?? null,
    puppet_parameter_name: a.puppet_parameter_name ?? null,
  };
  if (inputType === 'fact' && !def.fact_name) throw new InputError(`Input '${name}': fact_name can't be blank for a fact input`);
  if (inputType === 'variable' && !def.variable_name) throw new InputError(`Input '${name}': variable_name can't be blank for a variable input`);
  if (inputType === 'puppet_parameter' && (!def.puppet_class_name || !def.puppet_parameter_name)) {
    throw new InputError(`Input '${name}': puppet_class_name and puppet_parameter_name are required for a puppet parameter input`);
  }
  if (def.options !== null && def.default_value !== null && def.default_value !== '' && !def.options.split(/\r?\n/).includes(def.default_value)) {
    throw new InputError(`Input '${name}': default '${def.default_value}' is not one of its options`);
  }
  return def;
}

/** An input definition as stored (0/1 flags). */
export function inputRowValues(d: InputDefinition) {
  return { ...d, required: flag(d.required), advanced: flag(d.advanced), hidden_value: flag(d.hidden_value) };
}

/** What the default of a hidden input is shown as; sent back unchanged, it keeps the stored default. */
export const HIDDEN_DEFAULT_MASK = '*****';

/**
 * Template input JSON as answers show it: the default of a hidden input (it may be a secret, e.g.
 * a token) is {@link HIDDEN_DEFAULT_MASK}. Template export keeps the real default (a backup
 * that loses it would not restore).
 */
export function shownInput(i: TemplateInputRow): TemplateInputBase {
  const shown = serializeInput(i);
  return isSet(i.hidden_value) && i.default_value !== null && i.default_value !== '' ? { ...shown, default: HIDDEN_DEFAULT_MASK } : shown;
}

/** Template input JSON inside a job template, with real values (merges; see {@link shownInput} for answers). */
export function serializeInput(i: TemplateInputRow): TemplateInputBase {
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    input_type: i.input_type,
    required: isSet(i.required),
    advanced: isSet(i.advanced),
    options: i.options,
    default: i.default_value,
    hidden_value: isSet(i.hidden_value),
    value_type: i.value_type,
    fact_name: i.fact_name,
    variable_name: i.variable_name,
    puppet_class_name: i.puppet_class_name,
    puppet_parameter_name: i.puppet_parameter_name,
  };
}


/**
 * `raw` (e.g. a metadata header entry) checked against `schema`; an InputError names the entry
 * and the field otherwise.
 * @param where - the entry, e.g. `Template metadata: template_inputs[0]`
 */
export function checkedEntry<T extends TSchema>(schema: T, raw: unknown, where: string): Static<T> {
  if (Value.Check(schema, raw)) return raw;
  const error = Value.Errors(schema, raw).First();
  const path = error?.path.split('/').filter((p) => p !== '').join('.') ?? '';
  throw new InputError(`${where}: ${path === '' ? 'value' : path} ${error?.message.toLowerCase() ?? 'is invalid'}`);
}
