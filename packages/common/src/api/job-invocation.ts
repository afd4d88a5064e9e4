/**
 * @module
 * `/api/job_invocations` schemas (Foreman API v2): the create body, the job as list and show
 * return it, its hosts, per-host and bulk output, cancel and rerun. Used by the server's routes
 * (validation, serialization, OpenAPI) and clients.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { LooseBooleanSchema } from './bookmark.ts';
import { RecurrenceSchema } from './recurring-logic.ts';
import { ListOf } from './list.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A text value as Foreman takes it: a string, or a number or boolean written as one. */
export const LooseStringSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

/** An optional integer as Foreman takes it: a number, a digit string, or null/empty for none. */
export const LooseIntegerSchema = Type.Union([Type.Integer(), Type.String({ pattern: '^(-?[0-9]+)?$' }), Type.Null()]);

/** The text a {@link LooseStringSchema} value stands for (null and undefined kept). */
export function looseString(value: Static<typeof LooseStringSchema> | null | undefined): string | null | undefined {
  return value === undefined || value === null ? value : String(value);
}

/** The integer a {@link LooseIntegerSchema} value stands for (null for none). */
export function looseInteger(value: Static<typeof LooseIntegerSchema> | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  return value === null || value === '' ? null : Number(value);
}

/** `inputs`: input name → value (scalars; values become text). */
export const JobInputsSchema = Type.Record(Type.String(), Type.Union([LooseStringSchema, Type.Null()]), { description: 'Input name → value' });

/** Body of `POST /api/job_invocations` (inside `job_invocation`, or bare). */
export const JobInvocationCreateSchema = Type.Object({
  job_template_id: Type.Optional(Nullable(LooseStringSchema)),
  feature: Type.Optional(Nullable(LooseStringSchema)),
  targeting_type: Type.Optional(Nullable(Type.String({ description: 'static_query or dynamic_query' }))),
  search_query: Type.Optional(Nullable(LooseStringSchema)),
  bookmark_id: Type.Optional(Nullable(Type.Union([Type.Integer(), Type.String()], { description: 'Bookmark id or name' }))),
  host_ids: Type.Optional(Nullable(Type.Union([Type.Array(LooseStringSchema), Type.String()], { description: 'Host ids or names (list or comma-separated)' }))),
  inputs: Type.Optional(Nullable(JobInputsSchema)),
  randomized_ordering: Type.Optional(Nullable(LooseBooleanSchema)),
  concurrency_control: Type.Optional(
    Nullable(
      Type.Object({
        concurrency_level: Type.Optional(LooseIntegerSchema),
        time_span: Type.Optional(Type.Union([LooseIntegerSchema], { description: 'Seconds over which the host starts are spread evenly; hosts that could not start inside it end cancelled' })),
      }),
    ),
  ),
  concurrency_level: Type.Optional(LooseIntegerSchema),
  execution_timeout_interval: Type.Optional(LooseIntegerSchema),
  ssh: Type.Optional(
    Nullable(
      Type.Object({
        effective_user: Type.Optional(Nullable(LooseStringSchema)),
        effective_user_password: Type.Optional(Nullable(Type.String({ maxLength: 1024, description: 'Password answered to sudo/dzdo (stored sealed, never shown)' }))),
        password: Type.Optional(Nullable(Type.String({ maxLength: 1024, description: 'Same as the top-level password' }))),
        key_passphrase: Type.Optional(Nullable(Type.String({ maxLength: 1024, description: 'Same as the top-level key_passphrase' }))),
      }),
    ),
  ),
  effective_user: Type.Optional(Nullable(LooseStringSchema)),
  ssh_user: Type.Optional(Nullable(LooseStringSchema)),
  password: Type.Optional(Nullable(Type.String({ maxLength: 1024, description: "SSH password for this job's hosts (stored sealed, never shown; wins over remote_execution_ssh_password)" }))),
  key_passphrase: Type.Optional(Nullable(Type.String({ maxLength: 1024, description: "Passphrase of the proxy's SSH key for this job (stored sealed, never shown; wins over remote_execution_ssh_key_passphrase)" }))),
  time_to_pickup: Type.Optional(Nullable(Type.Union([LooseIntegerSchema], { description: 'Pull-mode hosts only (Foreman ignores it for SSH hosts, and so does Remex, which has no pull mode)' }))),
  description_format: Type.Optional(Nullable(LooseStringSchema)),
  scheduling: Type.Optional(Type.Unknown({ description: '{start_at, start_before}' })),
  start_at: Type.Optional(Type.Unknown({ description: 'Same as scheduling.start_at' })),
  start_before: Type.Optional(Type.Unknown({ description: 'Same as scheduling.start_before' })),
  recurrence: Type.Optional(Type.Unknown({ description: '{cron_line (five fields, in the server time zone REMEX_TZ) | input_type hourly/daily/weekly/monthly with minutes/time/days_of_week/days, max_iteration, end_time, purpose}' })),
  cron_line: Type.Optional(Type.Unknown({ description: 'Same as recurrence.cron_line' })),
  max_iteration: Type.Optional(Type.Unknown({ description: 'Same as recurrence.max_iteration' })),
  end_time: Type.Optional(Type.Unknown({ description: 'Same as recurrence.end_time' })),
  purpose: Type.Optional(Type.Unknown({ description: 'Same as recurrence.purpose' })),
});

/** A count of a job's hosts, `N/A` while it is queued. */
const CountSchema = Type.Union([Type.Integer(), Type.Literal('N/A')]);

/** A host of a job with its status there. */
export const JobHostSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  job_status: Type.String({ description: 'N/A, planned, running, success, error, cancelled, pending' }),
  exit_status: Nullable(Type.String()),
  message: Nullable(Type.String()),
  smart_proxy_id: Nullable(Type.Integer()),
});

/** A job invocation as lists and show return it (`targeting.hosts` only in show). */
export const JobInvocationSchema = Type.Object({
  id: Type.Integer(),
  description: Type.String(),
  description_format: Nullable(Type.String({ description: "The job's description format (%{input} placeholders) as given, null for the template's; what a rerun starts from" })),
  job_category: Type.String(),
  targeting_id: Type.Integer(),
  status: Type.Integer(),
  status_label: Type.String({ description: 'queued, running, succeeded, failed, cancelled' }),
  start_at: Nullable(Type.String()),
  started_at: Nullable(Type.String()),
  ended_at: Nullable(Type.String()),
  ssh_user: Nullable(Type.String()),
  concurrency_level: Nullable(Type.Integer()),
  time_span: Nullable(Type.Integer({ description: 'Seconds over which the host starts are spread (concurrency_control[time_span])' })),
  execution_timeout_interval: Nullable(Type.Integer()),
  template_id: Type.Integer(),
  template_name: Nullable(Type.String()),
  effective_user: Nullable(Type.String()),
  succeeded: CountSchema,
  failed: CountSchema,
  pending: CountSchema,
  cancelled: CountSchema,
  total: CountSchema,
  missing: Type.Integer(),
  total_hosts: Type.Integer(),
  mode: Type.String({ description: 'immediate, future or recurring' }),
  scheduling: Type.Optional(Type.Object({ start_at: Nullable(Type.String()), start_before: Nullable(Type.String()) })),
  recurrence: Type.Optional(RecurrenceSchema),
  user: Nullable(Type.String()),
  randomized_ordering: Type.Boolean(),
  inputs: Type.Record(Type.String(), Type.String(), { description: 'Hidden values as *****' }),
  targeting: Type.Object({
    search_query: Nullable(Type.String()),
    targeting_type: Type.String(),
    bookmark_id: Nullable(Type.Integer()),
    randomized_ordering: Type.Boolean(),
    user_id: Nullable(Type.Integer()),
    hosts: Type.Optional(Type.Array(JobHostSchema, { description: 'The first 1,000 hosts (show only)' })),
  }),
  task: Type.Object({ id: Type.String(), state: Type.String(), cancellable: Type.Boolean() }),
  preview_script: Nullable(Type.String({ description: 'Generic render: user inputs evaluated, host-specific ones as placeholders' })),
});

/** `GET /api/job_invocations`. */
export const JobInvocationListSchema = ListOf(JobInvocationSchema);

/** `GET /api/job_invocations/:id/hosts`. */
export const JobHostListSchema = ListOf(JobHostSchema);

/** Query of `GET /api/job_invocations/:id`. */
export const JobInvocationShowQuerySchema = Type.Object({
  include_hosts: Type.Optional(Type.String({ description: "'false': leave targeting.hosts out" })),
});

/** Query of `GET /api/job_invocations/:id/hosts`: a list query plus `awaiting`. */
export const JobHostListQuerySchema = Type.Object({
  page: Type.Optional(Type.String()),
  per_page: Type.Optional(Type.String()),
  search: Type.Optional(Type.String()),
  order: Type.Optional(Type.String()),
  awaiting: Type.Optional(Type.String({ description: "'true': only hosts not started yet" })),
});

/** `:id` and `:host_id` of a job's host. */
export const JobHostParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, description: 'Job invocation id' }),
  host_id: Type.String({ minLength: 1, description: 'Host id or name' }),
});

/** Parameters of `POST /api/job_invocations/:id/cancel` (body or query). */
export const JobCancelParamsSchema = Type.Object({
  force: Type.Optional(Nullable(Type.Union([...LooseBooleanSchema.anyOf], { description: 'Abort: stop hosts at once as failed' }))),
  search: Type.Optional(Nullable(Type.Union([...LooseStringSchema.anyOf], { description: "Cancel only the hosts this search over the job's hosts picks" }))),
});

/** Answer of a cancel: of the whole job, or (with `search`) of the hosts the search picks. */
export const JobCancelResultSchema = Type.Union([
  Type.Object({
    cancelled: Type.Boolean(),
    id: Type.Integer(),
    stopped: Type.Integer({ description: 'Hosts stopped here (not sent to a proxy yet)' }),
    requested: Type.Integer({ description: 'Hosts whose proxy was asked to stop them' }),
    unreachable: Type.Integer({ description: 'Hosts whose proxy could not be reached' }),
  }),
  Type.Object({ total: Type.Integer(), cancelled: Type.Array(Type.Integer()), skipped: Type.Array(Type.Integer()) }),
]);

/** Parameters of `POST /api/job_invocations/:id/rerun` (body or query). */
export const JobRerunParamsSchema = Type.Object({
  failed_only: Type.Optional(Nullable(LooseBooleanSchema)),
  succeeded_only: Type.Optional(Nullable(LooseBooleanSchema)),
});

/** One set of output lines. */
export const LineSetSchema = Type.Object({ output_type: Type.String(), output: Type.String(), timestamp: Type.Number() });

/** Query of `GET /api/job_invocations/:id/hosts/:host_id`. */
export const HostOutputQuerySchema = Type.Object({
  since: Type.Optional(Type.String({ description: 'Only lines after this time (float epoch seconds)' })),
  after: Type.Optional(Type.String({ description: 'Only rows after this row id (next_after of an earlier answer)' })),
});

/** Output of one host of a job; `delayed` while a scheduled job waits. */
export const HostOutputSchema = Type.Object({
  complete: Type.Boolean(),
  refresh: Type.Boolean(),
  output: Type.Array(LineSetSchema),
  truncated: Type.Optional(Type.Boolean()),
  next_after: Type.Optional(Type.Integer()),
  delayed: Type.Optional(Type.Boolean()),
  start_at: Type.Optional(Nullable(Type.String())),
  rendered_script: Type.Optional(Nullable(Type.String())),
  job_status: Type.Optional(Type.String()),
  task: Type.Optional(
    Type.Object(
      {
        id: Type.Integer(),
        state: Type.String({ description: 'awaiting, planned, running or stopped' }),
        result: Type.String(),
        exit_status: Nullable(Type.String()),
        message: Nullable(Type.String()),
        started_at: Nullable(Type.String()),
        ended_at: Nullable(Type.String()),
        timeline: Type.Array(
          Type.Object({
            at: Type.String(),
            kind: Type.String({ description: 'planned, claimed, sent, accepted, started, first_output, exit, cancel_requested, requeued, error' }),
            detail: Nullable(Type.String({ description: 'Which server or proxy, the exit status, the cause of an error' })),
          }),
        ),
      },
      { description: "The host's task (Foreman's Last Job Task) with its timeline" },
    ),
  ),
});

/** Parameters of `/api/job_invocations/:id/outputs` (query, or body of the POST). */
export const OutputsParamsSchema = Type.Object({
  since: Type.Optional(Nullable(Type.Union([Type.String(), Type.Number()], { description: 'Only line sets with a timestamp after this (float epoch seconds)' }))),
  search_query: Type.Optional(Nullable(Type.Union([...LooseStringSchema.anyOf], { description: "Host search over the job's hosts (the language of GET …/hosts?search=); default all hosts" }))),
  search: Type.Optional(Nullable(Type.Union([...LooseStringSchema.anyOf], { description: 'Same as search_query' }))),
  page: Type.Optional(Nullable(Type.Union([Type.String(), Type.Integer()], { description: 'Page of hosts' }))),
  per_page: Type.Optional(Nullable(Type.Union([Type.String(), Type.Integer()], { description: 'Hosts per page; at most 1000 (larger values are clamped)' }))),
  raw: Type.Optional(Nullable(Type.Union([...LooseBooleanSchema.anyOf], { description: "Each host's stdout and stderr as one string instead of line sets" }))),
});

/** Outputs of many hosts of a job, paged by hosts. */
export const OutputsSchema = Type.Object({
  outputs: Type.Array(
    Type.Object({
      host_id: Type.Integer(),
      complete: Type.Boolean(),
      refresh: Type.Boolean(),
      output: Type.Union([Type.Array(LineSetSchema), Type.String()], { description: 'Line sets, or the stdout+stderr text when raw' }),
      truncated: Type.Optional(Type.Boolean()),
    }),
  ),
  total: Type.Integer(),
  page: Type.Integer(),
  per_page: Type.Integer(),
  truncated: Type.Boolean(),
});

/** Query of `GET /api/job_invocations/:id/stream`. */
export const JobStreamQuerySchema = Type.Object({
  host_id: Type.Optional(Type.String({ description: "Only this host's output (id or name)" })),
  outputs: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], {
      description: "`false`: progress and host events only, no output (a page that shows one host's output follows that host's stream instead)",
    }),
  ),
});

/** A job invocation. */
export type JobInvocation = Static<typeof JobInvocationSchema>;
/** A host of a job. */
export type JobHost = Static<typeof JobHostSchema>;
/** Body of a job invocation create. */
export type JobInvocationCreate = Static<typeof JobInvocationCreateSchema>;
/** Output of one host of a job. */
export type HostOutput = Static<typeof HostOutputSchema>;
/** Parameters of a cancel. */
export type JobCancelParams = Static<typeof JobCancelParamsSchema>;
/** Answer of a cancel. */
export type JobCancelResult = Static<typeof JobCancelResultSchema>;
/** Parameters of a rerun. */
export type JobRerunParams = Static<typeof JobRerunParamsSchema>;
