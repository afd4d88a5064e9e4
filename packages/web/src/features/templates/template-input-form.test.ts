import { describe, expect, it } from 'vitest';

import type { TemplateInput } from '../../api/types.ts';
import { EMPTY_INPUT_FORM, formOf, inputBody, missingFields } from './template-input-form.ts';

describe('template input form', () => {
  it('round-trips an input through the form', () => {
    const input: TemplateInput = { id: 4, name: 'when', input_type: 'user', required: true, advanced: false, options: null, default: null, hidden_value: false, value_type: 'date', description: 'Day' };
    const body = inputBody(formOf(input));
    expect(body).toEqual({ name: 'when', input_type: 'user', required: true, advanced: false, hidden_value: false, options: '', description: 'Day', value_type: 'date', default: '' });
  });

  it('sends the names of the type only: fact, variable, Puppet class and parameter', () => {
    expect(inputBody({ ...EMPTY_INPUT_FORM, name: 'os', input_type: 'fact', fact_name: ' os.family ', variable_name: 'x' })).toMatchObject({ fact_name: 'os.family' });
    expect(inputBody({ ...EMPTY_INPUT_FORM, name: 'os', input_type: 'fact', fact_name: 'f' })).not.toHaveProperty('variable_name');
    const puppet = inputBody({ ...EMPTY_INPUT_FORM, name: 'port', input_type: 'puppet_parameter', puppet_class_name: 'ntp', puppet_parameter_name: 'servers' });
    expect(puppet).toMatchObject({ input_type: 'puppet_parameter', puppet_class_name: 'ntp', puppet_parameter_name: 'servers' });
    expect(puppet).not.toHaveProperty('fact_name');
  });

  it('leaves an unchanged hidden default alone, and sends a new one', () => {
    const hidden = formOf({ id: 2, name: 'token', input_type: 'user', hidden_value: true, default: '*****' });
    expect(hidden.default).toBe('');
    expect(inputBody(hidden)).not.toHaveProperty('default');
    expect(inputBody({ ...hidden, default: 's3cret' })).toMatchObject({ default: 's3cret' });
    expect(inputBody({ ...EMPTY_INPUT_FORM, name: 'new', hidden_value: true })).toMatchObject({ default: '' });
  });

  it('names what is missing', () => {
    expect(missingFields(EMPTY_INPUT_FORM)).toEqual(['name']);
    expect(missingFields({ ...EMPTY_INPUT_FORM, name: 'p', input_type: 'puppet_parameter', puppet_class_name: 'ntp' })).toEqual(['Puppet parameter']);
    expect(missingFields({ ...EMPTY_INPUT_FORM, name: 'v', input_type: 'variable' })).toEqual(['variable name']);
  });
});
