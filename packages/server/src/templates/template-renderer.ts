/**
 * @module
 * Adapter from stored templates and hosts to `@remex/erb`'s pure job-template renderer.
 * Templates are parsed once per (name, source) through a shared cache.
 */
import type { HostData, JobTemplateSource, TemplateCache, TemplateInputDefinition } from '@remex/erb';
import { createTemplateCache, renderJobTemplate } from '@remex/erb';
import type { Kysely } from 'kysely';

import type { Database, TemplateInputRow } from '../db/schema.ts';
import { isSet } from '../db/time.ts';
import type { LoadedTemplate } from './job-template-store.ts';
import { inputOptions, loadTemplate } from './job-template-store.ts';

const cache: TemplateCache = createTemplateCache(500);

function inputDefinition(i: TemplateInputRow): TemplateInputDefinition {
  return {
    name: i.name,
    input_type: i.input_type as TemplateInputDefinition['input_type'],
    required: isSet(i.required),
    default: i.default_value,
    options: inputOptions(i),
    hidden_value: isSet(i.hidden_value),
    fact_name: i.fact_name,
    variable_name: i.variable_name,
    puppet_class_name: i.puppet_class_name,
    puppet_parameter_name: i.puppet_parameter_name,
    description: i.description,
    advanced: isSet(i.advanced),
  };
}

/** The renderer's view of a stored template. */
export function templateSource(t: LoadedTemplate): JobTemplateSource {
  return {
    name: t.row.name,
    template: t.row.template,
    inputs: t.inputs.map(inputDefinition),
    foreign_input_sets: t.foreignInputSets.map((f) => ({
      target_template: f.target_template_name,
      include_all: isSet(f.include_all),
      include: f.include ?? '',
      exclude: f.exclude ?? '',
    })),
  };
}

/** What a hidden input renders as in a script shown to a user. */
const INPUT_MASK = '*****';

/**
 * `source` for a render shown to a user: every hidden input (user, fact, variable or puppet
 * parameter) becomes a user input whose default is the mask, so that neither its default, nor a
 * host fact or parameter it reads, shows. Give the invocation values masked too.
 */
export function maskHiddenInputDefinitions(source: JobTemplateSource): JobTemplateSource {
  if (!source.inputs.some((i) => i.hidden_value)) return source;
  return { ...source, inputs: source.inputs.map((i) => (i.hidden_value ? { ...i, input_type: 'user', required: false, default: INPUT_MASK } : i)) };
}

/** {@link maskHiddenInputDefinitions} over a whole template library. */
export function maskLibrary(library: ReadonlyMap<string, JobTemplateSource>): Map<string, JobTemplateSource> {
  return new Map([...library].map(([name, src]) => [name, maskHiddenInputDefinitions(src)]));
}

/** Loads every template as renderer sources, for `render_template` and `snippet` lookups. */
export async function loadTemplateLibrary(db: Kysely<Database>): Promise<Map<string, JobTemplateSource>> {
  const rows = await db.selectFrom('job_templates').selectAll().execute();
  const out = new Map<string, JobTemplateSource>();
  for (const r of rows) out.set(r.name, templateSource(await loadTemplate(db, r)));
  return out;
}

/** Renders `template` for one host (or none, in generic preview). Throws Erb errors. */
export function renderForHost(options: {
  template: JobTemplateSource;
  library: ReadonlyMap<string, JobTemplateSource>;
  host: HostData | null;
  inputs: Record<string, string>;
  preview: boolean;
  currentUser: string | null;
}): string {
  return renderJobTemplate({
    template: options.template,
    lookupTemplate: (name) => options.library.get(name),
    host: options.host,
    inputValues: options.inputs,
    preview: options.preview,
    currentUser: options.currentUser,
    cache,
  });
}

export type { HostData } from '@remex/erb';
