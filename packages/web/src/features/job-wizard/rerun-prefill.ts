/**
 * @module
 * Foreman's "Rerun": the wizard opened from a job (`/job_invocations/new?rerun=ID`, with
 * `&failed_only=1` for its failed hosts), filled with what the job ran — template, inputs,
 * targeting, effective and SSH user, concurrency, time span, timeout, description format — so
 * the user can change it before running. Hidden input values come back masked: they are left
 * empty, to be typed again.
 */
import type { JobInvocation, TemplateInput } from '../../api/types.ts';
import type { FailedTargets } from './failed-hosts.ts';
import { hostsQuery } from './targets.ts';
import type { WizardState } from './wizard-state.ts';

/** The masked value of a hidden input in API answers. */
const MASK = '*****';

/** The targets step of a rerun: the job's own targeting, or (failed only) its failed hosts, statically. */
function targetsOf(job: JobInvocation, failed: FailedTargets | undefined): Partial<WizardState> {
  if (failed === undefined) {
    return { targetMode: 'search', search: job.targeting.search_query ?? '', targetingType: job.targeting.targeting_type === 'dynamic_query' ? 'dynamic_query' : 'static_query' };
  }
  if ('query' in failed) return { targetMode: 'search', search: failed.query, targetingType: 'static_query' };
  return { targetMode: 'hosts', hosts: failed.names.join(', '), search: failed.names.length > 0 ? hostsQuery(failed.names) : '', targetingType: 'static_query' };
}

/**
 * The wizard fields a rerun of `job` starts from.
 * @param failed - with "failed only": the hosts that failed (by name, or a host search when many)
 */
export function prefillFromJob(job: JobInvocation, templateInputs: readonly TemplateInput[], failed?: FailedTargets): Partial<WizardState> {
  const hidden = new Set(templateInputs.filter((i) => i.hidden_value === true).map((i) => i.name));
  const inputs = Object.fromEntries(Object.entries(job.inputs ?? {}).filter(([name, value]) => !hidden.has(name) && value !== MASK));
  const text = (v: number | string | null | undefined): string => (v === null || v === undefined ? '' : String(v));
  return {
    category: job.job_category ?? '',
    templateId: job.template_id ?? null,
    inputs,
    ...targetsOf(job, failed),
    effectiveUser: job.effective_user ?? '',
    sshUser: job.ssh_user ?? '',
    concurrency: text(job.concurrency_level),
    timeSpan: text(job.time_span),
    timeout: text(job.execution_timeout_interval),
    descriptionFormat: job.description_format ?? '',
    randomizedOrdering: job.randomized_ordering === true,
  };
}

/** Names of inputs a rerun leaves for the user to type again (hidden values). */
export function inputsToRetype(job: JobInvocation, templateInputs: readonly TemplateInput[]): string[] {
  const hidden = new Set(templateInputs.filter((i) => i.hidden_value === true).map((i) => i.name));
  return Object.entries(job.inputs ?? {})
    .filter(([name, value]) => hidden.has(name) || value === MASK)
    .map(([name]) => name);
}
