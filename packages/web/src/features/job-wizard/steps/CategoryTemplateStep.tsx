/**
 * @module
 * Wizard step 1: job category, then a template of it.
 */
import { Form, FormGroup, FormSelect, FormSelectOption } from '@patternfly/react-core';
import { useMemo } from 'react';

import { useList } from '../../../api/hooks.ts';
import type { JobTemplate } from '../../../api/types.ts';
import type { StepProps } from './step-props.ts';

/** Category and template selects. */
export function CategoryTemplateStep({ state, update }: StepProps) {
  const q = useList<JobTemplate>('/api/job_templates', { per_page: 'all' });
  const templates = useMemo(() => (q.data?.results ?? []).filter((t) => !t.snippet), [q.data]);
  const categories = useMemo(() => [...new Set(templates.map((t) => t.job_category))].sort(), [templates]);
  const inCategory = templates.filter((t) => t.job_category === state.category).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      {q.error ? <p role="alert">{q.error.message}</p> : null}
      <FormGroup label="Job category" fieldId="wizard-category" isRequired>
        <FormSelect id="wizard-category" value={state.category} onChange={(_e, v) => update({ category: v, templateId: null, inputs: {} })} aria-label="Job category">
          <FormSelectOption value="" label="Select a category" isDisabled />
          {categories.map((c) => (
            <FormSelectOption key={c} value={c} label={c} />
          ))}
        </FormSelect>
      </FormGroup>
      <FormGroup label="Job template" fieldId="wizard-template" isRequired>
        <FormSelect
          id="wizard-template"
          value={state.templateId === null ? '' : String(state.templateId)}
          onChange={(_e, v) => update({ templateId: v ? Number(v) : null, inputs: {} })}
          aria-label="Job template"
          isDisabled={!state.category}
        >
          <FormSelectOption value="" label="Select a template" isDisabled />
          {inCategory.map((t) => (
            <FormSelectOption key={t.id} value={String(t.id)} label={t.name} />
          ))}
        </FormSelect>
      </FormGroup>
    </Form>
  );
}
