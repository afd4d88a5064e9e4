/**
 * @module
 * Wizard step 4: immediate, future (start at / start before); recurring shown disabled.
 */
import { Alert, Form, FormGroup, Radio, TextInput } from '@patternfly/react-core';

import type { StepProps } from './step-props.ts';

/** The schedule form. */
export function ScheduleStep({ state, update }: StepProps) {
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <FormGroup role="radiogroup" label="Schedule" fieldId="schedule">
        <Radio id="schedule-now" name="schedule" label="Execute now" isChecked={state.schedule === 'immediate'} onChange={() => update({ schedule: 'immediate' })} />
        <Radio id="schedule-future" name="schedule" label="Schedule future execution" isChecked={state.schedule === 'future'} onChange={() => update({ schedule: 'future' })} />
        <Radio id="schedule-recurring" name="schedule" label="Set up recurring execution" isDisabled isChecked={false} description="Not supported by the server yet." />
      </FormGroup>
      {state.schedule === 'future' ? (
        <>
          <FormGroup label="Start at" fieldId="start-at" isRequired>
            <TextInput id="start-at" type="datetime-local" value={state.startAt} onChange={(_e, v) => update({ startAt: v })} />
          </FormGroup>
          <FormGroup label="Start before" fieldId="start-before">
            <TextInput id="start-before" type="datetime-local" value={state.startBefore} onChange={(_e, v) => update({ startBefore: v })} />
          </FormGroup>
          <Alert variant="info" isInline isPlain title="Times are in your browser's time zone. A job not started before “Start before” is cancelled." />
        </>
      ) : null}
    </Form>
  );
}
