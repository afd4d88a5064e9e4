/**
 * @module
 * The job wizard's state and how it becomes the `POST /api/job_invocations` body.
 */
import type { JobInvocationInput, TemplateInput } from '../../api/types.ts';
import { hostgroupsQuery, hostsQuery } from './targets.ts';

/** How targets are picked. */
export type TargetMode = 'hosts' | 'hostgroups' | 'search';

/** Everything the wizard collects. */
export interface WizardState {
  category: string;
  templateId: number | null;
  inputs: Record<string, string>;
  targetMode: TargetMode;
  hosts: string;
  hostgroups: string;
  search: string;
  targetingType: 'static_query' | 'dynamic_query';
  schedule: 'immediate' | 'future';
  startAt: string;
  startBefore: string;
  effectiveUser: string;
  sshUser: string;
  concurrency: string;
  timeout: string;
  descriptionFormat: string;
}

/** A fresh state; `search` pre-fills the targets (from the hosts page). */
export function initialState(search = ''): WizardState {
  return {
    category: '',
    templateId: null,
    inputs: {},
    targetMode: 'search',
    hosts: '',
    hostgroups: '',
    search,
    targetingType: 'static_query',
    schedule: 'immediate',
    startAt: '',
    startBefore: '',
    effectiveUser: '',
    sshUser: '',
    concurrency: '',
    timeout: '',
    descriptionFormat: '',
  };
}

function list(v: string): string[] {
  return v
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The host search the targets step amounts to. */
export function targetQuery(s: WizardState): string {
  if (s.targetMode === 'hosts') return list(s.hosts).length ? hostsQuery(list(s.hosts)) : '';
  if (s.targetMode === 'hostgroups') return list(s.hostgroups).length ? hostgroupsQuery(list(s.hostgroups)) : '';
  return s.search.trim();
}

/** User inputs: required ones first, then the others; advanced ones last. */
export function orderInputs(inputs: readonly TemplateInput[]): { basic: TemplateInput[]; advanced: TemplateInput[] } {
  const user = inputs.filter((i) => i.input_type === 'user');
  const byRequired = (a: TemplateInput, b: TemplateInput) => Number(b.required ?? false) - Number(a.required ?? false);
  return { basic: user.filter((i) => !i.advanced).sort(byRequired), advanced: user.filter((i) => i.advanced).sort(byRequired) };
}

/** Names of required inputs still empty. */
export function missingInputs(inputs: readonly TemplateInput[], values: Record<string, string>): string[] {
  return inputs.filter((i) => i.input_type === 'user' && i.required && !(values[i.name] ?? i.default ?? '').trim()).map((i) => i.name);
}

/** `datetime-local` value (local time) → ISO-8601 UTC. */
function iso(local: string): string {
  return new Date(local).toISOString();
}

/** The request body of the run. */
export function toRequest(s: WizardState): JobInvocationInput {
  const body: JobInvocationInput = {
    job_template_id: s.templateId ?? 0,
    targeting_type: s.targetingType,
    search_query: targetQuery(s),
    inputs: Object.fromEntries(Object.entries(s.inputs).filter(([, v]) => v !== '')),
  };
  if (s.effectiveUser.trim()) body.effective_user = s.effectiveUser.trim();
  if (s.sshUser.trim()) body.ssh_user = s.sshUser.trim();
  if (s.concurrency.trim()) body.concurrency_level = Number(s.concurrency);
  if (s.timeout.trim()) body.execution_timeout_interval = Number(s.timeout);
  if (s.descriptionFormat.trim()) body.description_format = s.descriptionFormat;
  if (s.schedule === 'future' && s.startAt) {
    body.scheduling = { start_at: iso(s.startAt) };
    if (s.startBefore) body.scheduling.start_before = iso(s.startBefore);
  }
  return body;
}
