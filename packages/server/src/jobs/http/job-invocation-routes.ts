/**
 * @module
 * `/api/job_invocations` (Foreman API v2): create (now or scheduled), list, show, hosts, per-host
 * output (`delayed` while a scheduled job waits), raw output, the live SSE stream, cancel and rerun.
 * Schema-first (`@remex/common` `job-invocation.ts`); the queries are in `../job-store.ts`.
 */
import type { Static } from '@sinclair/typebox';
import {
  HostOutputQuerySchema,
  HostOutputSchema,
  IdParamsSchema,
  InputError,
  JobCancelParamsSchema,
  JobCancelResultSchema,
  JobHostListQuerySchema,
  JobHostListSchema,
  JobHostParamsSchema,
  JobInvocationCreateSchema,
  JobInvocationListSchema,
  JobInvocationSchema,
  JobInvocationShowQuerySchema,
  JobRerunParamsSchema,
  JobStreamQuerySchema,
  ListQuerySchema,
  OutputsParamsSchema,
  OutputsSchema,
  looseBoolean,
  looseString,
} from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { ServerContext } from '../../context.ts';
import { findHost } from '../../hosts/host-store.ts';
import { currentUser } from '../../http/auth.ts';
import { listResource } from '../../http/list-resource.ts';
import { listParams, show } from '../../http/params.ts';
import { emptyBodyAllowed, typed, unwrapBody } from '../../http/schema-first.ts';
import { jobHiddenInputs, maskHiddenValues, openInputs } from '../compose/hidden-inputs.ts';
import { createJob, parseJobRequest } from '../compose/job-composer.ts';
import { rerunJob } from '../compose/job-rerun.ts';
import { cancelJob } from '../finish/job-cancel.ts';
import { findJob, firstJobHosts, jobTask, listJobHosts, matchingTaskIds, outputTasks, showJob, showJobs } from '../job-store.ts';
import { compileJobInvocationSearch } from '../search/job-invocation-search.ts';
import { streamJobHost } from './job-host-stream.ts';
import { taskOutput, taskRawOutput, tasksOutput } from './job-output.ts';
import { serializeJobHost } from './job-serializer.ts';
import { createRecurringJob, recurringOptions } from '../../recurring/recurring-logic-store.ts';
import { taskTimeline } from '../task-timeline.ts';
import { streamJob } from './job-stream.ts';

const CANCEL_DESCRIPTION = `A job that has not started (queued, e.g. scheduled) stops \`cancelled\` with all its hosts.
Otherwise hosts not yet sent to a proxy stop \`cancelled\` at once, and hosts on a proxy are stopped there;
their end comes back as usual and counts as cancelled. Cancelling again stops hosts whose proxy did not end
them; \`force\` (abort) stops them at once as failed. Parameters may also be given in the query string.
With \`search\` (a search over the job's hosts) only the matching hosts are cancelled and the answer is
Foreman's \`{total, cancelled: [task ids], skipped: [task ids]}\`.`;

const RERUN_DESCRIPTION = `A new job with the same template, input values (hidden ones included), effective user, SSH user,
concurrency, timeout, description format and targeting. \`failed_only\` / \`succeeded_only\` restrict it to
the hosts that failed / succeeded. Parameters may also be given in the query string.`;

const HOST_OUTPUT_DESCRIPTION = `At most 8 Mi characters of output per answer (and at least one line set). When more is stored
the answer has \`truncated: true\`, \`refresh: true\` and \`next_after\`: ask again with \`after=<next_after>\` for the rest.`;

/** `since` (float epoch seconds) of an output request; null when absent. */
function sinceParam(raw: string | number | null | undefined): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const since = Number(raw);
  if (!Number.isFinite(since)) throw new InputError(`since must be a number (seconds since the epoch), got '${String(raw)}'`);
  return since;
}

/** The `after` parameter of the host output endpoint: a row id (`next_after` of an earlier answer). */
function afterParam(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new InputError(`Parameter after must be a row id (a non-negative integer), got '${show(raw)}'`);
  return n;
}

/** A loose boolean parameter (absent or null: false). */
function flag(value: Static<typeof JobCancelParamsSchema>['force']): boolean {
  return value === undefined || value === null ? false : looseBoolean(value);
}

/** Registers job invocation routes. */
export function registerJobInvocationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const tags = ['job_invocations'];
  const user = (req: FastifyRequest) => currentUser(req);

  api.post('/api/job_invocations', { preValidation: unwrapBody('job_invocation'), schema: { tags, summary: 'Run a job template (or a feature) on the hosts a search, bookmark or id list selects', body: JobInvocationCreateSchema, response: { 201: JobInvocationSchema } } }, async (req, reply) => {
    const caller = user(req);
    const job = await db.transaction().execute(async (trx) => {
      const request = await parseJobRequest(trx, req.body, caller);
      return request.recurrence
        ? createRecurringJob(trx, ctx.store.dialect, request, request.recurrence, caller, ctx.secrets, ctx.recurring ?? recurringOptions())
        : createJob(trx, ctx.store.dialect, request, caller, ctx.secrets);
    });
    ctx.dispatch.wake();
    return reply.status(201).send(await showJob(db, ctx.settings, job));
  });

  api.get('/api/job_invocations', { schema: { tags, summary: 'List job invocations (newest first)', description: 'Sortable by `id`, `description`, `job_category`, `start_at`, `started_at`, `ended_at`.', querystring: ListQuerySchema, response: { 200: JobInvocationListSchema } } }, async (req) =>
    // Only the jobs the user may view (ADR 0011): own jobs unless a role grants more (listResource scopes).
    listResource({
      params: listParams(req.query, ['id', 'description', 'job_category', 'start_at', 'started_at', 'ended_at']),
      base: db.selectFrom('job_invocations'),
      search: (text) => compileJobInvocationSearch(text, ctx.store.dialect, user(req)),
      orderColumns: { id: 'id', description: 'description', job_category: 'job_category', start_at: 'start_at', started_at: 'started_at', ended_at: 'ended_at' },
      defaultOrder: 'id',
      defaultDirection: 'desc',
      select: (q) => q.selectAll(),
      serialize: (rows) => showJobs(db, ctx.settings, rows),
    }),
  );

  api.get('/api/job_invocations/:id', { schema: { tags, summary: 'Show a job invocation with its hosts (first 1000) in `targeting.hosts`', params: IdParamsSchema, querystring: JobInvocationShowQuerySchema, response: { 200: JobInvocationSchema } } }, async (req) => {
    const job = await findJob(db, req.params.id);
    const shown = await showJob(db, ctx.settings, job);
    if (req.query.include_hosts === 'false') return shown;
    const hosts = await firstJobHosts(db, job.id);
    return { ...shown, targeting: { ...shown.targeting, hosts: hosts.map(serializeJobHost) } };
  });

  api.get('/api/job_invocations/:id/hosts', { schema: { tags, summary: 'Per-host status of a job (in targeting order unless `order` is `name` or `id`)', params: IdParamsSchema, querystring: JobHostListQuerySchema, response: { 200: JobHostListSchema } } }, async (req) => {
    const job = await findJob(db, req.params.id);
    const lp = listParams(req.query, ['name', 'id']);
    return listJobHosts(db, ctx.store.dialect, user(req), job, lp, req.query.awaiting === 'true');
  });

  const cancelSchema = { tags, summary: 'Cancel a job (Foreman `cancel`)', description: CANCEL_DESCRIPTION, params: IdParamsSchema, querystring: JobCancelParamsSchema, body: JobCancelParamsSchema, response: { 200: JobCancelResultSchema } };
  api.post('/api/job_invocations/:id/cancel', { preValidation: emptyBodyAllowed, schema: cancelSchema }, async (req) => {
    const job = await findJob(db, req.params.id);
    const params = { ...req.query, ...req.body };
    const force = flag(params.force);
    const search = looseString(params.search);
    if (search === undefined || search === null || search.trim() === '') {
      const outcome = await cancelJob(ctx, job, force);
      return { cancelled: outcome.cancelled, id: outcome.id, stopped: outcome.stopped, requested: outcome.requested, unreachable: outcome.unreachable };
    }
    // Only the hosts a search over the job's hosts picks (Foreman: {total, cancelled, skipped}).
    const matching = await matchingTaskIds(db, ctx.store.dialect, user(req), job.id, search);
    const outcome = matching.length > 0 ? await cancelJob(ctx, job, force, matching) : null;
    const cancelled = new Set(outcome?.cancelledTaskIds ?? []);
    return { total: matching.length, cancelled: [...cancelled], skipped: matching.filter((id) => !cancelled.has(id)) };
  });

  const rerunSchema = { tags, summary: 'Run a job again now (Foreman `rerun`)', description: RERUN_DESCRIPTION, params: IdParamsSchema, querystring: JobRerunParamsSchema, body: JobRerunParamsSchema, response: { 201: JobInvocationSchema } };
  api.post('/api/job_invocations/:id/rerun', { preValidation: emptyBodyAllowed, schema: rerunSchema }, async (req, reply) => {
    const job = await findJob(db, req.params.id);
    const params = { ...req.query, ...req.body };
    const opts = { failedOnly: flag(params.failed_only), succeededOnly: flag(params.succeeded_only) };
    const caller = user(req);
    const created = await db.transaction().execute(async (trx) => rerunJob(trx, ctx.store.dialect, job, opts, caller, ctx.secrets));
    ctx.dispatch.wake();
    return reply.status(201).send(await showJob(db, ctx.settings, created));
  });

  const hostOutputSchema = { tags, summary: 'Output of one host of a job (Foreman shape) with the rendered script', description: HOST_OUTPUT_DESCRIPTION, params: JobHostParamsSchema, querystring: HostOutputQuerySchema, response: { 200: HostOutputSchema } };
  api.get('/api/job_invocations/:id/hosts/:host_id', { schema: hostOutputSchema }, async (req) => {
    const job = await findJob(db, req.params.id);
    if (job.state === 'queued' && (job.mode === 'future' || job.mode === 'recurring')) {
      // Not started yet (scheduled): Foreman's delayed answer. A dynamic job has no hosts until it starts.
      if (job.targeting_type === 'dynamic_query') await findHost(db, req.params.host_id);
      else await jobTask(db, job.id, req.params.host_id);
      return { complete: false, refresh: true, output: [], delayed: true, start_at: job.start_at };
    }
    const { task } = await jobTask(db, job.id, req.params.host_id);
    const out = await taskOutput(db, task, sinceParam(req.query.since), { after: afterParam(req.query.after) });
    const hidden = (await jobHiddenInputs(db, [job])).get(job.id) ?? new Set<string>();
    // Stored masked (rendered with masks, dispatch/render-for-dispatch.ts); rows stored before that are masked here too.
    const script = task.rendered_script === null || hidden.size === 0 ? task.rendered_script : maskHiddenValues(task.rendered_script, openInputs(job.inputs, hidden, ctx.secrets), hidden);
    const planned = { at: (job.targeting_type === 'dynamic_query' ? job.started_at : job.created_at) ?? job.created_at, kind: 'planned', detail: null };
    const timeline = [planned, ...(await taskTimeline(db, task.id))];
    return {
      ...out,
      rendered_script: script,
      job_status: serializeJobHost({ ...task, name: '' }).job_status,
      task: { id: task.id, state: task.state, result: task.result, exit_status: task.exit_status, message: task.message, started_at: task.started_at, ended_at: task.ended_at, timeline },
    };
  });

  api.get('/api/job_invocations/:id/hosts/:host_id/raw', { schema: { tags, summary: 'Raw stdout and stderr of one host, concatenated', params: JobHostParamsSchema } }, async (req, reply) => {
    const job = await findJob(db, req.params.id);
    const { task } = await jobTask(db, job.id, req.params.host_id);
    return reply.type('text/plain; charset=utf-8').send(taskRawOutput(db, task.id));
  });

  // Outputs of many hosts at once (Foreman's bulk endpoint), optionally only the hosts a host
  // search picks (`search_query`, the language of the job's hosts list). Paged by hosts
  // (`page`, `per_page`: default and at most 1,000) and bounded in size (see `tasksOutput`).
  const outputs = async (req: FastifyRequest, id: string, params: Static<typeof OutputsParamsSchema>) => {
    const job = await findJob(db, id);
    const since = sinceParam(params.since);
    const search = looseString(params.search_query) ?? looseString(params.search) ?? null;
    const lp = listParams({ page: params.page, per_page: params.per_page ?? 'all' }, []);
    const { total, tasks } = await outputTasks(db, ctx.store.dialect, user(req), job.id, { search: search === '' ? null : search, page: lp.page, perPage: lp.perPage });
    const answer = await tasksOutput(db, tasks, { since, raw: flag(params.raw) });
    return { outputs: answer.outputs, total, page: lp.page, per_page: lp.perPage, truncated: answer.truncated };
  };
  const outputsSchema = { tags, summary: 'Outputs of many hosts of a job at once (Foreman `outputs`); parameters in the query or (POST) the JSON body', params: IdParamsSchema, querystring: OutputsParamsSchema, response: { 200: OutputsSchema } };
  api.get('/api/job_invocations/:id/outputs', { schema: outputsSchema }, async (req) => outputs(req, req.params.id, req.query));
  api.post('/api/job_invocations/:id/outputs', { preValidation: emptyBodyAllowed, schema: { ...outputsSchema, body: OutputsParamsSchema } }, async (req) =>
    outputs(req, req.params.id, { ...req.query, ...req.body }),
  );

  api.get('/api/job_invocations/:id/stream', { schema: { tags, summary: 'Server-sent events of a job until it ends', params: IdParamsSchema, querystring: JobStreamQuerySchema } }, async (req, reply) => {
    const job = await findJob(db, req.params.id);
    const hostRef = req.query.host_id;
    if (hostRef === undefined || hostRef === '') {
      await streamJob(ctx, job.id, req, reply, req.query.outputs !== 'false');
      return;
    }
    const { host, task } = await jobTask(db, job.id, hostRef);
    streamJobHost(ctx, job.id, { id: task.id, hostId: host.id, hostName: host.name }, req, reply);
  });
}
