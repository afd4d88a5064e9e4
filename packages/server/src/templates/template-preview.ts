/**
 * @module
 * Previews: a template rendered for one host with `preview?` true (the job-template preview
 * endpoint), and the generic render of a job (no host: user inputs evaluated, host-specific
 * inputs shown as `$FACT_INPUT[…]`-style placeholders) stored with the job for its page.
 */
import { InputError, coerceError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { hostQuery, selectHostColumns, toHostData } from '../hosts/host-serializer.ts';
import { tidyMasks } from '../jobs/compose/hidden-inputs.ts';
import { resolveHostParameters } from '../parameters/parameter-resolver.ts';
import type { LoadedTemplate } from './job-template-store.ts';
import type { HostData } from './template-renderer.ts';
import { loadTemplateLibrary, maskHiddenInputDefinitions, maskLibrary, renderForHost, templateSource } from './template-renderer.ts';

/** True for the errors of `@remex/erb` (syntax, render and `render_error` errors). */
export function isTemplateError(e: unknown): e is Error & { line?: number; col?: number; templateName?: string } {
  return e instanceof Error && /^Erb[A-Za-z]*Error$/.test(e.name);
}

/**
 * The renderer's view of one stored host for a preview (parameters resolved through the
 * hierarchy, hidden ones masked at the source so that no transform in the template can reveal
 * them; facts).
 */
export async function loadHostData(db: Kysely<Database>, hostId: number): Promise<HostData | null> {
  const h = await selectHostColumns(hostQuery(db)).where('h.id', '=', hostId).executeTakeFirst();
  if (!h) return null;
  const params = (await resolveHostParameters(db, [h])).get(h.id) ?? {};
  const facts: Record<string, string> = {};
  const subnet = h.subnet_id === null ? undefined : await db.selectFrom('subnets').select(['name', 'network', 'mask']).where('id', '=', h.subnet_id).executeTakeFirst();
  for (const f of await db.selectFrom('fact_values').select(['name', 'value']).where('host_id', '=', h.id).execute()) facts[f.name] = f.value;
  return toHostData(h, params, facts, subnet ?? null);
}


/**
 * Renders `template` in preview mode for `host` (null: generic). Template errors become an
 * InputError (HTTP 422) whose message carries the template name, line:col and an excerpt.
 */
export async function previewTemplate(
  db: Kysely<Database>,
  template: LoadedTemplate,
  host: HostData | null,
  inputs: Record<string, string>,
  currentUser: string | null,
): Promise<string> {
  const source = templateSource(template);
  // Other templates are needed only for render_template, snippets and foreign input sets.
  const needsLibrary = /render_template|snippet/.test(template.row.template) || template.foreignInputSets.length > 0;
  const library = needsLibrary ? await loadTemplateLibrary(db) : new Map<string, typeof source>();
  try {
    // Shown to a user: hidden inputs render as the mask, whatever their type or default.
    const library2 = maskLibrary(new Map([...library, [source.name, source]]));
    return tidyMasks(renderForHost({ template: maskHiddenInputDefinitions(source), library: library2, host, inputs, preview: true, currentUser }));
  } catch (e: unknown) {
    if (isTemplateError(e)) throw new InputError(`Failed rendering template: ${e.message}`, { code: 'render_error', cause: e });
    throw e;
  }
}

/**
 * The generic render stored with a job: no host, user inputs evaluated, the rest as
 * placeholders. A template that needs a host (e.g. branches on its OS) cannot be rendered
 * generically; the answer then says why instead of failing the job.
 */
export async function genericRender(db: Kysely<Database>, template: LoadedTemplate, inputs: Record<string, string>, currentUser: string | null): Promise<string> {
  try {
    return await previewTemplate(db, template, null, inputs, currentUser);
  } catch (e: unknown) {
    return `# A generic preview is not available: ${coerceError(e).message.split('\n')[0] ?? ''}\n`;
  }
}
