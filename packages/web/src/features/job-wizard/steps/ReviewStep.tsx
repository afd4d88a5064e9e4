/**
 * @module
 * Wizard step 6: review what will run.
 */
import { Alert, DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from '@patternfly/react-core';

import { TargetPreview } from './TargetsStep.tsx';
import { targetQuery } from '../wizard-state.ts';
import type { WizardState } from '../wizard-state.ts';

/** The schedule in words. */
function scheduleText(state: WizardState): string {
  if (state.schedule === 'future') return `Start at ${state.startAt}${state.startBefore ? `, before ${state.startBefore}` : ''}`;
  if (state.schedule !== 'recurring') return 'Execute now';
  const what = state.recurType === 'cronline' ? `cron ${state.cronLine}` : state.recurType === 'hourly' ? `hourly at minute ${state.recurMinute}` : `${state.recurType} at ${state.recurTime}${state.recurDays ? ` on ${state.recurDays}` : ''}`;
  return `Recurring: ${what}${state.maxIteration ? `, ${state.maxIteration} times` : ''}${state.endTime ? `, until ${state.endTime}` : ''}${state.purpose ? ` (${state.purpose})` : ''}`;
}
import type { StepProps } from './step-props.ts';

/** The review; `error` is the server's answer to a failed run. */
export function ReviewStep({ state, template, error }: StepProps & { error: string | null }) {
  const hidden = new Set((template?.template_inputs ?? []).filter((i) => i.hidden_value).map((i) => i.name));
  const rows: Array<[string, React.ReactNode]> = [
    ['Category', state.category],
    ['Template', template?.name ?? ''],
    ...Object.entries(state.inputs)
      .filter(([, v]) => v !== '')
      .map(([k, v]): [string, React.ReactNode] => [`Input ${k}`, hidden.has(k) ? '*****' : <code key={k}>{v}</code>]),
    ['Search query', <code key="q">{targetQuery(state)}</code>],
    ['Query type', state.targetingType === 'dynamic_query' ? 'Dynamic' : 'Static'],
    ['Schedule', scheduleText(state)],
  ];
  if (state.effectiveUser) rows.push(['Effective user', state.effectiveUser]);
  if (state.sshUser) rows.push(['SSH user', state.sshUser]);
  if (state.concurrency) rows.push(['Concurrency level', state.concurrency]);
  if (state.timeout) rows.push(['Timeout', `${state.timeout} s`]);
  if (state.descriptionFormat) rows.push(['Description template', state.descriptionFormat]);
  if (state.randomizedOrdering) rows.push(['Ordering', 'randomized']);
  return (
    <>
      {error ? <Alert variant="danger" isInline title={error} /> : null}
      <DescriptionList isHorizontal aria-label="Review">
        {rows.map(([k, v]) => (
          <DescriptionListGroup key={k}>
            <DescriptionListTerm>{k}</DescriptionListTerm>
            <DescriptionListDescription>{v}</DescriptionListDescription>
          </DescriptionListGroup>
        ))}
      </DescriptionList>
      <TargetPreview query={targetQuery(state)} />
    </>
  );
}
