/**
 * @module
 * Kysely table interfaces (the persistence shapes). Domain and wire shapes live elsewhere
 * (CONVENTIONS C5). Portable choices, the same on SQLite and PostgreSQL (ADR 0002):
 * timestamps are ISO-8601 UTC strings, booleans are integers 0/1, JSON is text.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** ISO-8601 UTC timestamp text, e.g. `2026-11-25T16:00:00.000Z`. */
export type Timestamp = string;
/** 0 or 1. */
export type Flag = number;

export interface UserTable {
  id: Generated<number>;
  login: string;
  password_hash: string;
  admin: Flag;
  created_at: Timestamp;
  /** Columns of migration 0012. */
  firstname: string | null;
  lastname: string | null;
  mail: string | null;
  /** Where the password is checked: `internal` (the only source so far). */
  auth_source: Generated<string>;
  locale: string | null;
  timezone: string | null;
  /** Organization/location ids (no foreign key until taxonomies exist). */
  default_organization_id: number | null;
  default_location_id: number | null;
  updated_at: Timestamp | null;
  last_login_at: Timestamp | null;
}

/** A personal access token: only the SHA-256 of the token is stored (migration 0012). */
export interface PersonalAccessTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** Hex SHA-256 of the token. */
  token_hash: string;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  created_at: Timestamp;
}

/** A browser session: only the SHA-256 of the session id is stored (migration 0012). */
export interface UserSessionTable {
  id: Generated<number>;
  user_id: number;
  /** Hex SHA-256 of the session id the cookie carries. */
  session_hash: string;
  /** Token the client must echo in `X-CSRF-Token` on state-changing requests. */
  csrf_token: string;
  created_at: Timestamp;
  /** Last request seen (updated at most once a minute); idle expiry counts from it. */
  last_seen_at: Timestamp;
  /** Absolute expiry. */
  expires_at: Timestamp;
}

/** Key/value settings; `value` is JSON text. Secret settings are never served by the API. */
export interface SettingTable {
  name: string;
  value: string;
}

export interface HostgroupTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  /** Full path, `parent/child`. */
  title: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OperatingsystemTable {
  id: Generated<number>;
  name: string;
  major: string;
  minor: string;
  family: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SubnetTable {
  id: Generated<number>;
  name: string;
  network: string;
  mask: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SubnetProxyTable {
  subnet_id: number;
  smart_proxy_id: number;
}

export interface SmartProxyTable {
  id: Generated<number>;
  name: string;
  url: string;
  /** JSON array of feature names reported by the proxy. */
  features: string;
  pubkey: string | null;
  /** Key id of the proxy's credential (null: registered before 0009, unusable until re-registered). */
  credential_key_id: string | null;
  /** The credential's secret, sealed with the server's SecretBox. */
  credential: string | null;
  /** PEM certificate pinned at registration (HTTPS URL; migration 0040), else null. */
  tls_certificate: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A credential issued for a proxy name and not yet proven by a registration (migration 0009). */
export interface ProxyCredentialTable {
  id: Generated<number>;
  name: string;
  key_id: string;
  /** Sealed secret. */
  credential: string;
  created_at: Timestamp;
}

export interface HostTable {
  id: Generated<number>;
  name: string;
  ip: string | null;
  ip6: string | null;
  hostgroup_id: number | null;
  subnet_id: number | null;
  operatingsystem_id: number | null;
  domain_name: string | null;
  comment: string | null;
  /** 0 ok, 1 error (from the last finished task). */
  execution_status: Generated<number>;
  /** Its organization (migration 0041; null: in all of them). */
  organization_id: number | null;
  /** Its location (migration 0041; null: in all of them). */
  location_id: number | null;
  /** Its DNS domain (migration 0042); `domain_name` holds the domain's name then. */
  domain_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** DNS domains (migration 0042). */
export interface DomainTable {
  id: Generated<number>;
  name: string;
  fullname: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Organizations and locations (migration 0041, ADR 0023). */
export interface TaxonomyTable {
  id: Generated<number>;
  type: 'Organization' | 'Location';
  name: string;
  /** The path of names from the root, `/`-separated. */
  title: string;
  parent_id: number | null;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A record put in a taxonomy: `taxable_type` Hostgroup, Subnet, SmartProxy, JobTemplate or User. */
export interface TaxableTaxonomyTable {
  taxonomy_id: number;
  taxable_type: string;
  taxable_id: number;
}

/** Parameter scope: one table for global (`common`), hostgroup and host parameters. */
export type ParameterScope = 'common' | 'organization' | 'location' | 'domain' | 'os' | 'hostgroup' | 'host';

export interface ParameterTable {
  id: Generated<number>;
  scope: ParameterScope;
  /** Owner id (hostgroup or host); 0 for common parameters. */
  scope_id: number;
  name: string;
  value: string;
  parameter_type: string;
  hidden_value: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FactValueTable {
  host_id: number;
  name: string;
  value: string;
  updated_at: Timestamp;
}

export interface JobTemplateTable {
  id: Generated<number>;
  name: string;
  job_category: string;
  description: string | null;
  description_format: string | null;
  provider_type: string;
  template: string;
  snippet: Flag;
  locked: Flag;
  /** Seeded by the product (re-synced while remote_execution_sync_templates is true). */
  default_template: Flag;
  effective_user_value: string | null;
  effective_user_current_user: Flag;
  effective_user_overridable: Flag;
  execution_timeout_interval: number | null;
  /** Template this one was cloned from (migration 0002). */
  cloned_from_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TemplateInputTable {
  id: Generated<number>;
  template_id: number;
  name: string;
  description: string | null;
  input_type: string;
  required: Flag;
  advanced: Flag;
  /** Newline-separated choices, or null. */
  options: string | null;
  default_value: string | null;
  hidden_value: Flag;
  value_type: string;
  fact_name: string | null;
  variable_name: string | null;
  puppet_class_name: string | null;
  puppet_parameter_name: string | null;
}

export interface ForeignInputSetTable {
  id: Generated<number>;
  template_id: number;
  target_template_id: number;
  include_all: Flag;
  include: string | null;
  exclude: string | null;
  /** Migration 0002. */
  description: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One stored version of a template's text (an audit row, migration 0002). */
export interface TemplateRevisionTable {
  id: Generated<number>;
  /** Not a foreign key: revisions outlive deleted templates. */
  template_id: number;
  template_name: string;
  template: string;
  /** `create`, `update`, `import`, `sync`, `clone`. */
  action: string;
  user_login: string | null;
  created_at: Timestamp;
}

/** A remote execution feature: a named action mapped to a job template (migration 0002). */
export interface RemoteExecutionFeatureTable {
  id: Generated<number>;
  label: string;
  name: string;
  description: string | null;
  job_template_id: number | null;
  host_action_button: Flag;
  /** Comma-separated input names the feature's caller provides. */
  provided_inputs: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Job state: `queued` → `running` → `stopped` (result then says how). */
export type JobState = 'queued' | 'running' | 'stopped';

export interface JobInvocationTable {
  id: Generated<number>;
  description: string;
  job_category: string;
  description_format: string | null;
  /** Pattern template. */
  template_id: number;
  targeting_type: string;
  search_query: string | null;
  bookmark_id: number | null;
  randomized_ordering: Flag;
  user_id: number | null;
  /** JSON object name → value (hidden inputs included; masked on output). */
  inputs: string;
  effective_user: string | null;
  /** `ssh[effective_user_password]`, sealed (migration 0018); null when not given. */
  effective_user_password: string | null;
  /** The job's own SSH password (`password`), sealed (migration 0025); null when not given. */
  ssh_password: string | null;
  /** The job's own SSH key passphrase (`key_passphrase`), sealed (migration 0025); null when not given. */
  key_passphrase: string | null;
  ssh_user: string | null;
  concurrency_level: number | null;
  /** Seconds over which the host starts are spread (`concurrency_control[time_span]`, migration 0026); null: no spreading. */
  time_span: number | null;
  /** The recurring logic this job is an occurrence of (migration 0027); null for a one-off job. */
  recurring_logic_id: number | null;
  execution_timeout_interval: number | null;
  state: JobState;
  /** `pending` until stopped, then `success` / `error` / `cancelled`. */
  result: string;
  total_hosts: number;
  start_at: Timestamp;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  created_at: Timestamp;
  /** Generic render for the job page: user inputs evaluated, host inputs as placeholders (migration 0002). */
  preview_script: ColumnType<string | null, string | null | undefined, string | null>;
  /** Feature the job was triggered by, if any (migration 0002). */
  remote_execution_feature_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** `immediate`, or `future` when scheduled with `start_at` (migration 0006). */
  mode: ColumnType<string, string | undefined, string>;
  /** A job not started by this time is not started (Foreman `scheduling.start_before`; migration 0006). */
  start_before: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** JSON array of the inputs hidden when the job was created (migration 0007; null before it). */
  hidden_inputs: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TemplateInvocationTable {
  id: Generated<number>;
  job_invocation_id: number;
  host_id: number;
  template_id: number;
  /** Position of the host in the job's order (name, id; or shuffled). */
  position: number;
  smart_proxy_id: number | null;
  state: ColumnType<string, string | undefined, string>;
  result: ColumnType<string, string | undefined, string>;
  exit_status: string | null;
  message: string | null;
  /** Script rendered for this host (shown on the job page). */
  rendered_script: string | null;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  /** When a cancel was asked for this task (migration 0006): its exit then counts as cancelled. */
  cancel_requested_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** Server instance holding the dispatch claim of a `planned` task not yet accepted by a proxy (migration 0011, ADR 0009). */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** Until when that claim holds; the expiry sweep takes back claims past it (migration 0011). */
  lease_expires_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** Bytes of stdout/stderr stored for the task (migration 0010), for the per-host output cap. */
  output_bytes: ColumnType<number, number | undefined, number>;
}

export interface TemplateInvocationEventTable {
  id: Generated<number>;
  job_invocation_id: number;
  task_id: number;
  seq: number;
  event_type: string;
  data: string;
  /** Seconds since the epoch (float). */
  timestamp: number;
}

/** A registered webhook (migration 0029). */
export interface WebhookTable {
  id: Generated<number>;
  name: string;
  url: string;
  /** JSON array of event names. */
  events: string;
  /** HMAC secret, sealed; null: deliveries are not signed. */
  secret: string | null;
  /** JSON object of custom header name → value. */
  headers: string;
  enabled: Flag;
  created_at: string;
  updated_at: string;
}
export type WebhookRow = Selectable<WebhookTable>;

/** One event to deliver to a webhook (migration 0029). */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_id: number;
  event: string;
  payload: string;
  /** pending, delivered or failed */
  state: string;
  attempts: number;
  next_attempt_at: string;
  last_status_code: number | null;
  last_error: string | null;
  duration_ms: number | null;
  claimed_by: string | null;
  lease_expires_at: string | null;
  created_at: string;
  delivered_at: string | null;
}
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;

/** One step of a host task's timeline (migration 0028). */
export interface TaskTransitionTable {
  id: Generated<number>;
  task_id: number;
  job_invocation_id: number;
  /** claimed, sent, accepted, started, first_output, exit, cancel_requested, requeued, error */
  kind: string;
  /** Who or why: the server, the proxy, the exit status, the error's message. */
  detail: string | null;
  at: string;
}

/** State of a recurring logic. */
export type RecurringLogicState = 'active' | 'disabled' | 'cancelled' | 'finished';

/** A recurring job's schedule (migration 0027). */
export interface RecurringLogicTable {
  id: Generated<number>;
  cron_line: string;
  purpose: string | null;
  max_iteration: number | null;
  end_time: string | null;
  /** Occurrences made so far. */
  iteration: number;
  state: RecurringLogicState;
  /** Start of the pending occurrence; null once the logic stopped. */
  next_run_at: string | null;
  /** Zone the cron line is read in. */
  time_zone: string;
  user_id: number | null;
  created_at: string;
  updated_at: string;
}
export type RecurringLogicRow = Selectable<RecurringLogicTable>;

/** A saved search query (migration 0003). `controller` names the resource it searches (`hosts`, `job_invocations`). */
export interface BookmarkTable {
  id: Generated<number>;
  name: string;
  query: string;
  controller: string;
  /** Visible to every user (1) or only to its owner (0). */
  public: Flag;
  owner_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A role (migration 0013): built-in ones are seeded at start and locked. */
export interface RoleTable {
  id: Generated<number>;
  name: string;
  builtin: Flag;
  description: string | null;
  /** Where a built-in role comes from (`foreman`, `foreman_remote_execution`); null for user-made roles. */
  origin: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A filter of a role (migration 0013): permissions of one resource type, limited by `search` (null = unlimited). */
export interface FilterTable {
  id: Generated<number>;
  role_id: number;
  resource_type: string;
  search: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A permission (catalog name) granted by a filter (migration 0013). */
export interface FilterPermissionTable {
  filter_id: number;
  permission: string;
}

/** A role assigned to a user (migration 0013). */
export interface UserRoleTable {
  user_id: number;
  role_id: number;
}

/** The whole database. */
/** An audit row (ADR 0012): append-only. */
export interface AuditTable {
  id: Generated<number>;
  auditable_type: string;
  /** The record's id as text (settings are named, not numbered). */
  auditable_id: string;
  auditable_name: string | null;
  action: string;
  /** JSON text: `{field: [old, new]}` (update) or `{field: value}` (create, destroy, cancel). */
  audited_changes: string;
  user_id: number | null;
  user_login: string | null;
  remote_address: string | null;
  request_uuid: string | null;
  version: number;
  created_at: Timestamp;
}

export interface Database {
  domains: DomainTable;
  taxonomies: TaxonomyTable;
  taxable_taxonomies: TaxableTaxonomyTable;
  audits: AuditTable;
  users: UserTable;
  personal_access_tokens: PersonalAccessTokenTable;
  user_sessions: UserSessionTable;
  settings: SettingTable;
  hostgroups: HostgroupTable;
  operatingsystems: OperatingsystemTable;
  subnets: SubnetTable;
  subnet_proxies: SubnetProxyTable;
  smart_proxies: SmartProxyTable;
  proxy_credentials: ProxyCredentialTable;
  hosts: HostTable;
  parameters: ParameterTable;
  fact_values: FactValueTable;
  job_templates: JobTemplateTable;
  template_inputs: TemplateInputTable;
  foreign_input_sets: ForeignInputSetTable;
  job_invocations: JobInvocationTable;
  template_invocations: TemplateInvocationTable;
  template_invocation_events: TemplateInvocationEventTable;
  recurring_logics: RecurringLogicTable;
  task_transitions: TaskTransitionTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  template_revisions: TemplateRevisionTable;
  remote_execution_features: RemoteExecutionFeatureTable;
  bookmarks: BookmarkTable;
  roles: RoleTable;
  filters: FilterTable;
  filter_permissions: FilterPermissionTable;
  user_roles: UserRoleTable;
}

export type HostRow = Selectable<HostTable>;
export type TaxonomyRow = Selectable<TaxonomyTable>;
export type DomainRow = Selectable<DomainTable>;
export type NewHost = Insertable<HostTable>;
export type HostUpdate = Updateable<HostTable>;
export type HostgroupRow = Selectable<HostgroupTable>;
export type SubnetRow = Selectable<SubnetTable>;
export type SmartProxyRow = Selectable<SmartProxyTable>;
export type ParameterRow = Selectable<ParameterTable>;
export type JobTemplateRow = Selectable<JobTemplateTable>;
export type NewJobTemplate = Insertable<JobTemplateTable>;
export type TemplateInputRow = Selectable<TemplateInputTable>;
export type ForeignInputSetRow = Selectable<ForeignInputSetTable>;
export type JobInvocationRow = Selectable<JobInvocationTable>;
export type NewJobInvocation = Insertable<JobInvocationTable>;
export type TemplateInvocationRow = Selectable<TemplateInvocationTable>;
export type NewTemplateInvocation = Insertable<TemplateInvocationTable>;
export type TemplateInvocationEventRow = Selectable<TemplateInvocationEventTable>;
export type OperatingsystemRow = Selectable<OperatingsystemTable>;
export type TemplateRevisionRow = Selectable<TemplateRevisionTable>;
export type RemoteExecutionFeatureRow = Selectable<RemoteExecutionFeatureTable>;
export type UserRow = Selectable<UserTable>;
export type PersonalAccessTokenRow = Selectable<PersonalAccessTokenTable>;
export type UserSessionRow = Selectable<UserSessionTable>;
export type BookmarkRow = Selectable<BookmarkTable>;
/** A stored role. */
export type RoleRow = Selectable<RoleTable>;
/** A stored filter. */
export type FilterRow = Selectable<FilterTable>;
