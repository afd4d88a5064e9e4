/**
 * @module
 * Turns claimed tasks into launch requests grouped by proxy: renders each host's script
 * (render-for-dispatch.ts), chooses its proxy (proxy-selection.ts) and its connection
 * (host-connection.ts). Tasks that cannot be sent come back as failures with the reason.
 */
import type { LaunchTask } from '@remex/common';
import type { Kysely } from 'kysely';

import { authorizeTasks } from '../../authz/job-authorization.ts';
import type { Database, JobInvocationRow, SmartProxyRow } from '../../db/schema.ts';
import type { ResolvedParameter } from '../../parameters/parameter-resolver.ts';
import { resolveHostParameterEntries } from '../../parameters/parameter-resolver.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';
import type { SettingsStore } from '../../settings/settings-store.ts';
import { hostConnection } from './host-connection.ts';
import { dialectOf } from '../compose/job-targeting.ts';
import type { TaskFailure } from './fail-tasks.ts';
import type { DownProxies } from './proxy-selection.ts';
import { chooseProxy, loadProxyView } from './proxy-selection.ts';
import type { JobRuntime } from './render-for-dispatch.ts';
import { loadFacts, loadHostMap, renderHostScript } from './render-for-dispatch.ts';

/** Launch requests per proxy, and what to store or fail. */
export interface Batch {
  byProxy: Map<number, LaunchTask[]>;
  proxies: SmartProxyRow[];
  /** The scripts to store per task: rendered with masks. */
  scripts: Map<number, string>;
  /** Live proxies each task could use (for failover). */
  candidates: Map<number, SmartProxyRow[]>;
  failures: TaskFailure[];
}

/** What building a batch needs. */
export interface BatchContext {
  db: Kysely<Database>;
  settings: SettingsStore;
  secrets: SecretBox;
  down: DownProxies;
  /** Name of the built-in runner's proxy (`remote_execution_without_proxy`). */
  builtinProxy: string;
}

/** Longest stretch of rendering (ms) before the batch yields to the event loop. */
const YIELD_AFTER_MS = 20;

/** Builds the launch requests of `tasks` of `job`. */
export async function buildBatch(c: BatchContext, job: JobInvocationRow, rt: JobRuntime, claimed: ReadonlyArray<{ id: number; host_id: number }>): Promise<Batch> {
  // Run-time authorization with the owner's permissions as they are now (ADR 0011).
  const { allowed: tasks, refused } = await authorizeTasks(c.db, job, claimed, dialectOf(c.db));
  const hostIds = tasks.map((t) => t.host_id);
  const hosts = await loadHostMap(c.db, hostIds);
  const params = await resolveHostParameterEntries(c.db, [...hosts.values()]);
  const opened = new Map<string, string>();
  const facts = rt.needsFacts ? await loadFacts(c.db, hostIds) : new Map<number, Record<string, string>>();
  const view = await loadProxyView(c.db);
  const batch: Batch = { byProxy: new Map(), proxies: view.proxies, scripts: new Map(), candidates: new Map(), failures: [...refused] };
  let slice = performance.now();
  for (const t of tasks) {
    // Renders are synchronous and each may use up to the render time limit: give the event loop
    // back every few milliseconds so a batch of slow templates never holds the API (or SIGTERM).
    if (performance.now() - slice > YIELD_AFTER_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    const h = hosts.get(t.host_id);
    if (!h) {
      batch.failures.push({ id: t.id, message: 'The host was deleted before the job ran on it' });
      continue;
    }
    const rendered = renderHostScript(rt, h, params.get(h.id) ?? new Map<string, ResolvedParameter>(), facts.get(h.id) ?? {}, c.secrets, opened);
    if ('failure' in rendered) {
      batch.failures.push({ id: t.id, message: rendered.failure });
      continue;
    }
    const choice = chooseProxy(h, view, c.down, c.settings, c.builtinProxy);
    if ('failure' in choice) {
      batch.failures.push({ id: t.id, message: choice.failure });
      continue;
    }
    const conn = hostConnection(h, rendered.hostParams, c.settings, job, rt.template, rt.userLogin, rt.jobSecrets);
    batch.scripts.set(t.id, rendered.shown);
    batch.candidates.set(t.id, choice.live);
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
      script: rendered.script,
      remote_working_dir: conn.remoteWorkingDir,
      cleanup_working_dirs: conn.cleanup,
      ...(job.execution_timeout_interval ? { execution_timeout_interval: job.execution_timeout_interval } : {}),
      ...(conn.transport ? { transport: conn.transport } : {}),
      ...(conn.asyncSsh !== undefined ? { async_ssh: conn.asyncSsh } : {}),
      ...(conn.secrets ? { secrets: conn.secrets } : {}),
    };
    const list = batch.byProxy.get(choice.proxy.id) ?? [];
    list.push(task);
    batch.byProxy.set(choice.proxy.id, list);
  }
  return batch;
}
