/**
 * @module
 * The job wizard (`/job_invocations/new`) in the manual's order: category and template, inputs,
 * targets, schedule, advanced, review; `?search=` pre-fills the targets.
 */
import { PageSection, Wizard, WizardStep } from '@patternfly/react-core';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';

import { useGet } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import type { JobInvocation, JobTemplate } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { AdvancedStep } from './steps/AdvancedStep.tsx';
import { CategoryTemplateStep } from './steps/CategoryTemplateStep.tsx';
import { InputsStep } from './steps/InputsStep.tsx';
import { ReviewStep } from './steps/ReviewStep.tsx';
import { ScheduleStep } from './steps/ScheduleStep.tsx';
import { TargetsStep } from './steps/TargetsStep.tsx';
import { initialState, missingInputs, targetQuery, toRequest } from './wizard-state.ts';
import type { WizardState } from './wizard-state.ts';

/** The wizard page. */
export function JobWizard() {
  const [params] = useSearchParams();
  const api = useApi();
  const navigate = useNavigate();
  const [state, setState] = useState<WizardState>(() => initialState(params.get('search') ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (changes: Partial<WizardState>) => setState((s) => ({ ...s, ...changes }));
  const t = useGet<JobTemplate>(state.templateId === null ? null : `/api/job_templates/${state.templateId}`);
  const template = t.data?.id === state.templateId ? t.data : undefined;
  const props = { state, update, template };
  const missing = template ? missingInputs(template.template_inputs ?? [], state.inputs) : [];
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const job = await api.post<JobInvocation>('/api/job_invocations', { job_invocation: toRequest(state) });
      await navigate(`/job_invocations/${job.id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading title="Run job" />
      <PageSection>
        <Wizard onClose={() => void navigate('/job_invocations')} isVisitRequired={false} height="auto">
          <WizardStep name="Category and template" id="wizard-step-template" footer={{ isNextDisabled: !template }}>
            <CategoryTemplateStep {...props} />
          </WizardStep>
          <WizardStep name="Inputs" id="wizard-step-inputs" isDisabled={!template} footer={{ isNextDisabled: missing.length > 0 }}>
            <InputsStep {...props} />
          </WizardStep>
          <WizardStep name="Targets" id="wizard-step-targets" isDisabled={!template} footer={{ isNextDisabled: targetQuery(state) === '' }}>
            <TargetsStep {...props} />
          </WizardStep>
          <WizardStep name="Schedule" id="wizard-step-schedule" isDisabled={!template} footer={{ isNextDisabled: (state.schedule === 'future' && !state.startAt) || (state.schedule === 'recurring' && state.recurType === 'cronline' && !state.cronLine.trim()) }}>
            <ScheduleStep {...props} />
          </WizardStep>
          <WizardStep name="Advanced" id="wizard-step-advanced" isDisabled={!template}>
            <AdvancedStep {...props} />
          </WizardStep>
          <WizardStep
            name="Review"
            id="wizard-step-review"
            isDisabled={!template || missing.length > 0 || targetQuery(state) === ''}
            footer={{ nextButtonText: 'Run', onNext: () => void run(), isNextDisabled: busy, nextButtonProps: { isLoading: busy } }}
          >
            <ReviewStep {...props} error={error} />
          </WizardStep>
        </Wizard>
      </PageSection>
    </>
  );
}
