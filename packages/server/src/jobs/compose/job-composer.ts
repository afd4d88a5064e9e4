/**
 * @module
 * Compose and plan (ARCHITECTURE steps 1–2): validates a job invocation request, resolves its
 * hosts and stores the job with one task per host, all in one transaction.
 */
import type { JobInvocationCreate } from '@remex/common';
import { InputError, JobInvocationCreateSchema, NotFoundError, looseBoolean, looseInteger, looseString } from '@remex/common';
import { Value } from '@sinclair/typebox/value';
import type { SearchDialect } from '@remex/search-query';
import type { Kysely } from 'kysely';

import { checkVisible } from '../../authz/authorize.ts';
import type { Database, JobInvocationRow, TemplateInputRow } from '../../db/schema.ts';
import { flag, isSet, nowIso } from '../../db/time.ts';
import { findFeature } from '../../features/feature-store.ts';
import { inputValues } from '../../http/params.ts';
import type { LoadedTemplate } from '../../templates/job-template-store.ts';
import { effectiveInputs } from '../../templates/foreign-input-sets.ts';
import { findTemplate, loadTemplate } from '../../templates/job-template-store.ts';
import { checkInputs } from '../../templates/input-values.ts';
import { hiddenNames, maskInputs, sealInputs } from './hidden-inputs.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';
import { type JobSecrets, jobSecretsOf, sealJobSecrets } from './job-secrets.ts';
import { genericRender } from '../../templates/template-preview.ts';
import type { CurrentUser } from '../../users/user-store.ts';
import { checkHostQuery, insertTasks, resolveHostIds, targetBookmark } from './job-targeting.ts';
import type { JobSchedule } from './job-scheduling.ts';
import { parseRecurrence, parseScheduling, type RecurrenceRequest } from './job-scheduling.ts';

/** Targeting types (Foreman). */
export const TARGETING_TYPES = ['static_query', 'dynamic_query'] as const;

/** Longest `concurrency_control[time_span]`: a week, in seconds. */
export const MAX_TIME_SPAN = 7 * 24 * 3600;

/** A validated request. */
export interface JobRequest {
  template: LoadedTemplate;
  targetingType: string;
  searchQuery: string;
  /** Bookmark the hosts were selected with (`bookmark_id`); a dynamic job re-reads its query at start. */
  bookmarkId: number | null;
  inputs: Record<string, string>;
  randomizedOrdering: boolean;
  concurrencyLevel: number | null;
  /** `concurrency_control[time_span]` in seconds; null: no spreading. */
  timeSpan: number | null;
  executionTimeoutInterval: number | null;
  effectiveUser: string | null;
  /** The job's connection secrets in clear (sealed when stored). */
  secrets: JobSecrets;
  sshUser: string | null;
  descriptionFormat: string | null;
  /** The template's own inputs plus those of its foreign input sets (hidden ones are masked everywhere). */
  offeredInputs: readonly TemplateInputRow[];
  /** Remote execution feature the job was requested by (`feature` instead of `job_template_id`). */
  featureId: number | null;
  /** When the job starts (`scheduling`); immediate when absent. */
  schedule?: JobSchedule;
  /** The recurring schedule asked for (`recurrence`); null or absent for a one-off job. */
  recurrence?: RecurrenceRequest | null;
  /** The recurring logic this job is an occurrence of. */
  recurringLogicId?: number;
  /** Hosts of a static job given directly (a rerun), in order, instead of resolving the query. */
  hostIds?: readonly number[];
}

/** Quotes a host name for a `name ^ (…)` list. */
function quoteName(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) ? name : `"${name.replace(/(["\\])/g, '\\$1')}"`;
}

async function hostIdsQuery(db: Kysely<Database>, raw: unknown): Promise<string> {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (list === null || list.length === 0) throw new InputError('host_ids must be a non-empty list of host ids or names');
  const names: string[] = [];
  for (const item of list) {
    const ref = String(item).trim();
    const q = db.selectFrom('hosts').select('name');
    const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
    if (!row) throw new NotFoundError(`Host '${ref}' not found`);
    names.push(row.name);
  }
  return `name ^ (${names.map(quoteName).join(', ')})`;
}

/**
 * The body as {@link JobInvocationCreateSchema} types it. Routes validate it already; a body from
 * elsewhere (plugins, tests) is checked here.
 */
function checkedBody(raw: JobInvocationCreate | Record<string, unknown>): JobInvocationCreate {
  if (Value.Check(JobInvocationCreateSchema, raw)) return raw;
  const first = Value.Errors(JobInvocationCreateSchema, raw).First();
  throw new InputError(`Invalid job invocation: ${first ? `${first.path.slice(1) || 'body'} ${first.message}` : 'body does not match the schema'}`);
}

/** Reads and validates a `POST /api/job_invocations` body (already checked against {@link JobInvocationCreateSchema}). */
export async function parseJobRequest(db: Kysely<Database>, raw: JobInvocationCreate | Record<string, unknown>, user: CurrentUser | null = null): Promise<JobRequest> {
  const body = checkedBody(raw);
  const templateId = looseString(body.job_template_id);
  const feature = looseString(body.feature);
  if (templateId && feature) throw new InputError('Only one of feature or job_template_id can be specified');
  if (!templateId && !feature) throw new InputError('job_template_id (or feature) is required');
  const featureRow = feature ? await findFeature(db, feature) : null;
  if (featureRow && featureRow.job_template_id === null) throw new InputError(`Remote execution feature '${featureRow.label}' has no job template assigned`);
  const template = await loadTemplate(db, await findTemplate(db, featureRow?.job_template_id ?? templateId ?? ''));
  if (isSet(template.row.snippet)) throw new InputError(`Job template '${template.row.name}' is a snippet and cannot be run`);
  await checkVisible(db, 'JobTemplate', template.row.id, String(featureRow?.job_template_id ?? templateId ?? ''));

  // A feature-triggered job targets the hosts it was given, once (reference §1d).
  const targetingType = featureRow ? 'static_query' : (body.targeting_type ?? 'static_query');
  if (!(TARGETING_TYPES as readonly string[]).includes(targetingType)) {
    throw new InputError(`targeting_type must be one of ${TARGETING_TYPES.join(', ')}, got '${targetingType}'`);
  }
  const search = looseString(body.search_query);
  let searchQuery: string;
  let bookmarkId: number | null = null;
  const bookmarkRef = body.bookmark_id;
  if (bookmarkRef !== undefined && bookmarkRef !== null && bookmarkRef !== '') {
    if (search && search.trim() !== '') throw new InputError('Cannot specify both bookmark_id and search_query');
    if (body.host_ids !== undefined && body.host_ids !== null) throw new InputError('Cannot specify both bookmark_id and host_ids');
    const bookmark = await targetBookmark(db, bookmarkRef, user);
    searchQuery = bookmark.query;
    bookmarkId = bookmark.id;
  } else if (body.host_ids !== undefined && body.host_ids !== null) {
    if (search) throw new InputError('Cannot specify both host_ids and search_query');
    searchQuery = await hostIdsQuery(db, body.host_ids);
  } else if (search && search.trim() !== '') {
    searchQuery = search.trim();
  } else {
    throw new InputError('search_query, bookmark_id or host_ids is required to select the target hosts');
  }

  const inputs = inputValues(body.inputs);
  const offeredInputs = await effectiveInputs(db, template.row.id);
  checkInputs(template, inputs, offeredInputs);

  const concurrencyLevel = looseInteger(body.concurrency_control?.concurrency_level) ?? looseInteger(body.concurrency_level) ?? null;
  if (concurrencyLevel !== null && concurrencyLevel < 1) throw new InputError('concurrency_level must be greater than 0');
  const timeSpan = looseInteger(body.concurrency_control?.time_span) ?? null;
  if (timeSpan !== null && (timeSpan < 1 || timeSpan > MAX_TIME_SPAN)) throw new InputError(`concurrency_control.time_span must be a whole number of seconds from 1 to ${MAX_TIME_SPAN}, got ${timeSpan}`);
  const timeout = looseInteger(body.execution_timeout_interval) ?? null;
  if (timeout !== null && timeout < 1) throw new InputError('execution_timeout_interval must be a positive number of seconds');
  const effectiveUser = looseString(body.ssh?.effective_user) ?? looseString(body.effective_user) ?? null;
  return {
    template,
    targetingType,
    searchQuery,
    bookmarkId,
    inputs,
    randomizedOrdering: body.randomized_ordering === undefined || body.randomized_ordering === null ? false : looseBoolean(body.randomized_ordering),
    concurrencyLevel,
    timeSpan,
    executionTimeoutInterval: timeout ?? template.row.execution_timeout_interval,
    effectiveUser: effectiveUser && effectiveUser.trim() !== '' ? effectiveUser.trim() : null,
    secrets: jobSecretsOf(body),
    sshUser: looseString(body.ssh_user) ?? null,
    descriptionFormat: looseString(body.description_format) ?? null,
    offeredInputs,
    featureId: featureRow?.id ?? null,
    schedule: parseScheduling(body),
    recurrence: parseRecurrence(body),
  };
}

/**
 * Expands a description format (reference §1b): `%{input}` → value (hidden → `***`),
 * `%{job_category}`, `%{template_name}`; unknown placeholders → `''`. `offered` (default: the
 * template's own inputs) decides which inputs are hidden, so that an input borrowed through a
 * foreign input set stays masked.
 */
export function generateDescription(t: LoadedTemplate, format: string | null, inputs: Record<string, string>, offered: readonly TemplateInputRow[] = t.inputs): string {
  const userInputs = t.inputs.filter((i) => i.input_type === 'user');
  const fmt =
    format ??
    t.row.description_format ??
    (userInputs.length > 0 ? `%{template_name} with inputs ${userInputs.map((i) => `${i.name}="%{${i.name}}"`).join(' ')}` : '%{template_name}');
  const hidden = hiddenNames(offered);
  const out = fmt.replace(/%\{([^}]*)\}/g, (_m, key: string) => {
    if (key === 'template_name') return t.row.name;
    if (key === 'job_category') return t.row.job_category;
    if (hidden.has(key)) return '***';
    const v = inputs[key];
    return v === undefined || v === '' ? "''" : v;
  });
  return out.length > 255 ? out.slice(0, 255) : out;
}

/** Resolves the host ids a query targets, in `name, id` order (or shuffled). */
export const resolveTargets = resolveHostIds;

/**
 * Stores the job and its tasks; returns the job row. Run inside a transaction. Hidden input values
 * are stored sealed with `secrets`; the description and generic preview see them masked.
 */
export async function createJob(db: Kysely<Database>, dialect: SearchDialect, req: JobRequest, user: CurrentUser | null, secrets: SecretBox): Promise<JobInvocationRow> {
  // Dynamic targeting resolves the query when the job starts (job-targeting.ts); check it now.
  const dynamic = req.targetingType === 'dynamic_query';
  if (dynamic) checkHostQuery(req.searchQuery, dialect, user);
  const hostIds = dynamic ? [] : (req.hostIds ?? (await resolveTargets(db, dialect, req.searchQuery, req.randomizedOrdering, user)));
  if (!dynamic && hostIds.length === 0) throw new InputError(`No hosts match the search query '${req.searchQuery}'`);
  const now = nowIso();
  const hidden = hiddenNames(req.offeredInputs);
  const job = await db
    .insertInto('job_invocations')
    .values({
      description: generateDescription(req.template, req.descriptionFormat, req.inputs, req.offeredInputs),
      job_category: req.template.row.job_category,
      description_format: req.descriptionFormat,
      template_id: req.template.row.id,
      targeting_type: req.targetingType,
      search_query: req.searchQuery,
      bookmark_id: req.bookmarkId,
      randomized_ordering: flag(req.randomizedOrdering),
      user_id: user?.id ?? null,
      inputs: JSON.stringify(sealInputs(req.inputs, hidden, secrets)),
      effective_user: req.effectiveUser,
      ...sealJobSecrets(req.secrets, secrets),
      ssh_user: req.sshUser,
      concurrency_level: req.concurrencyLevel,
      time_span: req.timeSpan,
      recurring_logic_id: req.recurringLogicId ?? null,
      execution_timeout_interval: req.executionTimeoutInterval,
      state: 'queued',
      result: 'pending',
      total_hosts: hostIds.length,
      start_at: req.schedule?.startAt ?? now,
      mode: req.schedule?.mode ?? 'immediate',
      start_before: req.schedule?.startBefore ?? null,
      created_at: now,
      preview_script: await genericRender(db, req.template, maskInputs(req.inputs, hidden), user?.login ?? null),
      hidden_inputs: JSON.stringify([...hidden]),
      remote_execution_feature_id: req.featureId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertTasks(db, job.id, req.template.row.id, hostIds);
  return job;
}
