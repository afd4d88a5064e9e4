/**
 * @module
 * Foreman's `input(name)` semantics over plain data: explicit values first (render_template
 * arguments), then the template's own inputs plus its foreign-input-set inputs, resolved by type
 * (user → invocation value or default; fact → host fact; variable → host parameter;
 * puppet_parameter → host parameter `class::parameter`). Preview renders unresolved inputs as
 * `$USER_INPUT[name]`, `$FACT_INPUT[name]`, `$VARIABLE_INPUT[name]`, `$PUPPET_PARAMETER_INPUT[name]`.
 */
import { ErbRenderError } from '../errors.ts';
import { isBlank } from '../values/conversions.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import type { ForeignInputSetDefinition, HostData, JobTemplateSource, TemplateInputDefinition } from './job-template-types.ts';

function list(s: string | null | undefined): string[] {
  return (s ?? '').split(',').map((x) => x.trim()).filter((x) => x.length > 0);
}

/** Inputs a foreign input set brings in (the target's inputs with foreign ones, filtered). */
export function foreignSetInputs(
  set: ForeignInputSetDefinition,
  lookup: (name: string) => JobTemplateSource | undefined,
  stack: readonly string[],
): TemplateInputDefinition[] {
  const target = lookup(set.target_template);
  if (!target) return [];
  if (stack.includes(target.name)) throw new ErbRenderError(`Circular foreign input set definition detected for template '${target.name}'`);
  let inputs = inputsWithForeign(target, lookup, [...stack, target.name]);
  if (!set.include_all) {
    const allowed = new Set(list(set.include));
    inputs = inputs.filter((i) => allowed.has(i.name));
  }
  const excluded = new Set(list(set.exclude));
  return inputs.filter((i) => !excluded.has(i.name));
}

/** Foreman `template_inputs_with_foreign`: own inputs, then those of each foreign input set. */
export function inputsWithForeign(
  template: JobTemplateSource,
  lookup: (name: string) => JobTemplateSource | undefined,
  stack: readonly string[] = [template.name],
): TemplateInputDefinition[] {
  const out = [...template.inputs];
  for (const set of template.foreign_input_sets) out.push(...foreignSetInputs(set, lookup, stack));
  return out;
}

/** Request-wide facts the resolver needs. */
export interface InputContext {
  readonly host: HostData | null;
  readonly invocationValues: Readonly<Record<string, string>>;
  readonly preview: boolean;
  readonly lookup: (name: string) => JobTemplateSource | undefined;
}

/** One template being rendered: its definition and the values passed to it explicitly. */
export interface RenderLevel {
  /** Name of the template being rendered (`template_name`); for a snippet, the snippet's name. */
  readonly name: string;
  /** The template whose inputs `input()` resolves (for a snippet: the including template). */
  readonly template: JobTemplateSource;
  /** Values from render_template (args + foreign input set); null for the invoked template. */
  readonly explicit: ReadonlyMap<string, RubyValue> | null;
  /** Names of the templates being rendered, outermost first (recursion detection). */
  readonly stack: readonly string[];
  /** Cache of inputsWithForeign for this level. */
  inputs?: TemplateInputDefinition[];
}

function required(def: TemplateInputDefinition): never {
  throw new ErbRenderError(`Value for required input '${def.name}' was not specified`);
}

/** Resolve `input(name)` at a level. */
export function resolveInput(ctx: InputContext, level: RenderLevel, name: string): RubyValue {
  if (level.explicit && level.explicit.has(name)) return level.explicit.get(name) ?? null;
  level.inputs ??= inputsWithForeign(level.template, ctx.lookup, level.stack);
  const def = level.inputs.find((i) => i.name === name);
  if (!def) throw new ErbRenderError(`Rendering failed, no input with name ${name} for input macro found`);
  const host = ctx.host;
  switch (def.input_type) {
    case 'user': {
      let v: string | null | undefined = level.explicit === null ? ctx.invocationValues[name] : undefined;
      if (v === undefined || v === null) v = def.default ?? null;
      if (v === null || isBlank(v)) {
        if (ctx.preview && v === null) return `$USER_INPUT[${name}]`;
        if (def.required && !ctx.preview) required(def);
        return v ?? '';
      }
      return v;
    }
    case 'fact': {
      const fact = def.fact_name ?? '';
      const v = host ? host.facts[fact] : undefined;
      if (v !== undefined && v !== null) return v;
      if (ctx.preview) return `$FACT_INPUT[${name}]`;
      if (!host) throw new ErbRenderError('This template requires a host to render');
      if (def.default !== undefined && def.default !== null && !isBlank(def.default)) return def.default;
      // A fact the host has not reported fails this host's render (never a silent empty value:
      // a script that branches on the OS would take the wrong branch).
      throw new ErbRenderError(`Fact '${fact}' for input '${name}' is not set for host ${host.name}`);
    }
    case 'variable':
    case 'puppet_parameter': {
      const key = def.input_type === 'variable' ? (def.variable_name ?? '') : `${def.puppet_class_name ?? ''}::${def.puppet_parameter_name ?? ''}`;
      const v = host ? host.params[key] : undefined;
      if (v !== undefined && v !== null) return v;
      if (ctx.preview) return def.input_type === 'variable' ? `$VARIABLE_INPUT[${name}]` : `$PUPPET_PARAMETER_INPUT[${name}]`;
      if (!host) throw new ErbRenderError('This template requires a host to render');
      if (def.required) required(def);
      return null;
    }
    default:
      throw new ErbRenderError(`unsupported input type for input '${name}'`);
  }
}
