/**
 * @module
 * `/api/job_invocations` (Foreman API v2): create (now or scheduled), list, show, hosts, per-host
 * output (`delayed` while a scheduled job waits), raw output, the live SSE stream, cancel and rerun.
 */
import { InputError, NotFoundError } from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import { listScope } from '../../authz/list-scope.ts';
import { countRows } from '../../db/count-rows.ts';
import type { ServerContext } from '../../context.ts';
import type { Database, JobInvocationRow } from '../../db/schema.ts';
import { findHost } from '../../hosts/host-store.ts';
import type { SettingsStore } from '../../settings/settings-store.ts';
import { currentUser } from '../../http/auth.ts';
import { field, listParams, listResponse, show, unwrap } from '../../http/params.ts';
import { jobHiddenInputs, maskHiddenValues, openInputs } from '../compose/hidden-inputs.ts';
import { resolveEffectiveUser } from '../dispatch/host-connection.ts';
import { compileJobHostSearch, jobHostQuery } from '../search/job-host-search.ts';
import { compileJobInvocationSearch } from '../search/job-invocation-search.ts';
import type { CurrentUser } from '../../users/user-store.ts';
import { cancelJob } from '../finish/job-cancel.ts';
import { createJob, parseJobRequest } from '../compose/job-composer.ts';
import { rerunJob } from '../compose/job-rerun.ts';
import { taskOutput, taskRawOutput, tasksOutput } from './job-output.ts';
import { countTasks, serializeJob, serializeJobHost } from './job-serializer.ts';
import { streamJobHost } from './job-host-stream.ts';
import { streamJob } from './job-stream.ts';

async function findJob(db: Kysely<Database>, ref: string): Promise<JobInvocationRow> {
  if (!/^\d+$/.test(ref)) throw new NotFoundError(`Job invocation '${ref}' not found`);
  const job = await db.selectFrom('job_invocations').selectAll().where('id', '=', Number(ref)).executeTakeFirst();
  if (!job) throw new NotFoundError(`Job invocation ${ref} not found`);
  return job;
}

async function showJobs(db: Kysely<Database>, settings: SettingsStore, jobs: JobInvocationRow[]): Promise<Record<string, unknown>[]> {
  const counts = await countTasks(db, jobs.map((j) => j.id));
  const templateIds = [...new Set(jobs.map((j) => j.template_id))];
  const templates = templateIds.length
    ? await db
        .selectFrom('job_templates')
        .select(['id', 'name', 'effective_user_overridable', 'effective_user_current_user', 'effective_user_value'])
        .where('id', 'in', templateIds)
        .execute()
    : [];
  const defaultUser = String(settings.get('remote_execution_effective_user'));
  const hidden = await jobHiddenInputs(db, jobs);
  const userIds = [...new Set(jobs.map((j) => j.user_id).filter((u): u is number => u !== null))];
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'login']).where('id', 'in', userIds).execute() : [];
  return jobs.map((j) => {
    const template = templates.find((t) => t.id === j.template_id);
    const userLogin = users.find((u) => u.id === j.user_id)?.login ?? null;
    return serializeJob(j, counts.get(j.id) ?? { succeeded: 0, failed: 0, cancelled: 0, pending: 0, total: 0 }, {
      templateName: template?.name ?? null,
      userLogin,
      hidden: hidden.get(j.id) ?? new Set<string>(),
      // As the job resolves it (a host parameter may still override the setting per host).
      effectiveUser: template ? resolveEffectiveUser(template, j.effective_user, userLogin, defaultUser) : j.effective_user,
    });
  });
}

async function jobTask(db: Kysely<Database>, jobId: number, hostRef: string) {
  const host = await findHost(db, hostRef);
  const task = await db
    .selectFrom('template_invocations')
    .selectAll()
    .where('job_invocation_id', '=', jobId)
    .where('host_id', '=', host.id)
    .executeTakeFirst();
  if (!task) throw new NotFoundError(`Host '${host.name}' is not a target of job invocation ${jobId}`);
  return { host, task };
}

/** Parameters of a POST that Foreman reads from the body or the query string (`force`, `failed_only`). */
function requestParams(req: { body: unknown; query: unknown }): Record<string, unknown> {
  const body = req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  return { ...(req.query as Record<string, unknown>), ...body };
}

/** The `after` parameter of the host output endpoint: a row id (`next_after` of an earlier answer). */
function afterParam(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new InputError(`Parameter after must be a row id (a non-negative integer), got '${show(raw)}'`);
  return n;
}

/** `since` (float epoch seconds) of an output request; null when absent. */
function sinceParam(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const since = Number(raw);
  if (!Number.isFinite(since)) throw new InputError(`since must be a number (seconds since the epoch), got '${typeof raw === 'string' ? raw : JSON.stringify(raw)}'`);
  return since;
}

/** Registers job invocation routes. */
export function registerJobInvocationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;

  app.post('/api/job_invocations', async (req, reply) => {
    const body = unwrap(req.body, 'job_invocation');
    const user = (req as unknown as { user?: CurrentUser }).user ?? null;
    const job = await db.transaction().execute(async (trx) => createJob(trx, ctx.store.dialect, await parseJobRequest(trx, body, user), user, ctx.secrets));
    ctx.dispatch.wake();
    const [shown] = await showJobs(db, ctx.settings, [job]);
    return reply.status(201).send(shown);
  });

  app.get('/api/job_invocations', async (req) => {
    const lp = listParams(req.query, ['id', 'description', 'job_category', 'start_at', 'started_at', 'ended_at']);
    // Only the jobs the user may view (ADR 0011): own jobs unless a role grants more.
    const scope = listScope((text) => compileJobInvocationSearch(text, ctx.store.dialect, currentUser(req)));
    const visible = scope === undefined ? db.selectFrom('job_invocations') : db.selectFrom('job_invocations').where(scope);
    const total = await countRows(visible);
    let q = visible;
    if (lp.search) q = q.where(compileJobInvocationSearch(lp.search, ctx.store.dialect, currentUser(req)));
    const subtotal = await countRows(q);
    const rows = await q
      .selectAll()
      .orderBy(lp.order ? (lp.order.by as 'id') : 'id', lp.order?.direction ?? 'desc')
      .limit(lp.perPage)
      .offset((lp.page - 1) * lp.perPage)
      .execute();
    return listResponse(lp, total, subtotal, await showJobs(db, ctx.settings, rows));
  });

  app.get('/api/job_invocations/:id', async (req) => {
    const job = await findJob(db, (req.params as { id: string }).id);
    const [shown] = await showJobs(db, ctx.settings, [job]);
    const includeHosts = (req.query as Record<string, string>).include_hosts !== 'false';
    if (!includeHosts || !shown) return shown;
    const hosts = await db
      .selectFrom('template_invocations as t')
      .innerJoin('hosts as h', 'h.id', 't.host_id')
      .select(['t.host_id', 'h.name', 't.state', 't.result', 't.exit_status', 't.message', 't.smart_proxy_id'])
      .where('t.job_invocation_id', '=', job.id)
      .orderBy('t.position')
      .limit(1000)
      .execute();
    return { ...shown, targeting: { ...(shown.targeting as object), hosts: hosts.map(serializeJobHost) } };
  });

  app.get('/api/job_invocations/:id/hosts', async (req) => {
    const job = await findJob(db, (req.params as { id: string }).id);
    const lp = listParams(req.query, ['name', 'id']);
    const query = req.query as Record<string, string>;
    let q = jobHostQuery(db, job.id);
    const total = job.total_hosts;
    if (query.awaiting === 'true') q = q.where('t.state', '=', 'awaiting');
    if (lp.search) q = q.where(compileJobHostSearch(lp.search, ctx.store.dialect, currentUser(req)));
    const subtotal = await countRows(q);
    const rows = await q
      .select(['t.host_id', 'h.name', 't.state', 't.result', 't.exit_status', 't.message', 't.smart_proxy_id'])
      .orderBy(lp.order?.by === 'id' ? 'h.id' : lp.order?.by === 'name' ? 'h.name' : 't.position', lp.order?.direction ?? 'asc')
      .limit(lp.perPage)
      .offset((lp.page - 1) * lp.perPage)
      .execute();
    return listResponse(lp, total, subtotal, rows.map(serializeJobHost));
  });

  app.post('/api/job_invocations/:id/cancel', async (req) => {
    const job = await findJob(db, (req.params as { id: string }).id);
    const params = requestParams(req);
    const force = field.bool(params, 'force') ?? false;
    const search = field.str(params, 'search');
    if (search === undefined || search === null || search.trim() === '') {
      const outcome = await cancelJob(ctx, job, force);
      return { cancelled: outcome.cancelled, id: outcome.id, stopped: outcome.stopped, requested: outcome.requested, unreachable: outcome.unreachable };
    }
    // Only the hosts a search over the job's hosts picks (Foreman: {total, cancelled, skipped}).
    const matching = (await jobHostQuery(db, job.id).where(compileJobHostSearch(search, ctx.store.dialect, currentUser(req))).select('t.id').orderBy('t.id').execute()).map((r) => r.id);
    const outcome = matching.length > 0 ? await cancelJob(ctx, job, force, matching) : null;
    const cancelled = new Set(outcome?.cancelledTaskIds ?? []);
    return { total: matching.length, cancelled: [...cancelled], skipped: matching.filter((id) => !cancelled.has(id)) };
  });

  app.post('/api/job_invocations/:id/rerun', async (req, reply) => {
    const job = await findJob(db, (req.params as { id: string }).id);
    const params = requestParams(req);
    const opts = { failedOnly: field.bool(params, 'failed_only') ?? false, succeededOnly: field.bool(params, 'succeeded_only') ?? false };
    const user = (req as unknown as { user?: CurrentUser }).user ?? null;
    const created = await db.transaction().execute(async (trx) => rerunJob(trx, ctx.store.dialect, job, opts, user, ctx.secrets));
    ctx.dispatch.wake();
    const [shown] = await showJobs(db, ctx.settings, [created]);
    return reply.status(201).send(shown);
  });

  app.get('/api/job_invocations/:id/hosts/:host_id', async (req) => {
    const job = await findJob(db, (req.params as { id: string }).id);
    if (job.state === 'queued' && job.mode === 'future') {
      // Not started yet (scheduled): Foreman's delayed answer. A dynamic job has no hosts until it starts.
      const hostRef = (req.params as { host_id: string }).host_id;
      if (job.targeting_type === 'dynamic_query') await findHost(db, hostRef);
      else await jobTask(db, job.id, hostRef);
      return { complete: false, refresh: true, output: [], delayed: true, start_at: job.start_at };
    }
    const { task } = await jobTask(db, job.id, (req.params as { host_id: string }).host_id);
    const query = req.query as Record<string, unknown>;
    const out = await taskOutput(db, task, sinceParam(query.since), { after: afterParam(query.after) });
    const hidden = (await jobHiddenInputs(db, [job])).get(job.id) ?? new Set<string>();
    // Stored masked (rendered with masks, dispatcher.ts); rows stored before that are masked here too.
    const script = task.rendered_script === null || hidden.size === 0 ? task.rendered_script : maskHiddenValues(task.rendered_script, openInputs(job.inputs, hidden, ctx.secrets), hidden);
    return { ...out, rendered_script: script, job_status: serializeJobHost({ ...task, name: '' }).job_status };
  });

  app.get('/api/job_invocations/:id/hosts/:host_id/raw', async (req, reply) => {
    const job = await findJob(db, (req.params as { id: string }).id);
    const { task } = await jobTask(db, job.id, (req.params as { host_id: string }).host_id);
    return reply.type('text/plain; charset=utf-8').send(taskRawOutput(db, task.id));
  });

  // Outputs of many hosts at once (Foreman's bulk endpoint), optionally only the hosts a host
  // search picks (`search_query`, the language of the job's hosts list). Paged by hosts
  // (`page`, `per_page`: default and at most 1,000) and bounded in size (see `tasksOutput`).
  const outputs = async (req: FastifyRequest) => {
    const job = await findJob(db, (req.params as { id: string }).id);
    const params = requestParams(req);
    const since = sinceParam(params.since);
    const search = field.str(params, 'search_query') ?? field.str(params, 'search');
    const lp = listParams({ page: params.page, per_page: params.per_page ?? 'all' }, []);
    let q = jobHostQuery(db, job.id);
    if (search) q = q.where(compileJobHostSearch(search, ctx.store.dialect, currentUser(req)));
    const total = await countRows(q);
    const tasks = await q
      .select(['t.id', 't.host_id', 't.state'])
      .orderBy('t.position')
      .orderBy('t.id')
      .limit(lp.perPage)
      .offset((lp.page - 1) * lp.perPage)
      .execute();
    const answer = await tasksOutput(db, tasks, { since, raw: field.bool(params, 'raw') ?? false });
    return { outputs: answer.outputs, total, page: lp.page, per_page: lp.perPage, truncated: answer.truncated };
  };
  app.get('/api/job_invocations/:id/outputs', outputs);
  app.post('/api/job_invocations/:id/outputs', outputs);

  app.get('/api/job_invocations/:id/stream', async (req, reply) => {
    const job = await findJob(db, (req.params as { id: string }).id);
    const hostRef = (req.query as Record<string, string | undefined>).host_id;
    if (hostRef === undefined || hostRef === '') {
      await streamJob(ctx, job.id, req, reply);
      return;
    }
    const { host, task } = await jobTask(db, job.id, hostRef);
    streamJobHost(ctx, job.id, { id: task.id, hostId: host.id, hostName: host.name }, req, reply);
  });
}
