/**
 * @module
 * Foreman's template metadata header (reference §1b): the first ERB comment of a template file
 * holds YAML (`<%# kind: job_template … %>`). Parsing follows `Template.parse_metadata` (the
 * same regular expression, a safe YAML 1.1 load, invalid → `{}`); the stored body is the text
 * without that comment; export writes `JobTemplate#to_erb`'s format and file name.
 */
import { parse, stringify } from 'yaml';

import { isSet } from '../db/time.ts';
import type { LoadedTemplate } from './job-template-store.ts';

/** Foreman's `/<%\#[\t a-z0-9=:]*(.+?).-?%>/m` (Ruby `m` = dot matches newline). */
const METADATA_RE = /<%#[\t a-z0-9=:]*([\s\S]+?)[\s\S]-?%>/;
/** Foreman's `/<%\#.+?.-?%>\n?/m`, used to strip the header from the stored body. */
const STRIP_RE = /<%#[\s\S]+?[\s\S]-?%>\n?/;

/** Parsed metadata: a plain object (empty when there is no header or its YAML is invalid). */
export type TemplateMetadata = Record<string, unknown>;

/** Reads the metadata header of `text`. */
export function parseMetadata(text: string): TemplateMetadata {
  const m = METADATA_RE.exec(text);
  if (!m?.[1]) return {};
  try {
    // Psych (Ruby) is YAML 1.1; no custom tags, no aliases beyond the parser's defaults.
    const value: unknown = parse(m[1], { version: '1.1', schema: 'yaml-1.1', customTags: [], maxAliasCount: 0, uniqueKeys: false });
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as TemplateMetadata) : {};
  } catch {
    return {};
  }
}

/** The body without the metadata comment, stripped of surrounding whitespace. */
export function stripMetadata(text: string): string {
  return text.replace(STRIP_RE, '').trim();
}

function blank(v: unknown): boolean {
  return v === null || v === undefined || v === false || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function compact(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => !blank(v)));
}

/** The metadata Remex exports for a template (blank values omitted, as Foreman does). */
export function exportMetadata(t: LoadedTemplate, feature: string | null): Record<string, unknown> {
  const r = t.row;
  return compact({
    kind: 'job_template',
    name: r.name,
    model: 'JobTemplate',
    job_category: r.job_category,
    description_format: r.description_format,
    description: r.description,
    snippet: isSet(r.snippet),
    provider_type: r.provider_type,
    feature,
    template_inputs: t.inputs.map((i) =>
      compact({
        name: i.name,
        required: isSet(i.required),
        input_type: i.input_type,
        description: i.description,
        options: i.options,
        advanced: isSet(i.advanced),
        value_type: i.value_type,
        default: i.default_value,
        hidden_value: isSet(i.hidden_value),
        ...(i.input_type === 'fact' ? { fact_name: i.fact_name } : {}),
        ...(i.input_type === 'variable' ? { variable_name: i.variable_name } : {}),
        ...(i.input_type === 'puppet_parameter' ? { puppet_class_name: i.puppet_class_name, puppet_parameter_name: i.puppet_parameter_name } : {}),
      }),
    ),
    foreign_input_sets: t.foreignInputSets.map((f) =>
      compact({ template: f.target_template_name, include_all: isSet(f.include_all), include: f.include, exclude: f.exclude }),
    ),
  });
}

/** `JobTemplate#to_erb`: `<%#\n` + YAML + `\n%>\n\n` + body. */
export function templateToErb(t: LoadedTemplate, feature: string | null): string {
  const yaml = stringify(exportMetadata(t, feature), { version: '1.1', lineWidth: 0 }).replace(/^---\n/, '').trim();
  return `<%#\n${yaml}\n%>\n\n${t.row.template}`;
}

/** Export file name: lower-cased, `-` removed, whitespace runs → `_`, plus `.erb`. */
export function exportFileName(name: string): string {
  return `${name.toLowerCase().replace(/-/g, '').trim().replace(/\s+/g, '_')}.erb`;
}
