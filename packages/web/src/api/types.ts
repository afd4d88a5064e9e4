/**
 * @module
 * Shapes of the public API's answers (docs/openapi.yaml), as far as the UI reads them.
 */

/** The list envelope of every index route. */
export interface ListPage<T> {
  total: number;
  subtotal: number;
  page: number;
  per_page: number;
  search: string | null;
  results: T[];
}

/** A host (`GET /api/hosts`). */
export interface Host {
  id: number;
  name: string;
  ip?: string | null;
  hostgroup_name?: string | null;
  hostgroup_title?: string | null;
  operatingsystem_name?: string | null;
  subnet_name?: string | null;
  comment?: string | null;
  execution_status?: number;
  execution_status_label?: string;
}

/** A host with its parameters (`GET /api/hosts/:id`). */
export interface HostDetail extends Host {
  /** Effective parameters; `associated_type` is the level that set each (global … host). */
  all_parameters?: Array<{ name: string; value: string; associated_type?: string }>;
}

/** Per-host status of a job. */
export type JobHostStatus = 'N/A' | 'planned' | 'running' | 'success' | 'error' | 'cancelled' | 'pending';

/** A host of a job (`GET /api/job_invocations/:id/hosts`). */
export interface JobHost {
  id: number;
  name: string;
  job_status: JobHostStatus;
  exit_status?: string | null;
  message?: string | null;
}

/** Job status words. */
export type JobStatusLabel = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A job invocation. */
export interface JobInvocation {
  id: number;
  description?: string;
  /** The description format the job was given (null: the template's). */
  description_format?: string | null;
  job_category?: string;
  status: number;
  status_label: JobStatusLabel;
  start_at?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  template_id?: number | null;
  template_name?: string | null;
  effective_user?: string | null;
  ssh_user?: string | null;
  concurrency_level?: number | null;
  time_span?: number | null;
  execution_timeout_interval?: number | null;
  succeeded?: number | string;
  failed?: number | string;
  pending?: number | string;
  cancelled?: number | string;
  total?: number | string;
  total_hosts?: number;
  mode?: 'immediate' | 'future' | 'recurring';
  recurrence?: { id: number; cron_line: string; state: string; purpose: string | null; iteration: number; max_iteration: number | null };
  user?: string | null;
  /** Hosts run in random order. */
  randomized_ordering?: boolean;
  inputs?: Record<string, string>;
  targeting: { search_query?: string; targeting_type?: string; hosts?: JobHost[] };
  task: { id?: string; state?: string; cancellable?: boolean };
  preview_script?: string | null;
}

/** A template input. */
export interface TemplateInput {
  id: number;
  name: string;
  description?: string | null;
  input_type: string;
  required?: boolean;
  advanced?: boolean;
  options?: string | null;
  default?: string | null;
  hidden_value?: boolean;
  value_type?: string;
  fact_name?: string | null;
  variable_name?: string | null;
  puppet_class_name?: string | null;
  puppet_parameter_name?: string | null;
}

/** A foreign input set: inputs of another template offered by this one. */
export interface ForeignInputSet {
  id: number;
  target_template_id: number;
  target_template_name?: string | null;
  include_all: boolean;
  include?: string | null;
  exclude?: string | null;
  description?: string | null;
}

/** A revision of a job template (`GET /api/job_templates/:id/revisions`). */
export interface TemplateRevision {
  id: number;
  version: number;
  template: string;
  template_name: string;
  action: string;
  user?: string | null;
  audit_id?: number | null;
  created_at: string;
}

/** A job template. */
export interface JobTemplate {
  id: number;
  name: string;
  job_category: string;
  description?: string | null;
  description_format?: string | null;
  provider_type: string;
  template: string;
  snippet?: boolean;
  locked?: boolean;
  execution_timeout_interval?: number | null;
  effective_user?: { value?: string | null; current_user?: boolean; overridable?: boolean };
  template_inputs?: TemplateInput[];
  foreign_input_sets?: ForeignInputSet[];
}

/** A setting. */
export interface Setting {
  id?: string;
  name: string;
  full_name?: string;
  description?: string;
  value: unknown;
  default?: unknown;
  category: string;
  settings_type?: 'boolean' | 'integer' | 'string';
  readonly?: boolean;
  encrypted?: boolean;
}

/** A smart proxy. */
export interface SmartProxy {
  id: number;
  name: string;
  url: string;
  features: Array<{ id?: number; name?: string }>;
  remote_execution_pubkey?: string | null;
  /** SHA-256 fingerprint of the pinned HTTPS certificate; null over plain HTTP. */
  tls_fingerprint?: string | null;
  /** Live status (in lists, probed at most every 10 s). */
  status?: {
    reachable: boolean;
    latency_ms: number | null;
    version: string | null;
    running: number | null;
    queued: number | null;
    error: string | null;
  } | null;
}

/** A search completion. */
export interface Suggestion {
  completed: string;
  part: string;
  label: string;
  category: string;
  description?: string;
}

/** One line set of a host's output. */
export interface OutputLine {
  output_type: 'stdout' | 'stderr' | 'debug';
  output: string;
  timestamp: number;
}

/** One host of `GET /api/job_invocations/:id/outputs`. */
export interface HostOutputs {
  host_id: number;
  complete: boolean;
  refresh: boolean;
  output: OutputLine[] | string;
}

/** Job progress (SSE `progress` and `done`). */
export interface JobProgress {
  id: number;
  status: number;
  status_label: JobStatusLabel;
  succeeded: number;
  failed: number;
  cancelled: number;
  pending: number;
  total: number;
}

/** SSE `output` data. */
export interface OutputEvent {
  host_id: number;
  host_name: string;
  output_type: OutputLine['output_type'];
  output: string;
  timestamp: number;
}

/** SSE `host` data. */
export interface HostEvent {
  host_id: number;
  host_name: string;
  job_status: JobHostStatus;
  exit_status: string | null;
}

/** What the job wizard posts. */
export interface JobInvocationInput {
  job_template_id: number;
  targeting_type: 'static_query' | 'dynamic_query';
  search_query: string;
  inputs: Record<string, string>;
  effective_user?: string;
  ssh_user?: string;
  concurrency_control?: { concurrency_level?: number; time_span?: number };
  execution_timeout_interval?: number;
  description_format?: string;
  randomized_ordering?: boolean;
  scheduling?: { start_at?: string; start_before?: string };
  recurrence?: { input_type: RecurrenceType; cron_line?: string; minutes?: string; time?: string; days_of_week?: string[]; days?: string; max_iteration?: number; end_time?: string; purpose?: string };
}

/** How a recurring job's schedule is given (Foreman's form presets). */
export type RecurrenceType = 'cronline' | 'hourly' | 'daily' | 'weekly' | 'monthly';

/** An audit (`GET /api/audits`). */
export interface Audit {
  id: number;
  auditable_type: string;
  auditable_id: number | string;
  auditable_name: string | null;
  action: string;
  /** `{field: [old, new]}` for an update, `{field: value}` otherwise; secrets are `*****`. */
  audited_changes: Record<string, unknown>;
  user_name: string | null;
  request_uuid: string | null;
  created_at: string;
}

/** A recurring logic (`GET /api/recurring_logics`). */
export interface RecurringLogic {
  id: number;
  cron_line: string;
  end_time: string | null;
  iteration: number;
  max_iteration: number | null;
  state: string;
  purpose: string | null;
  next_occurrence: string | null;
  time_zone: string;
}
