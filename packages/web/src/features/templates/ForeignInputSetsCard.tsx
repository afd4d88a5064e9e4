/**
 * @module
 * Foreign input sets of a job template (`/api/templates/:id/foreign_input_sets`): which inputs
 * of another template (all, or some by name) this one offers, as Foreman's `render_template`
 * needs them. List, add and delete.
 */
import { Button, Checkbox, Form, FormGroup, FormSelect, FormSelectOption, TextInput } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { useList } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import type { JobTemplate } from '../../api/types.ts';
import { useAction } from '../../components/use-action.tsx';

/** The sets table and its form. */
export function ForeignInputSetsCard({ template }: { template: JobTemplate }) {
  const api = useApi();
  const queries = useQueryClient();
  const others = useList<JobTemplate>('/api/job_templates', { per_page: 1000, order: 'name' });
  const [target, setTarget] = useState('');
  const [includeAll, setIncludeAll] = useState(true);
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const base = `/api/templates/${template.id}/foreign_input_sets`;
  const locked = template.locked ?? false;
  const { act, alert } = useAction(() => queries.invalidateQueries());
  const add = () =>
    act(
      () => api.post(base, { foreign_input_set: { target_template_id: Number(target), include_all: includeAll, include: includeAll ? '' : include, exclude } }),
      'Foreign input set added',
    );
  return (
    <>
      {alert}
      <Table aria-label="Foreign input sets" variant="compact">
        <Thead>
          <Tr>
            <Th>Template</Th>
            <Th>Inputs</Th>
            <Th>Excluded</Th>
            <Th screenReaderText="Actions" />
          </Tr>
        </Thead>
        <Tbody>
          {(template.foreign_input_sets ?? []).map((f) => (
            <Tr key={f.id}>
              <Td>{f.target_template_name ?? f.target_template_id}</Td>
              <Td>{f.include_all ? 'all' : (f.include ?? '')}</Td>
              <Td>{f.exclude ?? ''}</Td>
              <Td>
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
          aria-label="Add a foreign input set"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
          style={{ marginTop: 12, maxWidth: 640 }}
        >
          <FormGroup label="Target template" fieldId="set-target" isRequired>
            <FormSelect id="set-target" value={target} onChange={(_e, v) => setTarget(v)}>
              <FormSelectOption value="" label="Choose a template" isPlaceholder />
              {(others.data?.results ?? [])
                .filter((o) => o.id !== template.id)
                .map((o) => (
                  <FormSelectOption key={o.id} value={String(o.id)} label={o.name} />
                ))}
            </FormSelect>
          </FormGroup>
          <FormGroup fieldId="set-all">
            <Checkbox id="set-all" label="Include all inputs" isChecked={includeAll} onChange={(_e, v) => setIncludeAll(v)} />
          </FormGroup>
          {includeAll ? null : (
            <FormGroup label="Include (comma separated)" fieldId="set-include">
              <TextInput id="set-include" value={include} onChange={(_e, v) => setInclude(v)} />
            </FormGroup>
          )}
          <FormGroup label="Exclude (comma separated)" fieldId="set-exclude">
            <TextInput id="set-exclude" value={exclude} onChange={(_e, v) => setExclude(v)} />
          </FormGroup>
          <Button type="submit" isDisabled={target === ''}>
            Add foreign input set
          </Button>
        </Form>
      )}
    </>
  );
}
