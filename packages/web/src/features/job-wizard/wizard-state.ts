/**
 * @module
 * The job wizard's state and how it becomes the `POST /api/job_invocations` body.
 */
import type { JobInvocationInput, RecurrenceType, TemplateInput } from '../../api/types.ts';
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
  schedule: 'immediate' | 'future' | 'recurring';
  startAt: string;
  startBefore: string;
  /** Recurring: how the schedule is given, and its fields. */
  recurType: RecurrenceType;
  cronLine: string;
  /** Hourly: the minute. */
  recurMinute: string;
  /** Daily, weekly, monthly: HH:MM. */
  recurTime: string;
  /** Weekly: days 0–6 (Sunday 0); monthly: days of the month, e.g. "1,15". */
  recurDays: string;
  maxIteration: string;
  endTime: string;
  purpose: string;
  timeSpan: string;
  effectiveUser: string;
  sshUser: string;
  concurrency: string;
  timeout: string;
  descriptionFormat: string;
  /** Run the hosts in random order (Foreman's `randomized_ordering`). */
  randomizedOrdering: boolean;
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
    recurType: 'daily',
    cronLine: '',
    recurMinute: '0',
    recurTime: '04:00',
    recurDays: '',
    maxIteration: '',
    endTime: '',
    purpose: '',
    timeSpan: '',
    effectiveUser: '',
    sshUser: '',
    concurrency: '',
    timeout: '',
    descriptionFormat: '',
    randomizedOrdering: false,
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
  if (s.concurrency.trim() || s.timeSpan.trim()) {
    body.concurrency_control = {
      ...(s.concurrency.trim() ? { concurrency_level: Number(s.concurrency) } : {}),
      ...(s.timeSpan.trim() ? { time_span: Number(s.timeSpan) } : {}),
    };
  }
  if (s.timeout.trim()) body.execution_timeout_interval = Number(s.timeout);
  if (s.descriptionFormat.trim()) body.description_format = s.descriptionFormat;
  if (s.randomizedOrdering) body.randomized_ordering = true;
  if (s.schedule === 'future' && s.startAt) {
    body.scheduling = { start_at: iso(s.startAt) };
    if (s.startBefore) body.scheduling.start_before = iso(s.startBefore);
  }
  if (s.schedule === 'recurring') body.recurrence = recurrenceOf(s);
  return body;
}

/** The `recurrence` of a recurring run (Foreman's presets; the server turns them into a cron line). */
function recurrenceOf(s: WizardState): NonNullable<JobInvocationInput['recurrence']> {
  const r: NonNullable<JobInvocationInput['recurrence']> = { input_type: s.recurType };
  if (s.recurType === 'cronline') r.cron_line = s.cronLine.trim();
  if (s.recurType === 'hourly') r.minutes = s.recurMinute.trim();
  if (s.recurType !== 'cronline' && s.recurType !== 'hourly') r.time = s.recurTime;
  if (s.recurType === 'weekly') r.days_of_week = list(s.recurDays);
  if (s.recurType === 'monthly') r.days = list(s.recurDays).join(',');
  if (s.maxIteration.trim()) r.max_iteration = Number(s.maxIteration);
  if (s.endTime) r.end_time = iso(s.endTime);
  if (s.purpose.trim()) r.purpose = s.purpose.trim();
  return r;
}
