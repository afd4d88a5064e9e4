/**
 * @module
 * `parseTemplate` (source → cached AST) and `CompiledTemplate.render` (AST + environment →
 * string). A render started while another is running (a macro rendering a nested template)
 * shares the outer render's step budget and counts toward `maxRenderDepth`.
 */
import type { ProgramNode } from '../ast/nodes.ts';
import { ErbError, ErbRenderError, ErbSyntaxError } from '../errors.ts';
import { Parser } from '../parser/parser.ts';
import type { ErbLimits } from '../sandbox/limits.ts';
import { currentBudget, DEFAULT_LIMITS, RenderBudget, resolveLimits, swapBudget } from '../sandbox/limits.ts';
import { SourceFile } from '../tokens/source-file.ts';
import { tokenizeTemplate } from '../tokens/tokenize.ts';
import { checkHostValue } from '../values/conversions.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import type { MacroFn } from './interpreter.ts';
import { Interpreter } from './interpreter.ts';
import { BreakSignal, NextSignal } from './scope.ts';

/** What a macro receives: evaluated arguments, the block if one was given, and the name it was called by. */
export interface MacroCall {
  readonly args: RubyValue[];
  readonly block?: (...args: RubyValue[]) => RubyValue;
  readonly name: string;
}

/** A bare-word function provided by the host (`input('x')`, `preview?`, …). Throw {@link ErbRenderError} to fail the render. */
export type ErbMacro = (call: MacroCall) => RubyValue;

/** Everything a render can see besides the template itself. */
export interface RenderEnvironment {
  /** Bare-word functions, looked up as own properties only. */
  readonly macros?: Record<string, ErbMacro>;
  /** Instance variables (`@host`, `@template_name`, …) without the `@`. Unknown ones are nil. */
  readonly instanceVariables?: Record<string, RubyValue>;
  /** Limits for this render (merged over the ones given to `parseTemplate`). Ignored for nested renders, which share the outer budget. */
  readonly limits?: Partial<ErbLimits>;
}

/** A parsed template, safe to render many times and concurrently. */
export interface CompiledTemplate {
  /** The template name used in error messages. */
  readonly name: string;
  /** Render; throws {@link ErbRenderError} (or {@link ErbUserError} from `render_error`). */
  render(env: RenderEnvironment): string;
}

class ParsedTemplate implements CompiledTemplate {
  readonly name: string;
  readonly #file: SourceFile;
  readonly #program: ProgramNode;
  readonly #limits: ErbLimits;

  constructor(file: SourceFile, program: ProgramNode, limits: ErbLimits) {
    this.name = file.name;
    this.#file = file;
    this.#program = program;
    this.#limits = limits;
  }

  render(env: RenderEnvironment): string {
    const outer = currentBudget();
    const budget = outer ?? new RenderBudget(resolveLimits(this.#limits, env.limits));
    if (budget.depth >= budget.limits.maxRenderDepth) {
      throw new ErbRenderError(`template render depth limit exceeded (${budget.limits.maxRenderDepth} nested renders)`);
    }
    budget.depth++;
    swapBudget(budget);
    try {
      const ivars = new Map<string, RubyValue>();
      if (env.instanceVariables) {
        for (const k of Object.keys(env.instanceVariables)) {
          ivars.set(k.startsWith('@') ? k.slice(1) : k, checkHostValue(env.instanceVariables[k], `instance variable @${k}`));
        }
      }
      const macros: Readonly<Record<string, MacroFn>> | undefined = env.macros;
      return new Interpreter(this.#file, budget, macros, ivars).run(this.#program);
    } catch (e) {
      throw toRenderError(e, this.#file);
    } finally {
      budget.depth--;
      swapBudget(outer);
    }
  }
}

function toRenderError(e: unknown, file: SourceFile): ErbError {
  if (e instanceof ErbRenderError) return e.located ? e : e.locate(file, 0);
  if (e instanceof ErbSyntaxError) return new ErbRenderError(e.reason, { cause: e }).copyLocation(e);
  if (e instanceof ErbError) return e;
  if (e instanceof BreakSignal) return new ErbRenderError("'break' used outside of a block or loop").locate(file, 0);
  if (e instanceof NextSignal) return new ErbRenderError("'next' used outside of a block or loop").locate(file, 0);
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new ErbRenderError('stack level too deep').locate(file, 0);
  const msg = e instanceof Error ? e.message : String(e);
  return new ErbRenderError(`internal error: ${msg}`, { cause: e }).locate(file, 0);
}

/** Options of {@link parseTemplate}. */
export interface ParseOptions {
  /** Name shown in errors (Default: `"template"`). */
  readonly name?: string;
  /** Limits (parse-time ones apply now; the others become the defaults of every render). */
  readonly limits?: Partial<ErbLimits>;
}

/**
 * Parse an ERB template once; render the result many times.
 * @throws ErbSyntaxError with line:col and an excerpt.
 * @example
 * const t = parseTemplate('<%= input("command") %>', { name: 'Run Command' });
 * t.render({ macros: { input: () => 'uptime' } }); // "uptime"
 */
export function parseTemplate(source: string, options?: ParseOptions): CompiledTemplate {
  const limits = resolveLimits(DEFAULT_LIMITS, options?.limits);
  const name = options?.name ?? 'template';
  if (typeof source !== 'string') throw new ErbSyntaxError('template source must be a string');
  const file = new SourceFile(name, source);
  if (source.length > limits.maxTemplateSize) {
    throw new ErbSyntaxError(`template too large (${source.length} > ${limits.maxTemplateSize} characters)`).locate(file, 0);
  }
  try {
    const tokens = tokenizeTemplate(file);
    const program = new Parser(file, tokens, { maxDepth: limits.maxParseDepth }).parseProgram();
    return new ParsedTemplate(file, program, limits);
  } catch (e) {
    if (e instanceof ErbSyntaxError) throw e;
    if (e instanceof RangeError) throw new ErbSyntaxError('template nesting too deep').locate(file, 0);
    const msg = e instanceof Error ? e.message : String(e);
    throw new ErbSyntaxError(`internal parser error: ${msg}`, { cause: e }).locate(file, 0);
  }
}

/** Parse-once cache keyed by (name, source): a new revision of a template is parsed again. */
export interface TemplateCache {
  /** The compiled template for this name and source (parsed on first use). Throws ErbSyntaxError. */
  get(name: string, source: string): CompiledTemplate;
  /** Number of cached templates. */
  readonly size: number;
  /** Drop everything. */
  clear(): void;
}

/**
 * Create an LRU cache of compiled templates.
 * @param maxEntries - Maximum cached templates (Default: 500).
 */
export function createTemplateCache(maxEntries = 500, limits?: Partial<ErbLimits>): TemplateCache {
  // name → recent revisions (source, compiled); most recently used name last.
  const map = new Map<string, { source: string; compiled: CompiledTemplate }[]>();
  let size = 0;
  return {
    get(name: string, source: string): CompiledTemplate {
      const revs = map.get(name);
      const hit = revs?.find((r) => r.source === source);
      if (revs && hit) {
        if (revs[revs.length - 1] !== hit) {
          revs.splice(revs.indexOf(hit), 1);
          revs.push(hit);
        }
        map.delete(name);
        map.set(name, revs);
        return hit.compiled;
      }
      const compiled = parseTemplate(source, limits ? { name, limits } : { name });
      const list = revs ?? [];
      list.push({ source, compiled });
      size++;
      if (list.length > 4) {
        list.shift();
        size--;
      }
      map.delete(name);
      map.set(name, list);
      while (size > Math.max(1, maxEntries)) {
        const oldest = map.keys().next();
        if (oldest.done) break;
        const l = map.get(oldest.value);
        const removed = l?.shift();
        if (removed) size--;
        if (!l || l.length === 0) map.delete(oldest.value);
      }
      return compiled;
    },
    get size(): number {
      return size;
    },
    clear(): void {
      map.clear();
      size = 0;
    },
  };
}
