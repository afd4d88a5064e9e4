/**
 * @module
 * The inputs of a job template (`/api/templates/:id/template_inputs`): list, add, edit and
 * delete, with Foreman's fields (type, required, advanced, options, default, hidden value,
 * description). Read only when the template is locked.
 */
import { Button, Checkbox, Form, FormGroup, FormSelect, FormSelectOption, TextArea, TextInput } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { useApi } from '../../api/session.tsx';
import type { JobTemplate, TemplateInput } from '../../api/types.ts';
import { useAction } from '../../components/use-action.tsx';

const INPUT_TYPES = ['user', 'fact', 'variable'] as const;

/** The editable fields of an input. */
interface InputForm {
  id: number | null;
  name: string;
  input_type: string;
  required: boolean;
  advanced: boolean;
  hidden_value: boolean;
  options: string;
  default: string;
  description: string;
  fact_name: string;
  variable_name: string;
}

const EMPTY: InputForm = { id: null, name: '', input_type: 'user', required: false, advanced: false, hidden_value: false, options: '', default: '', description: '', fact_name: '', variable_name: '' };

function formOf(i: TemplateInput): InputForm {
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
    fact_name: i.fact_name ?? '',
    variable_name: i.variable_name ?? '',
  };
}

/** The inputs table and its form. */
export function TemplateInputsCard({ template }: { template: JobTemplate }) {
  const api = useApi();
  const queries = useQueryClient();
  const [form, setForm] = useState<InputForm>(EMPTY);
  const base = `/api/templates/${template.id}/template_inputs`;
  const locked = template.locked ?? false;
  const set = (changes: Partial<InputForm>) => setForm((f) => ({ ...f, ...changes }));
  const { act, alert } = useAction(async () => {
    setForm(EMPTY);
    await queries.invalidateQueries();
  });
  const save = () => {
    const body = {
      name: form.name.trim(),
      input_type: form.input_type,
      required: form.required,
      advanced: form.advanced,
      hidden_value: form.hidden_value,
      options: form.options,
      description: form.description,
      // An unchanged hidden default is not sent back (it is shown empty).
      ...(form.hidden_value && form.default === '' && form.id !== null ? {} : { default: form.default }),
      ...(form.input_type === 'fact' ? { fact_name: form.fact_name } : {}),
      ...(form.input_type === 'variable' ? { variable_name: form.variable_name } : {}),
    };
    if (form.id === null) act(() => api.post(base, { template_input: body }), `Input ${body.name} added`);
    else act(() => api.put(`${base}/${form.id}`, { template_input: body }), `Input ${body.name} saved`);
  };
  return (
    <>
      {alert}
      <Table aria-label="Template inputs" variant="compact">
        <Thead>
          <Tr>
            <Th>Name</Th>
            <Th>Type</Th>
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
              <Td>{i.input_type}</Td>
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
          <Button type="submit" isDisabled={!form.name.trim()}>
            {form.id === null ? 'Add input' : 'Save input'}
          </Button>{' '}
          {form.id !== null ? (
            <Button variant="link" onClick={() => setForm(EMPTY)}>
              Cancel
            </Button>
          ) : null}
        </Form>
      )}
    </>
  );
}
