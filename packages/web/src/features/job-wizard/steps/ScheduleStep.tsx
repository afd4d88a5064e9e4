/**
 * @module
 * Wizard step 4 (the manual's "Schedule"): execute now; future (start at / start before);
 * recurring — hourly, daily, weekly, monthly or a cron line (in the server's time zone), repeat
 * N times, ends at, purpose.
 */
import { Alert, Form, FormGroup, FormHelperText, FormSelect, FormSelectOption, HelperText, HelperTextItem, Radio, TextInput } from '@patternfly/react-core';

import type { RecurrenceType } from '../../../api/types.ts';
import type { StepProps } from './step-props.ts';

const PRESETS: Array<[RecurrenceType, string]> = [
  ['hourly', 'Hourly'],
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['monthly', 'Monthly'],
  ['cronline', 'Cron line'],
];

/** A text field with a help line. */
function Field({ id, label, value, onChange, help, type = 'text', isRequired = false }: { id: string; label: string; value: string; onChange: (v: string) => void; help?: string; type?: 'text' | 'number' | 'time' | 'datetime-local'; isRequired?: boolean }) {
  return (
    <FormGroup label={label} fieldId={id} isRequired={isRequired}>
      <TextInput id={id} type={type} value={value} onChange={(_e, v) => onChange(v)} />
      {help ? (
        <FormHelperText>
          <HelperText>
            <HelperTextItem>{help}</HelperTextItem>
          </HelperText>
        </FormHelperText>
      ) : null}
    </FormGroup>
  );
}

/** The schedule form. */
export function ScheduleStep({ state, update }: StepProps) {
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <FormGroup role="radiogroup" label="Schedule" fieldId="schedule">
        <Radio id="schedule-now" name="schedule" label="Execute now" isChecked={state.schedule === 'immediate'} onChange={() => update({ schedule: 'immediate' })} />
        <Radio id="schedule-future" name="schedule" label="Schedule future execution" isChecked={state.schedule === 'future'} onChange={() => update({ schedule: 'future' })} />
        <Radio id="schedule-recurring" name="schedule" label="Set up recurring execution" isChecked={state.schedule === 'recurring'} onChange={() => update({ schedule: 'recurring' })} />
      </FormGroup>
      {state.schedule === 'future' ? (
        <>
          <Field id="start-at" label="Start at" type="datetime-local" value={state.startAt} onChange={(v) => update({ startAt: v })} isRequired />
          <Field id="start-before" label="Start before" type="datetime-local" value={state.startBefore} onChange={(v) => update({ startBefore: v })} />
          <Alert variant="info" isInline isPlain title="Times are in your browser's time zone. A job not started before “Start before” is cancelled." />
        </>
      ) : null}
      {state.schedule === 'recurring' ? (
        <>
          <FormGroup label="Repeats" fieldId="recur-type">
            <FormSelect id="recur-type" value={state.recurType} onChange={(_e, v) => update({ recurType: v as RecurrenceType })} aria-label="Repeats">
              {PRESETS.map(([value, label]) => (
                <FormSelectOption key={value} value={value} label={label} />
              ))}
            </FormSelect>
          </FormGroup>
          {state.recurType === 'cronline' ? (
            <Field id="cron-line" label="Cron line" value={state.cronLine} onChange={(v) => update({ cronLine: v })} isRequired help="minute hour day-of-month month day-of-week, e.g. 0 4 * * 0#2 (04:00 on the second Sunday) or */5 6-17 * * * (every 5 minutes from 6:00 to 17:55)" />
          ) : null}
          {state.recurType === 'hourly' ? <Field id="recur-minute" label="At minute" type="number" value={state.recurMinute} onChange={(v) => update({ recurMinute: v })} /> : null}
          {state.recurType !== 'cronline' && state.recurType !== 'hourly' ? <Field id="recur-time" label="At time" type="time" value={state.recurTime} onChange={(v) => update({ recurTime: v })} /> : null}
          {state.recurType === 'weekly' ? <Field id="recur-days" label="Days of the week" value={state.recurDays} onChange={(v) => update({ recurDays: v })} help="0–6, Sunday 0, comma separated" isRequired /> : null}
          {state.recurType === 'monthly' ? <Field id="recur-days" label="Days of the month" value={state.recurDays} onChange={(v) => update({ recurDays: v })} help="1–31, comma separated" isRequired /> : null}
          <Field id="max-iteration" label="Repeat N times" type="number" value={state.maxIteration} onChange={(v) => update({ maxIteration: v })} help="Empty: no limit" />
          <Field id="end-time" label="Ends at" type="datetime-local" value={state.endTime} onChange={(v) => update({ endTime: v })} help="Whichever comes first ends it" />
          <Field id="purpose" label="Purpose" value={state.purpose} onChange={(v) => update({ purpose: v })} help="Unique among active recurring jobs" />
          <Alert variant="info" isInline isPlain title="The schedule is read in the server's time zone; each run is its own job, and a dynamic query is resolved again each time." />
        </>
      ) : null}
    </Form>
  );
}
