/**
 * @module
 * `Regexp` and `MatchData` values. Both are {@link RubyObject}s with a fixed method table (so
 * `to_s`, `inspect`, `class`, `is_a?(Regexp)` work like for any value); the compiled pattern and
 * the match state are kept in module-private WeakMaps, out of reach of templates and host code.
 * Matching itself always goes through the linear-time engine in `../regex/`.
 */
import { ErbRenderError } from '../errors.ts';
import type { RenderBudget } from '../sandbox/limits.ts';
import { chargeSteps } from '../sandbox/limits.ts';
import type { StepMeter } from '../regex/pike-vm.ts';
import { compileRegex, execRegex, parseFlags, regexInspect, regexToS } from '../regex/regex.ts';
import type { CompiledRegex } from '../regex/regex.ts';
import { RegexSyntaxError } from '../regex/syntax.ts';
import { inspectString } from '../values/conversions.ts';
import { RubyHash, RubyObject, RubySymbol } from '../values/ruby-value.ts';
import type { RubyTableMethod, RubyValue } from '../values/ruby-value.ts';

const REGEXPS = new WeakMap<RubyObject, CompiledRegex>();
const MATCHES = new WeakMap<RubyObject, MatchState>();

/** What a MatchData holds. */
export interface MatchState {
  readonly re: CompiledRegex;
  readonly input: string;
  /** Capture slots `[begin0, end0, …]`, -1 when a group did not take part. */
  readonly slots: Int32Array;
}

/** The compiled pattern of a Regexp value, or undefined for any other value. */
export function regexpOf(v: RubyValue | undefined): CompiledRegex | undefined {
  return v instanceof RubyObject ? REGEXPS.get(v) : undefined;
}

/** The state of a MatchData value, or undefined. */
export function matchOf(v: RubyValue | undefined): MatchState | undefined {
  return v instanceof RubyObject ? MATCHES.get(v) : undefined;
}

/** Text of group `g` of a match, or null when it did not take part. */
export function groupText(m: MatchState, g: number): string | null {
  const b = m.slots[g * 2];
  const e = m.slots[g * 2 + 1];
  if (b === undefined || e === undefined || b < 0 || e < 0) return null;
  return m.input.slice(b, e);
}

/** Group number of a name (string or symbol), or an IndexError-like error. */
export function groupIndex(re: CompiledRegex, key: RubyValue | undefined): number {
  if (typeof key === 'number' && Number.isInteger(key)) return key;
  const name = typeof key === 'string' ? key : key instanceof RubySymbol ? key.name : undefined;
  if (name === undefined) throw new ErbRenderError('no implicit conversion into Integer for a match group');
  const found = re.names.find(([n]) => n === name);
  if (!found) throw new ErbRenderError(`undefined group name reference: ${name}`);
  return found[1];
}

// ---- compile --------------------------------------------------------------------------------

const CACHE = new Map<string, CompiledRegex>();
const CACHE_MAX = 256;
/** Longer patterns are not cached (bounds the cache's memory). */
const CACHE_MAX_SOURCE = 1024;

/** Compile (cached) a pattern built at render time; syntax errors become render errors. */
export function compileCached(source: string, flags: string): CompiledRegex {
  const key = `${flags}/${source}`;
  const hit = CACHE.get(key);
  if (hit) return hit;
  // Compiling reads the pattern and emits a program of bounded size: one step per character.
  chargeSteps(16 + source.length);
  let re: CompiledRegex;
  try {
    re = compileRegex(source, parseFlags(flags));
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new ErbRenderError(regexErrorMessage(e, source));
    throw e;
  }
  if (source.length <= CACHE_MAX_SOURCE) {
    if (CACHE.size >= CACHE_MAX) CACHE.delete(CACHE.keys().next().value!);
    CACHE.set(key, re);
  }
  return re;
}

/** Message of a pattern error: what is wrong, where, in which pattern. */
export function regexErrorMessage(e: RegexSyntaxError, source: string): string {
  const shown = source.length > 60 ? `${source.slice(0, 60)}…` : source;
  return e.offset >= 0 ? `${e.message} (at offset ${e.offset} of /${shown}/)` : `${e.message} in /${shown}/`;
}

/**
 * A step meter charging the render budget one step per 16 VM steps (a VM step costs about as much
 * as 1/16 of an interpreter step, so the step budget, not the wall clock, ends regex-heavy renders).
 */
export function meterFor(budget: RenderBudget): StepMeter {
  let carry = 0;
  return (n) => {
    carry += n;
    if (carry >= 16) {
      budget.charge(carry >> 4);
      carry &= 15;
    }
  };
}

/** Search `input` from `start` within the budget. */
export function search(re: CompiledRegex, input: string, start: number, budget: RenderBudget, anchored = false): Int32Array | null {
  return execRegex(re, input, start, meterFor(budget), anchored);
}

// ---- Regexp ---------------------------------------------------------------------------------

/** Wrap a compiled pattern as a template value. */
export function makeRegexp(re: CompiledRegex): RubyObject {
  const obj = new RubyObject('Regexp', REGEXP_TABLE, re);
  REGEXPS.set(obj, re);
  return obj;
}

/** Wrap a successful match as a MatchData value. */
export function makeMatchData(re: CompiledRegex, input: string, slots: Int32Array): RubyObject {
  const state: MatchState = { re, input, slots };
  const obj = new RubyObject('MatchData', MATCH_TABLE, state);
  MATCHES.set(obj, state);
  return obj;
}

/** The Regexp object table (methods that need no budget; matching ones are in regexp-methods.ts). */
const REGEXP_TABLE: ReadonlyMap<string, RubyTableMethod<CompiledRegex>> = new Map<string, RubyTableMethod<CompiledRegex>>([
  ['source', (re) => re.source],
  ['to_s', (re) => regexToS(re)],
  ['inspect', (re) => regexInspect(re)],
  ['casefold?', (re) => re.flags.i],
  ['options', (re) => (re.flags.i ? 1 : 0) | (re.flags.x ? 2 : 0) | (re.flags.m ? 4 : 0)],
  ['names', (re) => re.names.map(([n]) => n)],
  ['==', (re, a) => sameRegexp(re, regexpOf(a[0]))],
  ['eql?', (re, a) => sameRegexp(re, regexpOf(a[0]))],
]);

function sameRegexp(a: CompiledRegex, b: CompiledRegex | undefined): boolean {
  return b !== undefined && a.source === b.source && a.flags.i === b.flags.i && a.flags.m === b.flags.m && a.flags.x === b.flags.x;
}

function matchToA(m: MatchState): RubyValue[] {
  const out: RubyValue[] = [];
  for (let g = 0; g <= m.re.groups; g++) out.push(groupText(m, g));
  return out;
}

function matchIndex(m: MatchState, key: RubyValue | undefined): RubyValue {
  if (typeof key === 'number') {
    const n = m.re.groups + 1;
    const i = key < 0 ? key + n : key;
    return i >= 0 && i < n ? groupText(m, i) : null;
  }
  return groupText(m, groupIndex(m.re, key));
}

/** The MatchData object table. */
const MATCH_TABLE: ReadonlyMap<string, RubyTableMethod<MatchState>> = new Map<string, RubyTableMethod<MatchState>>([
  ['[]', (m, a) => {
    if (a.length !== 1) throw new ErbRenderError(`wrong number of arguments (given ${a.length}, expected 1)`);
    return matchIndex(m, a[0]);
  }],
  ['captures', (m) => matchToA(m).slice(1)],
  ['to_a', (m) => matchToA(m)],
  ['named_captures', (m) => RubyHash.from(m.re.names.map(([n, g]) => [n, groupText(m, g)]))],
  ['names', (m) => m.re.names.map(([n]) => n)],
  ['pre_match', (m) => m.input.slice(0, m.slots[0])],
  ['post_match', (m) => m.input.slice(m.slots[1])],
  ['to_s', (m) => groupText(m, 0) ?? ''],
  ['string', (m) => m.input],
  ['regexp', (m) => makeRegexp(m.re)],
  ['size', (m) => m.re.groups + 1],
  ['length', (m) => m.re.groups + 1],
  ['begin', (m, a) => {
    const s = m.slots[groupIndex(m.re, a[0] ?? 0) * 2];
    return s === undefined || s < 0 ? null : s;
  }],
  ['end', (m, a) => {
    const s = m.slots[groupIndex(m.re, a[0] ?? 0) * 2 + 1];
    return s === undefined || s < 0 ? null : s;
  }],
  ['values_at', (m, a) => a.map((k) => matchIndex(m, k))],
  ['inspect', (m) => {
    let s = `#<MatchData ${inspectString(groupText(m, 0) ?? '')}`;
    const named = new Map(m.re.names.map(([n, g]) => [g, n]));
    for (let g = 1; g <= m.re.groups; g++) {
      const t = groupText(m, g);
      s += ` ${named.get(g) ?? g}:${t === null ? 'nil' : inspectString(t)}`;
    }
    return `${s}>`;
  }],
]);
