/**
 * @module
 * Rendering a job's template per host for dispatch. Each host's script is rendered twice: with
 * real values (hidden parameters and inputs opened) for the proxy only, and with every hidden
 * value masked at its source for `rendered_script`, the copy users see; the real one is never
 * stored.
 */
import { coerceError } from '@remex/common';
import type { JobTemplateSource } from '@remex/erb';
import type { Kysely } from 'kysely';

import type { Database, JobInvocationRow } from '../../db/schema.ts';
import { chunks } from '../../db/time.ts';
import { hostQuery, selectHostColumns, toHostData } from '../../hosts/host-serializer.ts';
import type { ResolvedParameter } from '../../parameters/parameter-resolver.ts';
import { hasHiddenParameters, maskedParameters, realParameters } from '../../parameters/parameter-resolver.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';
import type { LoadedTemplate } from '../../templates/job-template-store.ts';
import { findTemplate, loadTemplate } from '../../templates/job-template-store.ts';
import { loadTemplateLibrary, maskHiddenInputDefinitions, maskLibrary, renderForHost, templateSource } from '../../templates/template-renderer.ts';
import { jobHiddenInputs, maskHiddenValues, maskInputs, openInputs, tidyMasks } from '../compose/hidden-inputs.ts';
import { type JobSecrets, openJobSecrets } from '../compose/job-secrets.ts';

/** What rendering a job needs, loaded once per job. */
export interface JobRuntime {
  template: LoadedTemplate;
  library: Awaited<ReturnType<typeof loadTemplateLibrary>>;
  /** The template and library of the shown render: hidden inputs as masks (template-renderer.ts). */
  shownTemplate: JobTemplateSource;
  shownLibrary: ReadonlyMap<string, JobTemplateSource>;
  userLogin: string | null;
  /** The job's own connection secrets, opened (for the proxy only). */
  jobSecrets: JobSecrets;
  /** Real input values (for the proxy only). */
  inputs: Record<string, string>;
  /** Input values with hidden ones masked (for the stored, shown script). */
  maskedInputs: Record<string, string>;
  /** Names of the job's hidden inputs. */
  hiddenInputs: ReadonlySet<string>;
  needsFacts: boolean;
}

/** A host row as rendering needs it. */
export type DispatchHost = Awaited<ReturnType<typeof loadHosts>>[number];

/** Loads the runtime of `job` (template, library, opened inputs). */
export async function loadJobRuntime(db: Kysely<Database>, secrets: SecretBox, job: JobInvocationRow): Promise<JobRuntime> {
  const template = await loadTemplate(db, await findTemplate(db, job.template_id));
  const user = job.user_id === null ? undefined : await db.selectFrom('users').select('login').where('id', '=', job.user_id).executeTakeFirst();
  const usesOtherTemplates = /render_template|snippet/.test(template.row.template) || template.foreignInputSets.length > 0;
  const library = usesOtherTemplates ? await loadTemplateLibrary(db) : new Map([[template.row.name, templateSource(template)]]);
  const hiddenInputs = (await jobHiddenInputs(db, [job])).get(job.id) ?? new Set<string>();
  const inputs = openInputs(job.inputs, hiddenInputs, secrets);
  return {
    template,
    library,
    shownTemplate: maskHiddenInputDefinitions(templateSource(template)),
    shownLibrary: maskLibrary(library),
    userLogin: user?.login ?? null,
    jobSecrets: openJobSecrets(job, secrets),
    inputs,
    maskedInputs: maskInputs(inputs, hiddenInputs),
    hiddenInputs,
    needsFacts: usesOtherTemplates || /fact/.test(template.row.template) || template.inputs.some((i) => i.input_type === 'fact'),
  };
}

/** Hosts by id. */
export async function loadHostMap(db: Kysely<Database>, hostIds: readonly number[]): Promise<Map<number, DispatchHost>> {
  const hosts = new Map<number, DispatchHost>();
  for (const part of chunks(hostIds, 5000)) for (const h of await loadHosts(db, part)) hosts.set(h.id, h);
  return hosts;
}

/** Facts by host id. */
export async function loadFacts(db: Kysely<Database>, hostIds: number[]): Promise<Map<number, Record<string, string>>> {
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

/** One host's render: the real script (for the proxy) and the shown one, or why it failed. */
export type HostRender = { script: string; shown: string; hostParams: Record<string, string> } | { failure: string };

/**
 * Renders the job's template for host `h`.
 * @param opened - cache of opened hidden values, shared across the batch
 */
export function renderHostScript(
  rt: JobRuntime,
  h: DispatchHost,
  entries: ReadonlyMap<string, ResolvedParameter>,
  hostFacts: Record<string, string>,
  secrets: SecretBox,
  opened: Map<string, string>,
): HostRender {
  let hostParams: Record<string, string>;
  try {
    hostParams = realParameters(entries, secrets, opened);
  } catch (e: unknown) {
    return { failure: coerceError(e).message };
  }
  const render = (template: JobTemplateSource, library: ReadonlyMap<string, JobTemplateSource>, p: Record<string, string>, inputs: Record<string, string>) =>
    renderForHost({ template, library, host: toHostData(h, p, hostFacts), inputs, preview: false, currentUser: rt.userLogin });
  const maskInputsDiffer = Object.entries(rt.maskedInputs).some(([k, v]) => rt.inputs[k] !== v);
  const masked = maskInputsDiffer || rt.hiddenInputs.size > 0 || hasHiddenParameters(entries);
  const renderShown = (): string => render(rt.shownTemplate, rt.shownLibrary, maskedParameters(entries), rt.maskedInputs);
  let script: string;
  try {
    script = render(templateSource(rt.template), rt.library, hostParams, rt.inputs);
  } catch (e: unknown) {
    // The message is shown: take it from the masked render, or mask the real one's values.
    return { failure: `Failed rendering template: ${masked ? shownRenderError(renderShown, e, hiddenValues(entries, hostParams, rt)) : coerceError(e).message}` };
  }
  let shown = script;
  if (masked) {
    try {
      shown = tidyMasks(renderShown());
    } catch (e: unknown) {
      shown = `# The script cannot be shown with its hidden values masked: ${coerceError(e).message.split('\n')[0] ?? ''}\n`;
    }
  }
  return { script, shown, hostParams };
}

function loadHosts(db: Kysely<Database>, ids: number[]) {
  return selectHostColumns(hostQuery(db)).where('h.id', 'in', ids).execute();
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
