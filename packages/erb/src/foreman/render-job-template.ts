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
import { chargeSteps, DEFAULT_LIMITS, resolveLimits } from '../sandbox/limits.ts';
import { toS } from '../values/conversions.ts';
import { toRuby } from '../values/factories.ts';
import { RubyHash, RubySymbol } from '../values/ruby-value.ts';
import type { RubyObject, RubyValue } from '../values/ruby-value.ts';
import { castToBool, compareVersions, formatTime, indentText, saveToFile } from './foreman-helpers.ts';
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
  readonly req: JobTemplateRenderRequest;
  readonly ctx: InputContext;
  readonly host: RubyObject | null;
  readonly maxString: number;
  readonly #cache: TemplateCache;
  readonly #levels: RenderLevel[] = [];

  constructor(req: JobTemplateRenderRequest) {
    this.req = req;
    this.#cache = req.cache ?? createTemplateCache(16);
    this.ctx = { host: req.host, invocationValues: req.inputValues, preview: req.preview, lookup: req.lookupTemplate };
    this.host = req.host ? createHostObject(req.host) : null;
    this.maxString = resolveLimits(DEFAULT_LIMITS, req.limits).maxStringSize;
  }

  /** The template level being rendered right now (macros run synchronously inside it). */
  get level(): RenderLevel {
    const l = this.#levels[this.#levels.length - 1];
    if (!l) throw new ErbRenderError('macro called outside of a render');
    return l;
  }

  renderTop(): string {
    const t = this.req.template;
    return this.#render(this.#cache.get(t.name, t.template), { name: t.name, template: t, explicit: null, stack: [t.name] }, undefined);
  }

  #render(compiled: CompiledTemplate, level: RenderLevel, extraIvars: Record<string, RubyValue> | undefined): string {
    const limits = this.req.limits;
    const ivars: Record<string, RubyValue> = {
      host: this.host,
      template_name: level.name,
      preview: this.req.preview,
      current_user: this.req.currentUser,
    };
    if (extraIvars) Object.assign(ivars, extraIvars);
    this.#levels.push(level);
    try {
      return compiled.render(limits ? { macros: MACROS, instanceVariables: ivars, limits } : { macros: MACROS, instanceVariables: ivars });
    } finally {
      this.#levels.pop();
    }
  }

  nested(callee: JobTemplateSource, explicit: ReadonlyMap<string, RubyValue> | null, ivars: Record<string, RubyValue> | undefined, snippet: boolean): string {
    const level = this.level;
    if (level.stack.includes(callee.name)) throw new ErbRenderError('Recursive rendering of templates detected');
    let compiled: CompiledTemplate;
    try {
      compiled = this.#cache.get(callee.name, callee.template);
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

  checkHost(): RubyObject {
    if (!this.host) throw new ErbRenderError('This template requires a host to render');
    return this.host;
  }

  /** parse_json input is bounded by the collection/string limits. */
  checkJsonSize(text: string): void {
    if (text.length > this.maxString) throw new ErbRenderError(`parse_json: input larger than ${this.maxString} characters`);
  }

  param(name: string): string | undefined {
    const p = this.req.host?.params;
    return p && Object.hasOwn(p, name) ? p[name] : undefined;
  }
}

let session: JobRender | undefined;

function cur(): JobRender {
  if (!session) throw new ErbRenderError('Foreman macro called outside of renderJobTemplate');
  return session;
}

function snippet(c: MacroCall, optional: boolean): RubyValue {
  argCount(c, 1, 2);
  const s = cur();
  const name = toS(c.args[0]!);
  const t = s.req.lookupTemplate(name);
  if (!t) {
    if (optional) return '';
    throw new ErbRenderError(`The specified snippet '${name}' does not exist, or is not a snippet.`);
  }
  let ivars: Record<string, RubyValue> | undefined;
  const vars = option(c.args[1], 'variables');
  if (vars instanceof RubyHash) {
    ivars = {};
    for (const [k, v] of vars.entries()) ivars[toS(k)] = v;
  }
  return s.nested(t, null, ivars, true);
}

function renderTemplate(c: MacroCall): RubyValue {
  argCount(c, 1, 3);
  const s = cur();
  const level = s.level;
  const name = toS(c.args[0]!);
  const callee = s.req.lookupTemplate(name);
  if (!callee) throw new ErbRenderError(`included template '${name}' not found`);
  const withForeign = option(c.args[2], 'with_foreign_input_set');
  const values = new Map<string, RubyValue>();
  if (withForeign === undefined || (withForeign !== false && withForeign !== null)) {
    const set = level.template.foreign_input_sets.find((x) => x.target_template === callee.name);
    if (set) {
      for (const def of foreignSetInputs(set, s.req.lookupTemplate, level.stack)) values.set(def.name, resolveInput(s.ctx, level, def.name));
    }
  }
  const given = c.args[1];
  if (given !== undefined && given !== null) {
    if (!(given instanceof RubyHash)) throw new ErbRenderError('render_template inputs must be a Hash');
    for (const [k, v] of given.entries()) values.set(toS(k), v);
  }
  return s.nested(callee, values, undefined, false);
}

function hostParamBool(c: MacroCall, want: boolean): RubyValue {
  argCount(c, 1, 2);
  const s = cur();
  s.checkHost();
  const v = s.param(toS(c.args[0]!));
  return v === undefined ? (c.args[1] ?? false) : castToBool(v) === want;
}

const noop: ErbMacro = () => null;

/** A string built by a macro costs one step per 64 characters. */
function charged(s: string): string {
  chargeSteps(s.length >> 6);
  return s;
}

/** The Foreman macros, shared by every render (they act on the render in progress). */
const MACROS: Record<string, ErbMacro> = Object.assign(Object.create(null) as Record<string, ErbMacro>, {
  input: (c: MacroCall) => {
    argCount(c, 1, 1);
    const s = cur();
    return resolveInput(s.ctx, s.level, toS(c.args[0]!));
  },
  render_template: renderTemplate,
  snippet: (c: MacroCall) => snippet(c, false),
  snippet_if_exists: (c: MacroCall) => snippet(c, true),
  'preview?': () => cur().req.preview,
  render_error: (c: MacroCall) => {
    argCount(c, 1, 2);
    throw new ErbUserError(toS(c.args[0]!));
  },
  current_user: () => cur().req.currentUser,
  template_name: () => cur().level.name,
  host: () => cur().host,
  host_param: (c: MacroCall) => {
    argCount(c, 1, 2);
    const s = cur();
    s.checkHost();
    return s.param(toS(c.args[0]!)) ?? c.args[1] ?? null;
  },
  'host_param!': (c: MacroCall) => {
    argCount(c, 1, 1);
    const s = cur();
    s.checkHost();
    const name = toS(c.args[0]!);
    const v = s.param(name);
    if (v === undefined) throw new ErbRenderError(`Parameter ${name} is not set for host ${s.req.host?.name ?? ''}`);
    return v;
  },
  'host_param_true?': (c: MacroCall) => hostParamBool(c, true),
  'host_param_false?': (c: MacroCall) => hostParamBool(c, false),
  'plugin_present?': (c: MacroCall) => {
    argCount(c, 1, 1);
    return (cur().req.plugins ?? []).includes(toS(c.args[0]!));
  },
  indent: (c: MacroCall) => {
    argCount(c, 1, 2);
    if (!c.block) return null;
    const count = c.args[0];
    if (typeof count !== 'number') throw new ErbRenderError('indent expects an Integer count');
    const max = cur().maxString;
    // The indentation prefix is built even for an empty text: charge it.
    chargeSteps(Math.min(Math.max(0, count), max) >> 6);
    return charged(indentText(toS(c.block(), max), Math.trunc(count), option(c.args[1], 'skip1') === true, max));
  },
  save_to_file: (c: MacroCall) => {
    argCount(c, 2, 3);
    const max = cur().maxString;
    return charged(saveToFile(toS(c.args[0]!, max), toS(c.args[1]!, max), option(c.args[2], 'verbatim') === true));
  },
  shell_escape: (c: MacroCall) => {
    argCount(c, 1, 1);
    return charged(shellEscape(toS(c.args[0]!, cur().maxString)));
  },
  'truthy?': (c: MacroCall) => (argCount(c, 1, 1), castToBool(c.args[0]!) === true),
  'falsy?': (c: MacroCall) => (argCount(c, 1, 1), castToBool(c.args[0]!) === false),
  to_json: (c: MacroCall) => (argCount(c, 1, 1), toJson(c.args[0]!, cur().maxString)),
  parse_json: (c: MacroCall) => {
    argCount(c, 1, 1);
    const text = toS(c.args[0]!);
    cur().checkJsonSize(text);
    chargeSteps(text.length >> 6);
    try {
      return toRuby(JSON.parse(text));
    } catch (e) {
      if (e instanceof ErbRenderError) throw e;
      throw new ErbRenderError(`parse_json: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
  current_date: () => (cur().req.now ?? new Date()).toISOString().slice(0, 10),
  format_time: (c: MacroCall) => {
    argCount(c, 1, 2);
    const value = c.args[0];
    const format = c.args[1];
    const pattern = typeof format === 'string' ? format : option(format, 'format');
    try {
      return formatTime(value === null || value === undefined ? null : toS(value), typeof pattern === 'string' ? pattern : '%Y-%m-%d %H:%M:%S %z', cur().req.now ?? new Date());
    } catch (e) {
      throw new ErbRenderError(e instanceof Error ? e.message : String(e));
    }
  },
  gem_version_compare: (c: MacroCall) => (argCount(c, 2, 2), compareVersions(toS(c.args[0]!), toS(c.args[1]!))),
  log_debug: noop,
  log_info: noop,
  log_warn: noop,
  log_error: noop,
  log_fatal: noop,
});
Object.freeze(MACROS);

/**
 * Render a job template for one host (or for none, in a generic preview) with Foreman REX's
 * semantics. Pure: no I/O; other templates come from `lookupTemplate`.
 * @throws ErbSyntaxError when the invoked template does not parse; ErbRenderError (ErbUserError
 * for `render_error`) when rendering fails.
 */
export function renderJobTemplate(request: JobTemplateRenderRequest): string {
  const outer = session;
  session = new JobRender(request);
  try {
    return session.renderTop();
  } finally {
    session = outer;
  }
}
