/**
 * @module
 * Dispatch (ARCHITECTURE step 3): takes due tasks, renders the template per host, picks a
 * proxy and sends host tasks to proxies in batches. Concurrency level is enforced here.
 * Each host's script is rendered twice: with real values (hidden parameters and inputs opened)
 * for the proxy only, and with every hidden value masked at its source for `rendered_script`,
 * the copy users see; the real one is never stored.
 * Claiming uses a conditional UPDATE (`state = 'awaiting'`), so several servers sharing a
 * PostgreSQL database never launch a task twice.
 */
import type { LaunchTask } from '@remex/common';
import { InternalError, coerceError } from '@remex/common';
import type { JobTemplateSource } from '@remex/erb';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';

import type { DispatchTrigger } from '../context.ts';
import type { Database, JobInvocationRow, SmartProxyRow } from '../db/schema.ts';
import { chunks, nowIso } from '../db/time.ts';
import type { JobEventBus } from '../events/event-bus.ts';
import { hostQuery, selectHostColumns, toHostData } from '../hosts/host-serializer.ts';
import type { ResolvedParameter } from '../parameters/parameter-resolver.ts';
import { hasHiddenParameters, maskedParameters, realParameters, resolveHostParameterEntries } from '../parameters/parameter-resolver.ts';
import { cancelTask, launchTasks } from '../proxies/proxy-client.ts';
import { endpointOf } from '../proxies/proxy-credentials.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { LoadedTemplate } from '../templates/job-template-store.ts';
import { findTemplate, loadTemplate } from '../templates/job-template-store.ts';
import { loadTemplateLibrary, maskHiddenInputDefinitions, maskLibrary, renderForHost, templateSource } from '../templates/template-renderer.ts';
import { jobHiddenInputs, maskHiddenValues, maskInputs, openInputs, tidyMasks } from './hidden-inputs.ts';
import { hostConnection } from './host-connection.ts';
import { TASK_CANCELLED, cancelAwaitingTasks } from './job-cancel.ts';
import { finishJobs, stopTasks } from './job-finisher.ts';
import { notStartedMessage } from './job-scheduling.ts';
import { startQueuedJob } from './job-targeting.ts';

/** Tasks taken per job per tick (Default: 2000). */
export const DISPATCH_BATCH = 2000;
/** How long a proxy that refused a batch is skipped (ms). */
const PROXY_DOWN_MS = 15_000;

/** Dependencies of the dispatcher. */
export interface DispatcherOptions {
  db: Kysely<Database>;
  settings: SettingsStore;
  bus: JobEventBus;
  /** Opens the proxies' credentials (to sign requests) and hidden values (for the scripts sent to proxies). */
  secrets: SecretBox;
  log: FastifyBaseLogger;
  /** Idle poll interval in ms (Default: 1000). */
  idleMs?: number;
}

interface JobRuntime {
  template: LoadedTemplate;
  library: Awaited<ReturnType<typeof loadTemplateLibrary>>;
  /** The template and library of the shown render: hidden inputs as masks (template-renderer.ts). */
  shownTemplate: JobTemplateSource;
  shownLibrary: ReadonlyMap<string, JobTemplateSource>;
  userLogin: string | null;
  /** Real input values (for the proxy only). */
  inputs: Record<string, string>;
  /** Input values with hidden ones masked (for the stored, shown script). */
  maskedInputs: Record<string, string>;
  /** Names of the job's hidden inputs. */
  hiddenInputs: ReadonlySet<string>;
  needsFacts: boolean;
}

/** The in-process dispatcher loop. */
export class DefaultDispatcher implements DispatchTrigger {
  readonly #o: DispatcherOptions;
  readonly #runtimes = new Map<number, JobRuntime>();
  readonly #down = new Map<number, number>();
  #running = false;
  #wakeUp: (() => void) | null = null;
  #pendingWake = false;
  #loop: Promise<void> | null = null;

  constructor(options: DispatcherOptions) {
    this.#o = options;
  }

  /** Starts the loop. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops the loop and waits for the current tick. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  /** Looks for work now. */
  wake(): void {
    this.#pendingWake = true;
    this.#wakeUp?.();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#pendingWake = false;
      let worked = false;
      try {
        worked = await this.tick();
      } catch (e: unknown) {
        this.#o.log.error({ err: coerceError(e) }, 'dispatcher tick failed');
      }
      if (!this.#running) break;
      if (worked || this.#pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#o.idleMs ?? 1000);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = null;
    }
  }

  /** One pass over due jobs; true when something was dispatched or finished. */
  async tick(): Promise<boolean> {
    const { db } = this.#o;
    const jobs = await db
      .selectFrom('job_invocations')
      .selectAll()
      .where('state', 'in', ['queued', 'running'])
      .where('start_at', '<=', nowIso())
      .orderBy('id')
      .limit(50)
      .execute();
    let worked = false;
    for (const job of jobs) {
      if (await this.#tickJob(job)) worked = true;
    }
    for (const id of this.#runtimes.keys()) if (!jobs.some((j) => j.id === id)) this.#runtimes.delete(id);
    return worked;
  }

  async #runtime(job: JobInvocationRow): Promise<JobRuntime> {
    let rt = this.#runtimes.get(job.id);
    if (!rt) {
      const { db } = this.#o;
      const template = await loadTemplate(db, await findTemplate(db, job.template_id));
      const user = job.user_id === null ? undefined : await db.selectFrom('users').select('login').where('id', '=', job.user_id).executeTakeFirst();
      const usesOtherTemplates = /render_template|snippet/.test(template.row.template) || template.foreignInputSets.length > 0;
      const library = usesOtherTemplates ? await loadTemplateLibrary(db) : new Map([[template.row.name, templateSource(template)]]);
      const hiddenInputs = (await jobHiddenInputs(db, [job])).get(job.id) ?? new Set<string>();
      const inputs = openInputs(job.inputs, hiddenInputs, this.#o.secrets);
      rt = {
        template,
        library,
        shownTemplate: maskHiddenInputDefinitions(templateSource(template)),
        shownLibrary: maskLibrary(library),
        userLogin: user?.login ?? null,
        inputs,
        maskedInputs: maskInputs(inputs, hiddenInputs),
        hiddenInputs,
        needsFacts: usesOtherTemplates || /fact/.test(template.row.template) || template.inputs.some((i) => i.input_type === 'fact'),
      };
      this.#runtimes.set(job.id, rt);
    }
    return rt;
  }

  async #tickJob(job: JobInvocationRow): Promise<boolean> {
    const { db, bus } = this.#o;
    if (job.start_before !== null && job.start_before <= nowIso()) {
      // Past the deadline: a job not started fails, hosts not yet sent end cancelled.
      if (job.state === 'queued') return this.#expire(job, job.start_before);
      const late = await cancelAwaitingTasks(db, job.id, notStartedMessage(job.start_before));
      if (late.length > 0) bus.publish([{ kind: 'progress', jobId: job.id }]);
    }
    if (job.state === 'queued') {
      // Claims the job; a dynamic_query job resolves its hosts now (job-targeting.ts).
      if (!(await startQueuedJob(db, job))) return false;
      bus.publish([{ kind: 'progress', jobId: job.id }]);
    }
    const inflight = Number(
      (
        await db
          .selectFrom('template_invocations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('job_invocation_id', '=', job.id)
          .where('state', 'in', ['planned', 'running'])
          .executeTakeFirstOrThrow()
      ).n,
    );
    const capacity = job.concurrency_level ? Math.min(DISPATCH_BATCH, Math.max(0, job.concurrency_level - inflight)) : DISPATCH_BATCH;
    if (capacity === 0) return false;
    const tasks = await db
      .selectFrom('template_invocations')
      .select(['id', 'host_id'])
      .where('job_invocation_id', '=', job.id)
      .where('state', '=', 'awaiting')
      .orderBy('position')
      .limit(capacity)
      .execute();
    if (tasks.length === 0) {
      if (inflight > 0) return false;
      const done = await finishJobs(db, [job.id]);
      if (done.length > 0) bus.publish([{ kind: 'progress', jobId: job.id, stopped: true }]);
      return done.length > 0;
    }
    await this.#dispatch(job, tasks);
    return true;
  }

  async #dispatch(job: JobInvocationRow, tasks: ReadonlyArray<{ id: number; host_id: number }>): Promise<void> {
    const { db, settings } = this.#o;
    let rt: JobRuntime;
    try {
      rt = await this.#runtime(job);
    } catch (e: unknown) {
      // A hidden input that cannot be opened (another REMEX_SECRET_KEY) fails the hosts, not every tick.
      if (!(e instanceof InternalError)) throw e;
      await this.#fail(db, job.id, tasks.map((t) => ({ id: t.id, message: e.message })));
      return;
    }
    const hostIds = tasks.map((t) => t.host_id);
    const hosts = new Map<number, Awaited<ReturnType<typeof loadHosts>>[number]>();
    for (const part of chunks(hostIds, 5000)) for (const h of await loadHosts(db, part)) hosts.set(h.id, h);
    const params = await resolveHostParameterEntries(db, [...hosts.values()]);
    const opened = new Map<string, string>();
    const maskInputsDiffer = Object.entries(rt.maskedInputs).some(([k, v]) => rt.inputs[k] !== v);
    const facts = rt.needsFacts ? await loadFacts(db, hostIds) : new Map<number, Record<string, string>>();
    const proxies = await db.selectFrom('smart_proxies').selectAll().orderBy('id').execute();
    const subnetProxies = await db.selectFrom('subnet_proxies').selectAll().execute();
    const load = await proxyLoad(db);

    const failures: Array<{ id: number; message: string }> = [];
    const byProxy = new Map<number, LaunchTask[]>();
    const candidates = new Map<number, SmartProxyRow[]>();
    /** The scripts to store per task: rendered with masks. */
    const scripts = new Map<number, string>();
    for (const t of tasks) {
      const h = hosts.get(t.host_id);
      if (!h) {
        failures.push({ id: t.id, message: 'The host was deleted before the job ran on it' });
        continue;
      }
      const entries = params.get(h.id) ?? new Map<string, ResolvedParameter>();
      let hostParams: Record<string, string>;
      try {
        hostParams = realParameters(entries, this.#o.secrets, opened);
      } catch (e: unknown) {
        failures.push({ id: t.id, message: coerceError(e).message });
        continue;
      }
      const hostFacts = facts.get(h.id) ?? {};
      const render = (template: JobTemplateSource, library: ReadonlyMap<string, JobTemplateSource>, p: Record<string, string>, inputs: Record<string, string>) =>
        renderForHost({ template, library, host: toHostData(h, p, hostFacts), inputs, preview: false, currentUser: rt.userLogin });
      const masked = maskInputsDiffer || rt.hiddenInputs.size > 0 || hasHiddenParameters(entries);
      const renderShown = (): string => render(rt.shownTemplate, rt.shownLibrary, maskedParameters(entries), rt.maskedInputs);
      let script: string;
      try {
        script = render(templateSource(rt.template), rt.library, hostParams, rt.inputs);
      } catch (e: unknown) {
        // The message is shown: take it from the masked render, or mask the real one's values.
        failures.push({ id: t.id, message: `Failed rendering template: ${masked ? shownRenderError(renderShown, e, hiddenValues(entries, hostParams, rt)) : coerceError(e).message}` });
        continue;
      }
      let shown = script;
      if (masked) {
        try {
          shown = tidyMasks(renderShown());
        } catch (e: unknown) {
          shown = `# The script cannot be shown with its hidden values masked: ${coerceError(e).message.split('\n')[0] ?? ''}\n`;
        }
      }
      const pool = pickProxies(h.subnet_id, proxies, subnetProxies, settings);
      const live = pool.filter((p) => (this.#down.get(p.id) ?? 0) < Date.now());
      if (pool.length === 0) {
        failures.push({ id: t.id, message: 'Could not use any proxy for the script job. Consider configuring remote_execution_global_proxy, remote_execution_fallback_proxy in settings' });
        continue;
      }
      if (live.length === 0) {
        failures.push({ id: t.id, message: pool.length === 1 ? `The only applicable proxy ${pool[0]?.name ?? ''} is down` : `All ${pool.length} applicable proxies are down. Tried ${pool.map((p) => p.name).join(', ')}` });
        continue;
      }
      live.sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0));
      const proxy = live[0] as SmartProxyRow;
      load.set(proxy.id, (load.get(proxy.id) ?? 0) + 1);
      const conn = hostConnection(h, hostParams, settings, job, rt.template, rt.userLogin);
      scripts.set(t.id, shown);
      candidates.set(t.id, live);
      const task: LaunchTask = {
        task_id: t.id,
        job_invocation_id: job.id,
        provider: 'script',
        host_name: h.name,
        address: conn.address,
        port: conn.port,
        ssh_user: conn.sshUser,
        effective_user: conn.effectiveUser,
        effective_user_method: conn.effectiveUserMethod,
        script,
        remote_working_dir: conn.remoteWorkingDir,
        cleanup_working_dirs: conn.cleanup,
        ...(job.execution_timeout_interval ? { execution_timeout_interval: job.execution_timeout_interval } : {}),
        ...(conn.secrets ? { secrets: conn.secrets } : {}),
      };
      const list = byProxy.get(proxy.id) ?? [];
      list.push(task);
      byProxy.set(proxy.id, list);
    }
    await this.#fail(db, job.id, failures);
    await Promise.all([...byProxy].map(([proxyId, list]) => this.#send(job, proxyId, list, proxies, scripts, candidates)));
  }

  async #send(
    job: JobInvocationRow,
    proxyId: number,
    list: LaunchTask[],
    proxies: readonly SmartProxyRow[],
    scripts: ReadonlyMap<number, string>,
    candidates: ReadonlyMap<number, SmartProxyRow[]>,
  ): Promise<void> {
    const { db } = this.#o;
    const proxy = proxies.find((p) => p.id === proxyId);
    if (!proxy) return;
    // Claim: only tasks still awaiting move to planned; the rest were taken by someone else.
    const claimed = new Set<number>();
    await db.transaction().execute(async (trx) => {
      for (const part of chunks(list, 2000)) {
        const rows = await trx
          .updateTable('template_invocations')
          .set({ state: 'planned', smart_proxy_id: proxyId })
          .where('id', 'in', part.map((t) => t.task_id))
          .where('state', '=', 'awaiting')
          .returning('id')
          .execute();
        for (const r of rows) claimed.add(r.id);
      }
      // Many hosts usually share one rendered script: one UPDATE per distinct text.
      const byScript = new Map<string, number[]>();
      for (const id of claimed) {
        const text = scripts.get(id) ?? '';
        const ids = byScript.get(text) ?? [];
        ids.push(id);
        byScript.set(text, ids);
      }
      for (const [text, ids] of byScript) {
        for (const part of chunks(ids, 2000)) await trx.updateTable('template_invocations').set({ rendered_script: text }).where('id', 'in', part).execute();
      }
    });
    const mine = list.filter((t) => claimed.has(t.task_id));
    for (const part of chunks(mine, 1000)) {
      let launched = false;
      try {
        await launchTasks(endpointOf(proxy, this.#o.secrets), part);
        launched = true;
        // The batch is on the proxy now: a failure below must not be taken for a refused launch
        // (that would requeue running tasks elsewhere and run them twice).
        await this.#forwardCancels(proxy, part.map((t) => t.task_id));
      } catch (e: unknown) {
        if (launched) {
          this.#o.log.warn({ proxy: proxy.name, err: coerceError(e) }, 'could not pass on cancels that came while tasks were on their way to the proxy');
          continue;
        }
        this.#o.log.warn({ proxy: proxy.name, err: coerceError(e) }, 'proxy refused a batch');
        this.#down.set(proxy.id, Date.now() + PROXY_DOWN_MS);
        const others = part.filter((t) => (candidates.get(t.task_id) ?? []).some((p) => p.id !== proxy.id));
        const stranded = part.filter((t) => !others.includes(t));
        if (others.length > 0) {
          const ids = others.map((t) => t.task_id);
          await db.updateTable('template_invocations').set({ state: 'awaiting', smart_proxy_id: null }).where('id', 'in', ids).where('cancel_requested_at', 'is', null).execute();
          await db.updateTable('template_invocations').set({ state: 'stopped', result: 'cancelled', message: TASK_CANCELLED, ended_at: nowIso() }).where('id', 'in', ids).where('state', '=', 'planned').where('cancel_requested_at', 'is not', null).execute();
          this.wake();
        }
        const pool = (t: LaunchTask) => candidates.get(t.task_id) ?? [proxy];
        // Say why (unreachable, or refused: e.g. a token mismatch) so the failure can be acted on.
        const reason = coerceError(e).message;
        const refusal = /refused the tasks: (.*)$/s.exec(reason)?.[1];
        const down = (t: LaunchTask) =>
          pool(t).length <= 1 ? `The only applicable proxy ${proxy.name} is down (${reason})` : `All ${pool(t).length} applicable proxies are down. Tried ${pool(t).map((p) => p.name).join(', ')} (${reason})`;
        await this.#fail(
          db,
          job.id,
          stranded.map((t) => ({ id: t.task_id, message: refusal === undefined ? down(t) : `Proxy ${proxy.name} refused the task: ${refusal.slice(0, 300)}` })),
        );
      }
    }
  }

  /** A queued job whose `start_before` passed: the job fails and its hosts end cancelled (Dynflow's delayed-plan timeout). */
  async #expire(job: JobInvocationRow, startBefore: string): Promise<boolean> {
    const expired = await this.#o.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('job_invocations')
        .set({ state: 'stopped', result: 'error', ended_at: nowIso() })
        .where('id', '=', job.id)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await cancelAwaitingTasks(trx, job.id, notStartedMessage(startBefore));
      return true;
    });
    if (expired) this.#o.bus.publish([{ kind: 'progress', jobId: job.id, stopped: true }]);
    return expired;
  }

  /** Passes on cancels asked while these tasks were on their way to the proxy (job-cancel.ts). */
  async #forwardCancels(proxy: SmartProxyRow, taskIds: readonly number[]): Promise<void> {
    const asked = await this.#o.db
      .selectFrom('template_invocations')
      .select('id')
      .where('id', 'in', taskIds)
      .where('cancel_requested_at', 'is not', null)
      .execute();
    const endpoint = endpointOf(proxy, this.#o.secrets);
    for (const t of asked) await cancelTask(endpoint, t.id);
  }

  /** Fails tasks before they reach a proxy: a debug line (seq 0) and an error result. */
  async #fail(db: Kysely<Database>, jobId: number, failures: ReadonlyArray<{ id: number; message: string }>): Promise<void> {
    if (failures.length === 0) return;
    const now = Date.now() / 1000;
    await db.transaction().execute(async (trx) => {
      for (const part of chunks(failures, 500)) {
        await trx
          .insertInto('template_invocation_events')
          .values(part.map((f) => ({ job_invocation_id: jobId, task_id: f.id, seq: 0, event_type: 'debug', data: f.message, timestamp: now })))
          .onConflict((oc) => oc.columns(['task_id', 'seq']).doNothing())
          .execute();
      }
      for (const f of failures) await stopTasks(trx, [{ id: f.id, exit: null, result: 'error', message: f.message }]);
    });
    this.#o.bus.publish([{ kind: 'progress', jobId }]);
  }
}

function loadHosts(db: Kysely<Database>, ids: number[]) {
  return selectHostColumns(hostQuery(db)).where('h.id', 'in', ids).execute();
}

async function loadFacts(db: Kysely<Database>, hostIds: number[]): Promise<Map<number, Record<string, string>>> {
  const out = new Map<number, Record<string, string>>();
  for (const part of chunks(hostIds, 5000)) {
    for (const f of await db.selectFrom('fact_values').select(['host_id', 'name', 'value']).where('host_id', 'in', part).execute()) {
      const m = out.get(f.host_id) ?? {};
      m[f.name] = f.value;
      out.set(f.host_id, m);
    }
  }
  return out;
}

async function proxyLoad(db: Kysely<Database>): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('template_invocations')
    .select(['smart_proxy_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['planned', 'running'])
    .where('smart_proxy_id', 'is not', null)
    .groupBy('smart_proxy_id')
    .execute();
  return new Map(rows.map((r) => [r.smart_proxy_id ?? 0, Number(r.n)]));
}

/** Proxy strategies in order: the host subnet's REX proxies, then (global setting) every proxy. */
function pickProxies(
  subnetId: number | null,
  proxies: readonly SmartProxyRow[],
  subnetProxies: ReadonlyArray<{ subnet_id: number; smart_proxy_id: number }>,
  settings: SettingsStore,
): SmartProxyRow[] {
  if (subnetId !== null) {
    const ids = new Set(subnetProxies.filter((s) => s.subnet_id === subnetId).map((s) => s.smart_proxy_id));
    const fromSubnet = proxies.filter((p) => ids.has(p.id));
    if (fromSubnet.length > 0) return fromSubnet;
  }
  const global = settings.get('remote_execution_global_proxy');
  return global === true || global === 'true' ? [...proxies] : [];
}

/** The hidden values of one host's render (parameters and inputs), for masking an error message. */
function hiddenValues(entries: ReadonlyMap<string, ResolvedParameter>, real: Record<string, string>, rt: JobRuntime): { values: Record<string, string>; names: Set<string> } {
  const values: Record<string, string> = {};
  const names = new Set<string>();
  for (const [name, e] of entries) {
    if (!e.hidden) continue;
    values[`param:${name}`] = real[name] ?? '';
    names.add(`param:${name}`);
  }
  for (const name of rt.hiddenInputs) {
    values[`input:${name}`] = rt.inputs[name] ?? '';
    names.add(`input:${name}`);
  }
  return { values, names };
}

/**
 * The message of a failed render as it may be shown: the masked render's own error when it fails
 * too, else the real error with every hidden value masked.
 */
function shownRenderError(renderShown: () => string, real: unknown, hidden: { values: Record<string, string>; names: Set<string> }): string {
  try {
    renderShown();
  } catch (e: unknown) {
    return coerceError(e).message;
  }
  return maskHiddenValues(coerceError(real).message, hidden.values, hidden.names);
}
