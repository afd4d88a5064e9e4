/**
 * @module
 * The inputs of a job template (`/api/templates/:id/template_inputs`): list, add, edit and
 * delete, with Foreman's fields (type with its fact, variable or Puppet class and parameter,
 * required, advanced, options, default, hidden value, value type, description). Read only when
 * the template is locked.
 */
import { Button, Checkbox, Form, FormGroup, FormSelect, FormSelectOption, TextArea, TextInput } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { useApi } from '../../api/session.tsx';
import { useAction } from '../../components/use-action.tsx';
import type { JobTemplate, TemplateInput } from '../../api/types.ts';
import { EMPTY_INPUT_FORM, INPUT_TYPES, VALUE_TYPES, formOf, inputBody, missingFields } from './template-input-form.ts';
import type { InputForm } from './template-input-form.ts';

/** The type of an input with what it reads (`fact: os.family`). */
function typeDetail(i: TemplateInput): string {
  if (i.input_type === 'fact' && i.fact_name) return `fact: ${i.fact_name}`;
  if (i.input_type === 'variable' && i.variable_name) return `variable: ${i.variable_name}`;
  if (i.input_type === 'puppet_parameter' && i.puppet_class_name) return `puppet: ${i.puppet_class_name}::${i.puppet_parameter_name ?? ''}`;
  return i.input_type;
}

/** The inputs table and its form. */
export function TemplateInputsCard({ template }: { template: JobTemplate }) {
  const api = useApi();
  const queries = useQueryClient();
  const [form, setForm] = useState<InputForm>(EMPTY_INPUT_FORM);
  const base = `/api/templates/${template.id}/template_inputs`;
  const locked = template.locked ?? false;
  const set = (changes: Partial<InputForm>) => setForm((f) => ({ ...f, ...changes }));
  const { act, alert } = useAction(async () => {
    setForm(EMPTY_INPUT_FORM);
    await queries.invalidateQueries();
  });
  const save = () => {
    const body = inputBody(form);
    if (form.id === null) act(() => api.post(base, { template_input: body }), `Input ${form.name.trim()} added`);
    else act(() => api.put(`${base}/${form.id}`, { template_input: body }), `Input ${form.name.trim()} saved`);
  };
  const missing = missingFields(form);
  return (
    <>
      {alert}
      <Table aria-label="Template inputs" variant="compact">
        <Thead>
          <Tr>
            <Th>Name</Th>
            <Th>Type</Th>
            <Th>Value type</Th>
            <Th>Required</Th>
            <Th>Advanced</Th>
            <Th>Options</Th>
            <Th>Default</Th>
            <Th>Description</Th>
            <Th screenReaderText="Actions" />
          </Tr>
        </Thead>
        <Tbody>
          {(template.template_inputs ?? []).map((i) => (
            <Tr key={i.id}>
              <Td>{i.name}</Td>
              <Td>{typeDetail(i)}</Td>
              <Td>{i.value_type ?? 'plain'}</Td>
              <Td>{i.required ? 'yes' : 'no'}</Td>
              <Td>{i.advanced ? 'yes' : 'no'}</Td>
              <Td>{i.options ? i.options.split('\n').join(', ') : '—'}</Td>
              <Td>{i.hidden_value ? '*****' : (i.default ?? '—')}</Td>
              <Td>{i.description ?? ''}</Td>
              <Td>
                <Button variant="link" isInline isDisabled={locked} onClick={() => setForm(formOf(i))} aria-label={`Edit input ${i.name}`}>
                  Edit
                </Button>{' '}
                <Button variant="link" isInline isDanger isDisabled={locked} onClick={() => act(() => api.del(`${base}/${i.id}`), `Input ${i.name} deleted`)} aria-label={`Delete input ${i.name}`}>
                  Delete
                </Button>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {locked ? null : (
        <Form
          aria-label={form.id === null ? 'Add an input' : `Edit input ${form.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
          style={{ marginTop: 12, maxWidth: 640 }}
        >
          <FormGroup label="Input name" fieldId="input-name" isRequired>
            <TextInput id="input-name" value={form.name} onChange={(_e, v) => set({ name: v })} />
          </FormGroup>
          <FormGroup label="Input type" fieldId="input-type">
            <FormSelect id="input-type" value={form.input_type} onChange={(_e, v) => set({ input_type: v })}>
              {INPUT_TYPES.map((t) => (
                <FormSelectOption key={t} value={t} label={t} />
              ))}
            </FormSelect>
          </FormGroup>
          {form.input_type === 'fact' ? (
            <FormGroup label="Fact name" fieldId="input-fact">
              <TextInput id="input-fact" value={form.fact_name} onChange={(_e, v) => set({ fact_name: v })} />
            </FormGroup>
          ) : null}
          {form.input_type === 'variable' ? (
            <FormGroup label="Variable name" fieldId="input-variable">
              <TextInput id="input-variable" value={form.variable_name} onChange={(_e, v) => set({ variable_name: v })} />
            </FormGroup>
          ) : null}
          {form.input_type === 'puppet_parameter' ? (
            <>
              <FormGroup label="Puppet class name" fieldId="input-puppet-class">
                <TextInput id="input-puppet-class" value={form.puppet_class_name} onChange={(_e, v) => set({ puppet_class_name: v })} />
              </FormGroup>
              <FormGroup label="Puppet parameter name" fieldId="input-puppet-parameter">
                <TextInput id="input-puppet-parameter" value={form.puppet_parameter_name} onChange={(_e, v) => set({ puppet_parameter_name: v })} />
              </FormGroup>
            </>
          ) : null}
          <FormGroup label="Value type" fieldId="input-value-type">
            <FormSelect id="input-value-type" value={form.value_type} onChange={(_e, v) => set({ value_type: v })}>
              {VALUE_TYPES.map((t) => (
                <FormSelectOption key={t} value={t} label={t} />
              ))}
            </FormSelect>
          </FormGroup>
          <FormGroup fieldId="input-flags">
            <Checkbox id="input-required" label="Required" isChecked={form.required} onChange={(_e, v) => set({ required: v })} />
            <Checkbox id="input-advanced" label="Advanced" isChecked={form.advanced} onChange={(_e, v) => set({ advanced: v })} />
            <Checkbox id="input-hidden" label="Hidden value" isChecked={form.hidden_value} onChange={(_e, v) => set({ hidden_value: v })} />
          </FormGroup>
          <FormGroup label="Options (one per line)" fieldId="input-options">
            <TextArea id="input-options" value={form.options} onChange={(_e, v) => set({ options: v })} rows={3} />
          </FormGroup>
          <FormGroup label="Default" fieldId="input-default">
            <TextInput id="input-default" type={form.hidden_value ? 'password' : 'text'} value={form.default} onChange={(_e, v) => set({ default: v })} />
          </FormGroup>
          <FormGroup label="Description" fieldId="input-description">
            <TextInput id="input-description" value={form.description} onChange={(_e, v) => set({ description: v })} />
          </FormGroup>
          <Button type="submit" isDisabled={missing.length > 0} title={missing.length > 0 ? `Missing: ${missing.join(', ')}` : undefined}>
            {form.id === null ? 'Add input' : 'Save input'}
          </Button>{' '}
          {form.id !== null ? (
            <Button variant="link" onClick={() => setForm(EMPTY_INPUT_FORM)}>
              Cancel
            </Button>
          ) : null}
        </Form>
      )}
    </>
  );
}
