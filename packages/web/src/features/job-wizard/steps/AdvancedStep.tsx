/**
 * @module
 * Wizard step 5: effective user, SSH user, concurrency level, time span, timeout, description
 * template, randomized ordering.
 */
import { Checkbox, Form, FormGroup, FormHelperText, HelperText, HelperTextItem, TextInput } from '@patternfly/react-core';

import type { StepProps } from './step-props.ts';

type TextKey = 'effectiveUser' | 'sshUser' | 'concurrency' | 'timeSpan' | 'timeout' | 'descriptionFormat';

const FIELDS: Array<[TextKey, string, string, string]> = [
  ['effectiveUser', 'Effective user', 'text', 'The user the script runs as (sudo); empty: the template or setting default.'],
  ['sshUser', 'SSH user', 'text', 'The login on the hosts; empty: the default.'],
  ['concurrency', 'Concurrency level', 'number', 'At most this many hosts at once.'],
  ['timeSpan', 'Time span (seconds)', 'number', 'Spread the host starts evenly over this many seconds; hosts not started in it are cancelled.'],
  ['timeout', 'Timeout to kill (seconds)', 'number', 'The script is stopped after this time.'],
  ['descriptionFormat', 'Description template', 'text', 'E.g. "Run %{command}"; %{template_name} and %{job_category} work too.'],
];

/** The advanced fields. */
export function AdvancedStep({ state, update, template }: StepProps) {
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      {FIELDS.map(([key, label, type, help]) => (
        <FormGroup key={key} label={label} fieldId={`adv-${key}`}>
          <TextInput
            id={`adv-${key}`}
            type={type === 'number' ? 'number' : 'text'}
            min={type === 'number' ? 1 : undefined}
            value={state[key]}
            placeholder={key === 'descriptionFormat' ? (template?.description_format ?? '') : undefined}
            isDisabled={key === 'effectiveUser' && template?.effective_user?.overridable === false}
            onChange={(_e, v) => update({ [key]: v })}
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{help}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
      ))}
      <FormGroup fieldId="adv-randomizedOrdering">
        <Checkbox
          id="adv-randomizedOrdering"
          label="Randomized ordering"
          description="Run the hosts in random order instead of by name."
          isChecked={state.randomizedOrdering}
          onChange={(_e, checked) => update({ randomizedOrdering: checked })}
        />
      </FormGroup>
    </Form>
  );
}
