/**
 * @module
 * Foreign input sets of a job template (`/api/templates/:id/foreign_input_sets`): which inputs
 * of another template (all, or some by name) this one offers, as Foreman's `render_template`
 * needs them. List, add, edit and delete.
 */
import { Button, Checkbox, Form, FormGroup, FormSelect, FormSelectOption, TextInput } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { useList } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import { useAction } from '../../components/use-action.tsx';
import type { ForeignInputSet, JobTemplate } from '../../api/types.ts';

/** The editable fields of a set (`id` null: a new one). */
interface SetForm {
  id: number | null;
  target: string;
  includeAll: boolean;
  include: string;
  exclude: string;
  description: string;
}

const EMPTY: SetForm = { id: null, target: '', includeAll: true, include: '', exclude: '', description: '' };

function formOf(f: ForeignInputSet): SetForm {
  return { id: f.id, target: String(f.target_template_id), includeAll: f.include_all, include: f.include ?? '', exclude: f.exclude ?? '', description: f.description ?? '' };
}

/** The sets table and its form. */
export function ForeignInputSetsCard({ template }: { template: JobTemplate }) {
  const api = useApi();
  const queries = useQueryClient();
  const others = useList<JobTemplate>('/api/job_templates', { per_page: 1000, order: 'name' });
  const [form, setForm] = useState<SetForm>(EMPTY);
  const set = (changes: Partial<SetForm>) => setForm((f) => ({ ...f, ...changes }));
  const base = `/api/templates/${template.id}/foreign_input_sets`;
  const locked = template.locked ?? false;
  const { act, alert } = useAction(async () => {
    setForm(EMPTY);
    await queries.invalidateQueries();
  });
  const save = () => {
    const body = { foreign_input_set: { target_template_id: Number(form.target), include_all: form.includeAll, include: form.includeAll ? '' : form.include, exclude: form.exclude, description: form.description } };
    if (form.id === null) act(() => api.post(base, body), 'Foreign input set added');
    else act(() => api.put(`${base}/${form.id}`, body), 'Foreign input set saved');
  };
  return (
    <>
      {alert}
      <Table aria-label="Foreign input sets" variant="compact">
        <Thead>
          <Tr>
            <Th>Template</Th>
            <Th>Inputs</Th>
            <Th>Excluded</Th>
            <Th>Description</Th>
            <Th screenReaderText="Actions" />
          </Tr>
        </Thead>
        <Tbody>
          {(template.foreign_input_sets ?? []).map((f) => (
            <Tr key={f.id}>
              <Td>{f.target_template_name ?? f.target_template_id}</Td>
              <Td>{f.include_all ? 'all' : (f.include ?? '')}</Td>
              <Td>{f.exclude ?? ''}</Td>
              <Td>{f.description ?? ''}</Td>
              <Td>
                <Button variant="link" isInline isDisabled={locked} onClick={() => setForm(formOf(f))} aria-label={`Edit foreign input set ${f.target_template_name ?? f.target_template_id}`}>
                  Edit
                </Button>{' '}
                <Button variant="link" isInline isDanger isDisabled={locked} onClick={() => act(() => api.del(`${base}/${f.id}`), 'Foreign input set deleted')}>
                  Delete
                </Button>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {locked ? null : (
        <Form
          aria-label={form.id === null ? 'Add a foreign input set' : 'Edit the foreign input set'}
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
          style={{ marginTop: 12, maxWidth: 640 }}
        >
          <FormGroup label="Target template" fieldId="set-target" isRequired>
            <FormSelect id="set-target" value={form.target} onChange={(_e, v) => set({ target: v })}>
              <FormSelectOption value="" label="Choose a template" isPlaceholder />
              {(others.data?.results ?? [])
                .filter((o) => o.id !== template.id)
                .map((o) => (
                  <FormSelectOption key={o.id} value={String(o.id)} label={o.name} />
                ))}
            </FormSelect>
          </FormGroup>
          <FormGroup fieldId="set-all">
            <Checkbox id="set-all" label="Include all inputs" isChecked={form.includeAll} onChange={(_e, v) => set({ includeAll: v })} />
          </FormGroup>
          {form.includeAll ? null : (
            <FormGroup label="Include (comma separated)" fieldId="set-include">
              <TextInput id="set-include" value={form.include} onChange={(_e, v) => set({ include: v })} />
            </FormGroup>
          )}
          <FormGroup label="Exclude (comma separated)" fieldId="set-exclude">
            <TextInput id="set-exclude" value={form.exclude} onChange={(_e, v) => set({ exclude: v })} />
          </FormGroup>
          <FormGroup label="Set description" fieldId="set-description">
            <TextInput id="set-description" value={form.description} onChange={(_e, v) => set({ description: v })} />
          </FormGroup>
          <Button type="submit" isDisabled={form.target === ''}>
            {form.id === null ? 'Add foreign input set' : 'Save foreign input set'}
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
