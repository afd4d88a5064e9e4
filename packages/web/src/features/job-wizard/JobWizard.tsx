/**
 * @module
 * The job wizard (`/job_invocations/new`) in the manual's order: category and template, inputs,
 * targets, schedule, advanced, review; `?search=` pre-fills the targets, `?rerun=ID` (and
 * `&failed_only=1`) the whole job (Foreman's "Rerun"). Inputs borrowed through foreign input
 * sets are asked for with the template's own.
 */
import { Alert, PageSection, Wizard, WizardStep } from '@patternfly/react-core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
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
import { failedTargets } from './failed-hosts.ts';
import { useOfferedInputs } from './use-offered-inputs.ts';
import { inputsToRetype, prefillFromJob } from './rerun-prefill.ts';
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
  const rerun = useRerunPrefill(params.get('rerun'), params.get('failed_only') === '1', update);
  const t = useGet<JobTemplate>(state.templateId === null ? null : `/api/job_templates/${state.templateId}`);
  const offered = useOfferedInputs(t.data?.id === state.templateId ? t.data : undefined);
  const template = offered.template;
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
      <PageHeading title={rerun.jobId === null ? 'Run job' : `Rerun job ${rerun.jobId}`}>
        {rerun.error ? <Alert variant="danger" isInline title={rerun.error} /> : null}
        {offered.error ? <Alert variant="danger" isInline title={`Inputs of the foreign input sets: ${offered.error}`} /> : null}
        {rerun.retype.length > 0 ? <Alert variant="info" isInline title={`Hidden inputs are not copied; type them again: ${rerun.retype.join(', ')}`} /> : null}
      </PageHeading>
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

/** Fills the wizard once from the job of `?rerun=` (its failed hosts only with `failedOnly`). */
function useRerunPrefill(rerunParam: string | null, failedOnly: boolean, update: (changes: Partial<WizardState>) => void) {
  const api = useApi();
  const jobId = rerunParam !== null && /^\d+$/.test(rerunParam) ? Number(rerunParam) : null;
  const job = useGet<JobInvocation>(jobId === null ? null : `/api/job_invocations/${jobId}`, { include_hosts: 'false' });
  const template = useGet<JobTemplate>(job.data ? `/api/job_templates/${job.data.template_id ?? 0}` : null);
  const failed = useQuery({
    queryKey: ['rerun-failed-hosts', jobId],
    queryFn: () => failedTargets((path, query) => api.get(path, query), jobId ?? 0),
    enabled: jobId !== null && failedOnly,
  });
  const [applied, setApplied] = useState(false);
  const ready = job.data !== undefined && template.data !== undefined && (!failedOnly || failed.data !== undefined);
  useEffect(() => {
    if (applied || !ready || !job.data || !template.data) return;
    setApplied(true);
    update(prefillFromJob(job.data, template.data.template_inputs ?? [], failedOnly ? failed.data : undefined));
  }, [applied, ready, job.data, template.data, failed.data, failedOnly, update]);
  const error = job.error?.message ?? template.error?.message ?? failed.error?.message ?? null;
  return { jobId, error, retype: applied && job.data && template.data ? inputsToRetype(job.data, template.data.template_inputs ?? []) : [] };
}
