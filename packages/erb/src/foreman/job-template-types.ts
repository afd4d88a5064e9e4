/**
 * @module
 * Plain-data shapes of Foreman job templates, hosts and render requests, as the server hands them
 * to {@link renderJobTemplate}. Vocabulary (Foreman REX):
 * - **template input**: a named value a template reads with `input(name)`; of type user (given at
 *   invocation), fact (host fact), variable (host parameter) or puppet_parameter.
 * - **foreign input set**: inputs a template borrows from another template it renders with
 *   `render_template` (all of them, or an include list, minus an exclude list).
 */
import type { ErbLimits } from '../sandbox/limits.ts';
import type { TemplateCache } from '../render/template.ts';

/** A template input definition (Foreman `TemplateInput`). */
export interface TemplateInputDefinition {
  readonly name: string;
  readonly input_type: 'user' | 'fact' | 'variable' | 'puppet_parameter';
  readonly required?: boolean;
  readonly default?: string | null;
  /** Allowed values (the server validates invocation values against them). */
  readonly options?: readonly string[] | null;
  readonly hidden_value?: boolean;
  readonly fact_name?: string | null;
  readonly variable_name?: string | null;
  readonly puppet_class_name?: string | null;
  readonly puppet_parameter_name?: string | null;
  readonly description?: string | null;
  readonly advanced?: boolean;
}

/** A foreign input set (Foreman `ForeignInputSet`): `include`/`exclude` are comma-separated names. */
export interface ForeignInputSetDefinition {
  /** Name of the target template. */
  readonly target_template: string;
  readonly include_all: boolean;
  readonly include: string;
  readonly exclude: string;
}

/** A job template as stored (body without the metadata header, or with it: it is an ERB comment). */
export interface JobTemplateSource {
  readonly name: string;
  readonly template: string;
  readonly inputs: readonly TemplateInputDefinition[];
  readonly foreign_input_sets: readonly ForeignInputSetDefinition[];
}

/** The host a template is rendered for (what `@host` exposes). */
export interface HostData {
  readonly id: number;
  readonly name: string;
  readonly ip: string | null;
  readonly ip6: string | null;
  readonly domain: string | null;
  readonly comment?: string | null;
  readonly hostgroup: { readonly name: string; readonly title: string } | null;
  readonly operatingsystem: { readonly name: string; readonly family: string | null; readonly major: string; readonly minor: string } | null;
  readonly subnet?: { readonly name: string; readonly network: string; readonly mask: string } | null;
  /** Effective host parameters (after the hierarchy). */
  readonly params: Readonly<Record<string, string>>;
  readonly facts: Readonly<Record<string, string>>;
}

/** Everything needed to render a job template for one host (or for no host: generic preview). */
export interface JobTemplateRenderRequest {
  readonly template: JobTemplateSource;
  /** Finds a job template or snippet by name, for `render_template`, `snippet` and foreign input sets. */
  readonly lookupTemplate: (name: string) => JobTemplateSource | undefined;
  readonly host: HostData | null;
  /** Invocation values of user inputs, by input name. */
  readonly inputValues: Readonly<Record<string, string>>;
  /** True while previewing: unresolved inputs render as `$USER_INPUT[name]` etc. */
  readonly preview: boolean;
  /** Login of the user running the job (`current_user`). */
  readonly currentUser: string | null;
  /** Parse-once cache (recommended; Default: a cache private to this call). */
  readonly cache?: TemplateCache;
  readonly limits?: Partial<ErbLimits>;
  /** Names of installed plugins for `plugin_present?` (Default: none). Extension of the brief's API. */
  readonly plugins?: readonly string[];
  /** Clock for `current_date` (Default: now). Extension of the brief's API. */
  readonly now?: Date;
}
