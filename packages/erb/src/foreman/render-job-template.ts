/**
 * @module
 * `renderJobTemplate`: Foreman REX's job-template rendering (input scope, `render_template` with
 * foreign input sets and recursion detection, snippets, host helpers, safe-mode macros) as a pure
 * function over plain data. Nested renders share one step budget and count toward
 * `maxRenderDepth`.
 */
import { shellEscape } from '../builtins/string-methods.ts';
import { toJson } from '../builtins/common-methods.ts';
import { ErbRenderError, ErbSyntaxError, ErbUserError } from '../errors.ts';
import type { CompiledTemplate, ErbMacro, MacroCall, TemplateCache } from '../render/template.ts';
import { createTemplateCache } from '../render/template.ts';
import { DEFAULT_LIMITS, resolveLimits } from '../sandbox/limits.ts';
import { toS } from '../values/conversions.ts';
import { toRuby } from '../values/factories.ts';
import { RubyHash, RubySymbol } from '../values/ruby-value.ts';
import type { RubyObject, RubyValue } from '../values/ruby-value.ts';
import { castToBool, compareVersions, indentText, saveToFile } from './foreman-helpers.ts';
import { createHostObject } from './host-object.ts';
import { foreignSetInputs, resolveInput } from './input-resolver.ts';
import type { InputContext, RenderLevel } from './input-resolver.ts';
import type { JobTemplateRenderRequest, JobTemplateSource } from './job-template-types.ts';

function option(h: RubyValue | undefined, key: string): RubyValue | undefined {
  if (!(h instanceof RubyHash)) return undefined;
  return h.get(new RubySymbol(key)) ?? h.get(key);
}

function argCount(call: MacroCall, min: number, max: number): void {
  if (call.args.length < min || call.args.length > max) {
    throw new ErbRenderError(`wrong number of arguments for '${call.name}' (given ${call.args.length}, expected ${min === max ? min : `${min}..${max}`})`);
  }
}

class JobRender {
  readonly #req: JobTemplateRenderRequest;
  readonly #cache: TemplateCache;
  readonly #ctx: InputContext;
  readonly #host: RubyObject | null;
  readonly #maxString: number;

  constructor(req: JobTemplateRenderRequest) {
    this.#req = req;
    this.#cache = req.cache ?? createTemplateCache(16);
    this.#ctx = { host: req.host, invocationValues: req.inputValues, preview: req.preview, lookup: req.lookupTemplate };
    this.#host = req.host ? createHostObject(req.host) : null;
    this.#maxString = resolveLimits(DEFAULT_LIMITS, req.limits).maxStringSize;
  }

  #compile(t: JobTemplateSource): CompiledTemplate {
    return this.#cache.get(t.name, t.template);
  }

  renderTop(): string {
    const t = this.#req.template;
    const compiled = this.#compile(t);
    return this.#render(compiled, { name: t.name, template: t, explicit: null, stack: [t.name] }, {});
  }

  #render(compiled: CompiledTemplate, level: RenderLevel, extraIvars: Record<string, RubyValue>): string {
    const limits = this.#req.limits;
    return compiled.render({
      macros: this.#macros(level),
      instanceVariables: {
        host: this.#host,
        template_name: level.name,
        preview: this.#req.preview,
        current_user: this.#req.currentUser,
        ...extraIvars,
      },
      ...(limits ? { limits } : {}),
    });
  }

  #nested(callee: JobTemplateSource, level: RenderLevel, explicit: ReadonlyMap<string, RubyValue> | null, ivars: Record<string, RubyValue>, snippet = false): string {
    if (level.stack.includes(callee.name)) throw new ErbRenderError('Recursive rendering of templates detected');
    let compiled: CompiledTemplate;
    try {
      compiled = this.#compile(callee);
    } catch (e) {
      if (e instanceof ErbSyntaxError) throw new ErbRenderError(e.reason, { cause: e }).copyLocation(e);
      throw e;
    }
    const stack = [...level.stack, callee.name];
    const next: RenderLevel = snippet
      ? { name: callee.name, template: level.template, explicit: level.explicit, stack }
      : { name: callee.name, template: callee, explicit: explicit ?? new Map(), stack };
    return this.#render(compiled, next, ivars);
  }

  #checkHost(): RubyObject {
    if (!this.#host) throw new ErbRenderError('This template requires a host to render');
    return this.#host;
  }

  #param(name: string): string | undefined {
    const p = this.#req.host?.params;
    return p && Object.hasOwn(p, name) ? p[name] : undefined;
  }

  #macros(level: RenderLevel): Record<string, ErbMacro> {
    const req = this.#req;
    const m: Record<string, ErbMacro> = Object.create(null) as Record<string, ErbMacro>;
    m.input = (c) => {
      argCount(c, 1, 1);
      return resolveInput(this.#ctx, level, toS(c.args[0]!));
    };
    m.render_template = (c) => {
      argCount(c, 1, 3);
      const name = toS(c.args[0]!);
      const callee = req.lookupTemplate(name);
      if (!callee) throw new ErbRenderError(`included template '${name}' not found`);
      const withForeign = option(c.args[2], 'with_foreign_input_set');
      const values = new Map<string, RubyValue>();
      if (withForeign === undefined || (withForeign !== false && withForeign !== null)) {
        const set = level.template.foreign_input_sets.find((s) => s.target_template === callee.name);
        if (set) {
          for (const def of foreignSetInputs(set, req.lookupTemplate, level.stack)) values.set(def.name, resolveInput(this.#ctx, level, def.name));
        }
      }
      const given = c.args[1];
      if (given !== undefined && given !== null) {
        if (!(given instanceof RubyHash)) throw new ErbRenderError('render_template inputs must be a Hash');
        for (const [k, v] of given.entries()) values.set(toS(k), v);
      }
      return this.#nested(callee, level, values, {});
    };
    const snippet = (c: MacroCall, optional: boolean): RubyValue => {
      argCount(c, 1, 2);
      const name = toS(c.args[0]!);
      const s = req.lookupTemplate(name);
      if (!s) {
        if (optional) return '';
        throw new ErbRenderError(`The specified snippet '${name}' does not exist, or is not a snippet.`);
      }
      const ivars: Record<string, RubyValue> = {};
      const vars = option(c.args[1], 'variables');
      if (vars instanceof RubyHash) for (const [k, v] of vars.entries()) ivars[toS(k)] = v;
      return this.#nested(s, level, null, ivars, true);
    };
    m.snippet = (c) => snippet(c, false);
    m.snippet_if_exists = (c) => snippet(c, true);
    m['preview?'] = () => req.preview;
    m.render_error = (c) => {
      argCount(c, 1, 2);
      throw new ErbUserError(toS(c.args[0]!));
    };
    m.current_user = () => req.currentUser;
    m.template_name = () => level.name;
    m.host = () => this.#host;
    m.host_param = (c) => {
      argCount(c, 1, 2);
      this.#checkHost();
      return this.#param(toS(c.args[0]!)) ?? c.args[1] ?? null;
    };
    m['host_param!'] = (c) => {
      argCount(c, 1, 1);
      this.#checkHost();
      const name = toS(c.args[0]!);
      const v = this.#param(name);
      if (v === undefined) throw new ErbRenderError(`Parameter ${name} is not set for host ${req.host?.name ?? ''}`);
      return v;
    };
    m['host_param_true?'] = (c) => {
      argCount(c, 1, 2);
      this.#checkHost();
      const v = this.#param(toS(c.args[0]!));
      return v === undefined ? (c.args[1] ?? false) : castToBool(v) === true;
    };
    m['host_param_false?'] = (c) => {
      argCount(c, 1, 2);
      this.#checkHost();
      const v = this.#param(toS(c.args[0]!));
      return v === undefined ? (c.args[1] ?? false) : castToBool(v) === false;
    };
    m['plugin_present?'] = (c) => {
      argCount(c, 1, 1);
      return (req.plugins ?? []).includes(toS(c.args[0]!));
    };
    m.indent = (c) => {
      argCount(c, 1, 2);
      if (!c.block) return null;
      const count = c.args[0];
      if (typeof count !== 'number') throw new ErbRenderError('indent expects an Integer count');
      const skip1 = option(c.args[1], 'skip1');
      return indentText(toS(c.block(), this.#maxString), Math.trunc(count), skip1 === true, this.#maxString);
    };
    m.save_to_file = (c) => {
      argCount(c, 2, 3);
      return saveToFile(toS(c.args[0]!), toS(c.args[1]!, this.#maxString), option(c.args[2], 'verbatim') === true);
    };
    m.shell_escape = (c) => {
      argCount(c, 1, 1);
      return shellEscape(toS(c.args[0]!, this.#maxString));
    };
    m['truthy?'] = (c) => (argCount(c, 1, 1), castToBool(c.args[0]!) === true);
    m['falsy?'] = (c) => (argCount(c, 1, 1), castToBool(c.args[0]!) === false);
    m.to_json = (c) => (argCount(c, 1, 1), toJson(c.args[0]!, this.#maxString));
    m.parse_json = (c) => {
      argCount(c, 1, 1);
      const s = toS(c.args[0]!);
      try {
        return toRuby(JSON.parse(s));
      } catch (e) {
        throw new ErbRenderError(`parse_json: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    m.current_date = () => (req.now ?? new Date()).toISOString().slice(0, 10);
    m.gem_version_compare = (c) => (argCount(c, 2, 2), compareVersions(toS(c.args[0]!), toS(c.args[1]!)));
    for (const lvl of ['log_debug', 'log_info', 'log_warn', 'log_error', 'log_fatal']) m[lvl] = () => null;
    return m;
  }
}

/**
 * Render a job template for one host (or for none, in a generic preview) with Foreman REX's
 * semantics. Pure: no I/O; other templates come from `lookupTemplate`.
 * @throws ErbSyntaxError when the invoked template does not parse; ErbRenderError (ErbUserError
 * for `render_error`) when rendering fails.
 */
export function renderJobTemplate(request: JobTemplateRenderRequest): string {
  return new JobRender(request).renderTop();
}
