/**
 * @module
 * The template input form's fields, read from an input and written as the body of
 * `POST`/`PUT /api/templates/:id/template_inputs[/:id]` (Foreman's fields: type with its fact,
 * variable or Puppet class and parameter, required, advanced, hidden value, options, default,
 * value type, description).
 */
import type { TemplateInput } from '../../api/types.ts';

/** Input types a template may declare. */
export const INPUT_TYPES = ['user', 'fact', 'variable', 'puppet_parameter'] as const;

/** Value types of a user input (Foreman's: plain text, a host search, a date). */
export const VALUE_TYPES = ['plain', 'search', 'date'] as const;

/** The editable fields of an input (`id` null: a new one). */
export interface InputForm {
  id: number | null;
  name: string;
  input_type: string;
  required: boolean;
  advanced: boolean;
  hidden_value: boolean;
  options: string;
  default: string;
  description: string;
  value_type: string;
  fact_name: string;
  variable_name: string;
  puppet_class_name: string;
  puppet_parameter_name: string;
}

/** The form of a new input. */
export const EMPTY_INPUT_FORM: InputForm = {
  id: null,
  name: '',
  input_type: 'user',
  required: false,
  advanced: false,
  hidden_value: false,
  options: '',
  default: '',
  description: '',
  value_type: 'plain',
  fact_name: '',
  variable_name: '',
  puppet_class_name: '',
  puppet_parameter_name: '',
};

/** The form editing input `i` (a hidden default is shown empty: it comes masked). */
export function formOf(i: TemplateInput): InputForm {
  return {
    id: i.id,
    name: i.name,
    input_type: i.input_type,
    required: i.required ?? false,
    advanced: i.advanced ?? false,
    hidden_value: i.hidden_value ?? false,
    options: i.options ?? '',
    default: i.hidden_value ? '' : (i.default ?? ''),
    description: i.description ?? '',
    value_type: i.value_type ?? 'plain',
    fact_name: i.fact_name ?? '',
    variable_name: i.variable_name ?? '',
    puppet_class_name: i.puppet_class_name ?? '',
    puppet_parameter_name: i.puppet_parameter_name ?? '',
  };
}

/** The request body (inside `template_input`) of form `f`. */
export function inputBody(f: InputForm): Record<string, string | boolean> {
  return {
    name: f.name.trim(),
    input_type: f.input_type,
    required: f.required,
    advanced: f.advanced,
    hidden_value: f.hidden_value,
    options: f.options,
    description: f.description,
    value_type: f.value_type,
    // An unchanged hidden default is not sent back (it is shown empty).
    ...(f.hidden_value && f.default === '' && f.id !== null ? {} : { default: f.default }),
    ...(f.input_type === 'fact' ? { fact_name: f.fact_name.trim() } : {}),
    ...(f.input_type === 'variable' ? { variable_name: f.variable_name.trim() } : {}),
    ...(f.input_type === 'puppet_parameter' ? { puppet_class_name: f.puppet_class_name.trim(), puppet_parameter_name: f.puppet_parameter_name.trim() } : {}),
  };
}

/** What the form still lacks before it can be sent (empty: complete). */
export function missingFields(f: InputForm): string[] {
  const missing: string[] = [];
  if (!f.name.trim()) missing.push('name');
  if (f.input_type === 'fact' && !f.fact_name.trim()) missing.push('fact name');
  if (f.input_type === 'variable' && !f.variable_name.trim()) missing.push('variable name');
  if (f.input_type === 'puppet_parameter' && !f.puppet_class_name.trim()) missing.push('Puppet class');
  if (f.input_type === 'puppet_parameter' && !f.puppet_parameter_name.trim()) missing.push('Puppet parameter');
  return missing;
}
