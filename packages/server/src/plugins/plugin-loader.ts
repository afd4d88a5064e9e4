/**
 * @module
 * Loads the plugins named in the configuration (`REMEX_PLUGINS`, a comma list of npm package
 * names or paths) and calls their `register(remex)` with the plugin API. A plugin that cannot be
 * loaded stops the server start with an error naming it.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { InternalError, coerceError } from '@remex/common';

import type { ServerContext } from '../context.ts';
import { registerFeature } from '../features/feature-store.ts';
import { createJob, parseJobRequest } from '../jobs/compose/job-composer.ts';
import { importTemplate } from '../templates/template-import.ts';
import { parseMetadata } from '../templates/template-metadata.ts';
import type { FeatureComposer, RemexPluginApi, RemexPluginModule, TriggeredJob } from './plugin-api.ts';

/** Parses a comma-separated plugin list (blank entries dropped). */
export function parsePluginList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The entry of a package directory: `exports['.']` (import/default), else `main`, else `index.js`. */
function packageEntry(dir: string): string {
  let pkg: { exports?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports?: unknown; main?: unknown };
  } catch {
    return dir;
  }
  const dot: unknown = typeof pkg.exports === 'object' && pkg.exports !== null && '.' in pkg.exports ? (pkg.exports as Record<string, unknown>)['.'] : pkg.exports;
  const conditional = typeof dot === 'object' && dot !== null ? ((dot as Record<string, unknown>).import ?? (dot as Record<string, unknown>).default) : dot;
  const entry = typeof conditional === 'string' ? conditional : typeof pkg.main === 'string' ? pkg.main : 'index.js';
  return path.resolve(dir, entry);
}

/**
 * Module URL of plugin `spec`: a path (`./x`, `/x`, `file:`; a package directory is taken at its
 * entry) or a package resolved from the working directory.
 */
export function resolvePlugin(spec: string, cwd = process.cwd()): string {
  if (spec.startsWith('file:')) return spec;
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const target = path.resolve(cwd, spec);
    return pathToFileURL(isDirectory(target) ? packageEntry(target) : target).href;
  }
  try {
    return pathToFileURL(createRequire(path.join(cwd, 'package.json')).resolve(spec)).href;
  } catch {
    return spec;
  }
}

/**
 * Imports a plugin module. A TypeScript plugin loaded by the built `remex` (plain Node, no
 * TypeScript loader) gets tsx's loader registered first, when tsx is installed; otherwise the
 * error says to build the plugin.
 */
async function importPlugin(url: string): Promise<unknown> {
  try {
    return await import(url);
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    const tsx = (await import('tsx/esm/api').catch(() => null)) as { register?: () => unknown } | null;
    if (typeof tsx?.register !== 'function') throw new Error(`${coerceError(e).message}: the plugin is TypeScript and tsx is not installed; build the plugin to JavaScript or install tsx`, { cause: e });
    tsx.register();
    // The failed import is cached under its URL: the retry asks for a distinct one.
    return import(`${url}${url.includes('?') ? '&' : '?'}tsx`);
  }
}

/** The feature composer of a running server. */
export function createFeatureComposer(ctx: ServerContext): FeatureComposer {
  const db = ctx.store.db;
  return {
    forFeature(label, hosts, inputs = {}) {
      return {
        async trigger(): Promise<TriggeredJob> {
          const body = { feature: label, targeting_type: 'static_query', host_ids: [...hosts].map(String), inputs: { ...inputs } };
          const job = await db.transaction().execute(async (trx) => createJob(trx, ctx.store.dialect, await parseJobRequest(trx, body), null, ctx.secrets));
          ctx.dispatch.wake();
          return { id: job.id, description: job.description, totalHosts: job.total_hosts };
        },
      };
    },
  };
}

/** The API handed to one plugin. */
export function createPluginApi(ctx: ServerContext, pluginName: string): RemexPluginApi {
  const db = ctx.store.db;
  const log = ctx.log.child({ plugin: pluginName });
  return {
    async registerFeature(def) {
      await registerFeature(db, def);
    },
    async importTemplate(text) {
      const sync = ctx.settings.get('remote_execution_sync_templates') !== false;
      return db.transaction().execute(async (trx) => {
        const r = await importTemplate(trx, text, { overwrite: sync, force: true, lock: true }).catch((e: unknown) => {
          // Not syncing and already there: keep the stored (possibly edited) template.
          if (!sync && coerceError(e).name === 'ConflictError') return null;
          throw e;
        });
        if (r) return r.row.id;
        const meta = parseMetadata(text);
        const name = typeof meta.name === 'string' ? meta.name.trim() : '';
        const row = await trx.selectFrom('job_templates').select('id').where('name', '=', name).executeTakeFirstOrThrow();
        return row.id;
      });
    },
    composer: createFeatureComposer(ctx),
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
  };
}

/** Loads and registers every plugin in `specs`, in order. */
export async function loadPlugins(specs: readonly string[], ctx: ServerContext): Promise<string[]> {
  const loaded: string[] = [];
  for (const spec of specs) {
    let mod: Partial<RemexPluginModule>;
    try {
      mod = (await importPlugin(resolvePlugin(spec))) as Partial<RemexPluginModule>;
    } catch (e: unknown) {
      throw new InternalError(`Plugin '${spec}' could not be loaded: ${coerceError(e).message}`, { cause: e });
    }
    if (typeof mod.register !== 'function') throw new InternalError(`Plugin '${spec}' does not export a register(remex) function`);
    try {
      await mod.register(createPluginApi(ctx, spec));
    } catch (e: unknown) {
      throw new InternalError(`Plugin '${spec}' failed to register: ${coerceError(e).message}`, { cause: e });
    }
    ctx.log.info({ plugin: spec }, 'plugin loaded');
    loaded.push(spec);
  }
  return loaded;
}
