/**
 * @module
 * The tree-walking interpreter: evaluates a parsed template against an environment, appending
 * text and `<%= %>` values to the output. Every statement, call, block call and loop iteration
 * costs one render step; errors are located at the node that raised them.
 */
import type { BlockNode, BlockParam, CallNode, Node, OpAsgnNode, ProgramNode, RegexLitNode } from '../ast/nodes.ts';
import type { BlockFn, Runtime } from '../builtins/call-info.ts';
import { classObject, classObjectName, isA } from '../builtins/class-objects.ts';
import { callMethod, chargeSizes } from '../builtins/dispatch.ts';
import { KERNEL_FUNCTIONS } from '../builtins/kernel-functions.ts';
import { rangeToArray } from '../builtins/misc-methods.ts';
import { compileCached, makeRegexp, regexpOf } from '../builtins/regexp-values.ts';
import { STRING_BANG_METHODS } from '../builtins/string-methods.ts';
import { ErbError, ErbRenderError } from '../errors.ts';
import type { RenderBudget } from '../sandbox/limits.ts';
import type { SourceFile } from '../tokens/source-file.ts';
import { checkHostValue, rEqual, toS } from '../values/conversions.ts';
import { makeFloat, RubyHash, RubyObject, RubyRange, RubySymbol, truthy } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { BreakSignal, NextSignal, Scope } from './scope.ts';

/** A bare-word function provided by the host (see the public `ErbMacro`). */
export type MacroFn = (call: { args: RubyValue[]; block?: (...args: RubyValue[]) => RubyValue; name: string }) => RubyValue;

const SYMBOLS = new Map<string, RubySymbol>();
function sym(name: string): RubySymbol {
  let s = SYMBOLS.get(name);
  if (!s) {
    s = new RubySymbol(name);
    if (SYMBOLS.size < 10_000) SYMBOLS.set(name, s);
  }
  return s;
}

/** Evaluates one template; create one per render. */
export class Interpreter implements Runtime {
  readonly budget: RenderBudget;
  readonly #file: SourceFile;
  readonly #macros: Readonly<Record<string, MacroFn>> | undefined;
  readonly #ivars: Map<string, RubyValue>;
  readonly #maxOutput: number;
  readonly #maxString: number;
  #out = '';

  constructor(file: SourceFile, budget: RenderBudget, macros: Readonly<Record<string, MacroFn>> | undefined, ivars: Map<string, RubyValue>) {
    this.#file = file;
    this.budget = budget;
    this.#macros = macros;
    this.#ivars = ivars;
    this.#maxOutput = budget.limits.maxOutputSize;
    this.#maxString = budget.limits.maxStringSize;
  }

  /** Render the program and return the output. */
  run(program: ProgramNode): string {
    this.#body(program.body, new Scope(null));
    return this.#out;
  }

  callMethod(recv: RubyValue, name: string, args: RubyValue[], block: BlockFn | null): RubyValue {
    this.budget.tick();
    return callMethod(this, recv, name, args, block);
  }

  #fail(msg: string, node: Node): never {
    throw new ErbRenderError(msg).locate(this.#file, node.begin);
  }

  #step(node: Node): void {
    if (++this.budget.steps > this.budget.limits.maxRenderSteps) {
      this.#fail(`render step limit exceeded (${this.budget.limits.maxRenderSteps} steps): infinite loop?`, node);
    }
    if ((this.budget.steps & 1023) === 0) {
      try {
        this.budget.checkClock();
      } catch (e) {
        throw e instanceof ErbError ? e.locate(this.#file, node.begin) : e;
      }
    }
  }

  /** Charge `n` steps; a budget error is located at `node`. */
  #charge(n: number, node: Node): void {
    try {
      this.budget.charge(n);
    } catch (e) {
      throw e instanceof ErbError ? e.locate(this.#file, node.begin) : e;
    }
  }

  #append(s: string, node: Node): void {
    this.#out += s;
    if (s.length >= 4096) this.budget.charge(s.length >> 12);
    if (this.#out.length > this.#maxOutput) this.#fail(`output size limit exceeded (${this.#maxOutput} characters)`, node);
  }

  #body(nodes: readonly Node[], scope: Scope): RubyValue {
    let v: RubyValue = null;
    for (const n of nodes) {
      this.#step(n);
      v = this.#eval(n, scope);
    }
    return v;
  }

  #eval(node: Node, scope: Scope): RubyValue {
    switch (node.kind) {
      case 'text':
        this.#append(node.value, node);
        return null;
      case 'output': {
        const v = this.#body(node.body, scope);
        this.#append(typeof v === 'string' ? v : this.#toS(v, node), node);
        return null;
      }
      case 'seq':
        return this.#body(node.body, scope);
      case 'nil':
        return null;
      case 'bool':
        return node.value;
      case 'num':
        return node.float ? makeFloat(node.value) : node.value;
      case 'str':
        return node.value;
      case 'dstr':
        return this.#interpolate(node.parts, scope, node);
      case 'regex':
        return node.value ?? this.#dynamicRegex(node, scope);
      case 'sym':
        return sym(node.name);
      case 'dsym':
        return new RubySymbol(this.#interpolate(node.parts, scope, node));
      case 'array': {
        const out: RubyValue[] = [];
        for (const e of node.elements) out.push(this.#eval(e, scope));
        return out;
      }
      case 'hash': {
        const h = new RubyHash();
        for (const [k, v] of node.pairs) {
          const key = this.#eval(k, scope);
          const value = this.#eval(v, scope);
          try {
            h.set(key, value);
          } catch (e) {
            throw this.#locate(e, k, null);
          }
        }
        return h;
      }
      case 'range':
        return new RubyRange(node.from ? this.#eval(node.from, scope) : null, node.to ? this.#eval(node.to, scope) : null, node.exclusive);
      case 'lvar':
        return scope.get(node.name);
      case 'lasgn': {
        const v = this.#eval(node.value, scope);
        scope.set(node.name, v);
        return v;
      }
      case 'ivar':
        return this.#ivars.get(node.name) ?? null;
      case 'iasgn': {
        const v = this.#eval(node.value, scope);
        this.#ivars.set(node.name, v);
        return v;
      }
      case 'opasgn':
        return this.#opAssign(node, scope);
      case 'call':
        return this.#call(node, scope);
      case 'and': {
        const l = this.#eval(node.left, scope);
        return truthy(l) ? this.#eval(node.right, scope) : l;
      }
      case 'or': {
        const l = this.#eval(node.left, scope);
        return truthy(l) ? l : this.#eval(node.right, scope);
      }
      case 'not':
        return !truthy(this.#eval(node.operand, scope));
      case 'if':
        return truthy(this.#eval(node.cond, scope)) ? this.#body(node.then, scope) : this.#body(node.else, scope);
      case 'case': {
        const subject = node.subject ? this.#eval(node.subject, scope) : undefined;
        for (const w of node.whens) {
          for (const c of w.conds) {
            const pat = this.#eval(c, scope);
            if (subject === undefined ? truthy(pat) : this.#caseEqAt(pat, subject, c)) return this.#body(w.body, scope);
          }
        }
        return node.else ? this.#body(node.else, scope) : null;
      }
      case 'while':
        for (;;) {
          this.#step(node);
          if (truthy(this.#eval(node.cond, scope)) === node.until) return null;
          try {
            this.#body(node.body, scope);
          } catch (e) {
            if (e instanceof BreakSignal && e.tag === undefined) return e.value;
            if (!(e instanceof NextSignal)) throw e;
          }
        }
      case 'for': {
        const iter = this.#eval(node.iter, scope);
        const items = this.#items(iter, node);
        for (const item of items) {
          this.#step(node);
          if (node.vars.length === 1) scope.set(node.vars[0]!, item);
          else node.vars.forEach((v, i) => scope.set(v, Array.isArray(item) ? (item[i] ?? null) : i === 0 ? item : null));
          try {
            this.#body(node.body, scope);
          } catch (e) {
            if (e instanceof BreakSignal && e.tag === undefined) return e.value;
            if (!(e instanceof NextSignal)) throw e;
          }
        }
        return iter;
      }
      case 'break':
        throw new BreakSignal(node.value ? this.#eval(node.value, scope) : null);
      case 'next':
        throw new NextSignal(node.value ? this.#eval(node.value, scope) : null);
      case 'const':
        return classObject(node.name) ?? this.#fail(`constant '${node.name}' is not accessible in templates`, node);
      case 'blockpass':
      case 'block':
        return this.#fail('unexpected block', node);
    }
  }

  #toS(v: RubyValue, node: Node): string {
    try {
      return toS(v, this.#maxString);
    } catch (e) {
      if (e instanceof ErbError) throw e.locate(this.#file, node.begin);
      throw e;
    }
  }

  #interpolate(parts: readonly (string | Node)[], scope: Scope, node: Node): string {
    let s = '';
    for (const p of parts) {
      s += typeof p === 'string' ? p : this.#toS(this.#eval(p, scope), p);
      if (s.length > this.#maxString) this.#fail(`string size limit exceeded (${this.#maxString} characters)`, node);
    }
    if (s.length >= 64) this.#charge(s.length >> 6, node);
    return s;
  }

  /** `/…#{x}…/`: interpolate, then compile (cached by source) within the budget. */
  #dynamicRegex(node: RegexLitNode, scope: Scope): RubyValue {
    const source = this.#interpolate(node.parts, scope, node);
    this.budget.charge(source.length >> 6);
    try {
      return makeRegexp(compileCached(source, node.flags));
    } catch (e) {
      throw this.#locate(e, node, null);
    }
  }

  #items(v: RubyValue, node: Node): RubyValue[] {
    if (Array.isArray(v)) {
      this.#charge(v.length, node);
      return [...v];
    }
    if (v instanceof RubyHash) {
      this.#charge(v.size, node);
      return v.entries();
    }
    if (v instanceof RubyRange) {
      try {
        return rangeToArray(v, this.budget.limits.maxCollectionSize);
      } catch (e) {
        if (e instanceof ErbError) throw e.locate(this.#file, node.begin);
        throw e;
      }
    }
    return this.#fail(`can't iterate over ${v === null ? 'nil' : typeof v}`, node);
  }

  /** `pattern === v` for `case/when`; a budget or depth error is located at the `when` value. */
  #caseEqAt(pattern: RubyValue, v: RubyValue, node: Node): boolean {
    try {
      return this.#caseEq(pattern, v, node);
    } catch (e) {
      throw this.#locate(e, node, null);
    }
  }

  #caseEq(pattern: RubyValue, v: RubyValue, node: Node): boolean {
    const k = classObjectName(pattern);
    if (k) return isA(v, k);
    if (pattern instanceof RubyObject && regexpOf(pattern)) return truthy(this.#invoke(node, pattern, '===', [v], null));
    if (pattern instanceof RubyRange) return truthy(this.callMethod(pattern, '===', [v], null));
    return rEqual(pattern, v);
  }

  #opAssign(node: OpAsgnNode, scope: Scope): RubyValue {
    const t = node.target;
    let recv: RubyValue = null;
    let args: RubyValue[] = [];
    let cur: RubyValue;
    if (t.kind === 'lvar') cur = scope.get(t.name);
    else if (t.kind === 'ivar') cur = this.#ivars.get(t.name) ?? null;
    else {
      recv = this.#eval(t.recv!, scope);
      args = t.args.map((a) => this.#eval(a, scope));
      cur = this.#invoke(node, recv, '[]', args, null);
    }
    let v: RubyValue;
    if (node.op === '||') {
      if (truthy(cur)) return cur;
      v = this.#eval(node.value, scope);
    } else if (node.op === '&&') {
      if (!truthy(cur)) return cur;
      v = this.#eval(node.value, scope);
    } else {
      v = this.#invoke(node, cur, node.op, [this.#eval(node.value, scope)], null);
    }
    if (t.kind === 'lvar') scope.set(t.name, v);
    else if (t.kind === 'ivar') this.#ivars.set(t.name, v);
    else this.#invoke(node, recv, '[]=', [...args, v], null);
    return v;
  }

  /** Call a method and locate any error at `node`. */
  #invoke(node: Node, recv: RubyValue, name: string, args: RubyValue[], block: BlockFn | null): RubyValue {
    this.#step(node);
    try {
      return callMethod(this, recv, name, args, block);
    } catch (e) {
      throw this.#locate(e, node, block);
    }
  }

  #locate(e: unknown, node: Node, block: BlockFn | null): unknown {
    if (e instanceof ErbError) return e.locate(this.#file, node.begin);
    if (e instanceof BreakSignal || e instanceof NextSignal) return e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return new ErbRenderError('stack level too deep').locate(this.#file, node.begin);
    }
    void block;
    const msg = e instanceof Error ? e.message : String(e);
    return new ErbRenderError(`internal error: ${msg}`, { cause: e }).locate(this.#file, node.begin);
  }

  #call(node: CallNode, scope: Scope): RubyValue {
    if (node.recv === null) return this.#function(node, scope);
    const recv = this.#eval(node.recv, scope);
    if (node.safeNav && recv === null) return null;
    const args: RubyValue[] = [];
    for (const a of node.args) args.push(this.#eval(a, scope));
    const block = node.block ? this.#makeBlock(node.block, scope) : null;
    const rk = node.recv.kind;
    if (typeof recv === 'string' && (rk === 'lvar' || rk === 'ivar')) {
      const mutated = this.#stringMutation(node, recv, args, block);
      if (mutated !== undefined) {
        if (mutated.changed) {
          if (node.recv.kind === 'lvar') scope.set(node.recv.name, mutated.value);
          else if (node.recv.kind === 'ivar') this.#ivars.set(node.recv.name, mutated.value);
        }
        return mutated.result;
      }
    }
    try {
      return this.#invoke(node, recv, node.name, args, block);
    } catch (e) {
      if (e instanceof BreakSignal && node.block && e.tag === node.block) return e.value;
      throw e;
    }
  }

  /** `s << x`, `s.concat(x)` and bang methods on a string variable rebind the variable. */
  #stringMutation(node: CallNode, recv: string, args: RubyValue[], block: BlockFn | null): { value: string; result: RubyValue; changed: boolean } | undefined {
    const name = node.name;
    if (name === '<<' || name === 'concat' || name === 'prepend') {
      const v = this.#invoke(node, recv, name, args, block) as string;
      return { value: v, result: v, changed: true };
    }
    if (name.endsWith('!') && STRING_BANG_METHODS.has(name.slice(0, -1))) {
      const v = this.#invoke(node, recv, name.slice(0, -1), args, block) as string;
      const changed = v !== recv;
      return { value: v, result: changed ? v : null, changed };
    }
    return undefined;
  }

  #function(node: CallNode, scope: Scope): RubyValue {
    const args: RubyValue[] = [];
    for (const a of node.args) args.push(this.#eval(a, scope));
    const block = node.block ? this.#makeBlock(node.block, scope) : null;
    const name = node.name;
    this.#step(node);
    const macros = this.#macros;
    try {
      // Macros and functions may read their arguments whole (`Integer(s)`, `host_param(s)`).
      if (args.length > 0) chargeSizes(this, 0, args);
      if (macros !== undefined && Object.hasOwn(macros, name)) {
        const m = macros[name];
        if (typeof m !== 'function') this.#fail(`macro '${name}' is not callable`, node);
        const call: { args: RubyValue[]; block?: BlockFn; name: string } = block ? { args, block, name } : { args, name };
        return checkHostValue(m(call), `macro '${name}'`);
      }
      const k = KERNEL_FUNCTIONS.get(name);
      if (k) return k(args, { rt: this, block, name });
    } catch (e) {
      if (e instanceof BreakSignal && node.block && e.tag === node.block) return e.value;
      throw this.#locate(e, node, block);
    }
    if (node.args.length === 0 && !node.block && node.end - node.begin === name.length) {
      this.#fail(`undefined local variable or method '${name}'`, node);
    }
    this.#fail(`undefined method '${name}'`, node);
  }

  #makeBlock(b: BlockNode, scope: Scope): BlockFn {
    // Arrow functions passed as arguments: no per-call function naming cost under tsx/esbuild.
    if (b.symbol !== null) return Object.assign((...args: RubyValue[]) => this.#symbolBlock(b, args), { arity: 1 });
    return Object.assign((...args: RubyValue[]) => this.#callBlock(b, scope, args), { arity: b.params.length });
  }

  #symbolBlock(b: BlockNode, args: RubyValue[]): RubyValue {
    const name = b.symbol ?? '';
    if (args.length === 0) this.#fail(`no receiver given for &:${name}`, b);
    return this.#invoke(b, args[0]!, name, args.slice(1), null);
  }

  #callBlock(b: BlockNode, scope: Scope, args: RubyValue[]): RubyValue {
    this.#step(b);
    const params = b.params;
    const s = new Scope(scope);
    let vals = args;
    if (params.length > 1 && args.length === 1 && Array.isArray(args[0])) vals = args[0];
    for (let i = 0; i < params.length; i++) bindParam(s, params[i]!, vals[i] ?? null);
    try {
      return this.#body(b.body, s);
    } catch (e) {
      if (e instanceof NextSignal) return e.value;
      // A `break` leaving this block ends the call that received it (tagged with the block node).
      if (e instanceof BreakSignal && e.tag === undefined) e.tag = b;
      throw e;
    }
  }
}

function bindParam(scope: Scope, p: BlockParam, v: RubyValue): void {
  if (typeof p === 'string') {
    scope.vars.set(p, v);
    return;
  }
  const arr = Array.isArray(v) ? v : [v];
  for (let i = 0; i < p.length; i++) bindParam(scope, p[i]!, arr[i] ?? null);
}
