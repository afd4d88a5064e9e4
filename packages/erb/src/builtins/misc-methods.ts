/**
 * @module
 * Allow-listed methods of `nil`, `true`/`false`, `Symbol` and `Range`.
 */
import { ErbRenderError } from '../errors.ts';
import { chargeSteps } from '../sandbox/limits.ts';
import { inspectSymbol, rCompare, rEqual, toS } from '../values/conversions.ts';
import { RubySymbol, truthy } from '../values/ruby-value.ts';
import type { RubyRange, RubyValue } from '../values/ruby-value.ts';
import { arity, intArg } from './call-info.ts';
import type { Builtin } from './call-info.ts';

/** NilClass methods. */
export const NIL_METHODS: ReadonlyMap<string, Builtin<null>> = new Map<string, Builtin<null>>([
  ['to_s', () => ''],
  ['to_a', () => []],
  ['to_i', () => 0],
  ['to_f', () => 0],
  ['to_h', () => null],
  ['inspect', () => 'nil'],
  ['=~', () => null],
  ['!~', () => true],
  ['nil?', () => true],
  ['&', () => false],
  ['|', (_s, a) => (arity(a, 1), truthy(a[0]!))],
]);

/** TrueClass / FalseClass methods. */
export const BOOL_METHODS: ReadonlyMap<string, Builtin<boolean>> = new Map<string, Builtin<boolean>>([
  ['to_s', (s) => String(s)],
  ['inspect', (s) => String(s)],
  ['&', (s, a) => (arity(a, 1), s && truthy(a[0]!))],
  ['|', (s, a) => (arity(a, 1), s || truthy(a[0]!))],
  ['^', (s, a) => (arity(a, 1), s !== truthy(a[0]!))],
]);

function symCmp(s: RubySymbol, a: RubyValue[]): number | null {
  arity(a, 1);
  const o = a[0];
  return o instanceof RubySymbol ? (s.name < o.name ? -1 : s.name > o.name ? 1 : 0) : null;
}

/** Symbol methods. */
export const SYMBOL_METHODS: ReadonlyMap<string, Builtin<RubySymbol>> = new Map<string, Builtin<RubySymbol>>([
  ['to_s', (s) => s.name],
  ['id2name', (s) => s.name],
  ['name', (s) => s.name],
  ['to_sym', (s) => s],
  ['inspect', (s) => inspectSymbol(s.name)],
  ['length', (s) => [...s.name].length],
  ['size', (s) => [...s.name].length],
  ['empty?', (s) => s.name.length === 0],
  ['upcase', (s) => new RubySymbol(s.name.toUpperCase())],
  ['downcase', (s) => new RubySymbol(s.name.toLowerCase())],
  ['start_with?', (s, a) => a.some((p) => typeof p === 'string' && s.name.startsWith(p))],
  ['end_with?', (s, a) => a.some((p) => typeof p === 'string' && s.name.endsWith(p))],
  ['<=>', (s, a) => symCmp(s, a)],
  ['<', (s, a) => (symCmp(s, a) ?? 0) < 0],
  ['>', (s, a) => (symCmp(s, a) ?? 0) > 0],
  ['[]', (s, a) => {
    arity(a, 1);
    const i = a[0];
    if (typeof i !== 'number') throw new ErbRenderError('Symbol#[] supports only integer indexes in templates');
    return [...s.name][i < 0 ? i + s.name.length : i] ?? null;
  }],
]);

/** Integer bounds of a range (nil when the range has non-integer bounds). */
export function rangeBounds(r: RubyRange): { from: number; last: number } | null {
  if (typeof r.from !== 'number' || typeof r.to !== 'number') return null;
  const from = Math.ceil(r.from);
  const last = r.exclusive ? (Number.isInteger(r.to) ? r.to - 1 : Math.floor(r.to)) : Math.floor(r.to);
  return { from, last };
}

function rangeInclude(r: RubyRange, v: RubyValue): boolean {
  const lo = rCompare(r.from, v);
  const hi = rCompare(v, r.to);
  if (r.from !== null && (lo === null || lo > 0)) return false;
  if (r.to !== null && (hi === null || (r.exclusive ? hi >= 0 : hi > 0))) return false;
  return true;
}

/** Range methods that do not iterate (iteration goes through {@link rangeToArray} + Array methods). */
export const RANGE_METHODS: ReadonlyMap<string, Builtin<RubyRange>> = new Map<string, Builtin<RubyRange>>([
  ['begin', (r) => r.from],
  ['first', (r, a, i) => {
    if (a.length === 0) return r.from;
    const items = rangeToArray(r, i.rt.budget.limits.maxCollectionSize, Math.max(0, intArg(a[0])));
    return items;
  }],
  ['end', (r) => r.to],
  ['last', (r, a, i) => {
    if (a.length === 0) return r.to;
    const items = rangeToArray(r, i.rt.budget.limits.maxCollectionSize);
    return items.slice(Math.max(0, items.length - Math.max(0, intArg(a[0]))));
  }],
  ['min', (r) => {
    const b = rangeBounds(r);
    return b ? (b.last < b.from ? null : b.from) : r.from;
  }],
  ['max', (r) => {
    const b = rangeBounds(r);
    return b ? (b.last < b.from ? null : b.last) : r.to;
  }],
  ['size', (r) => {
    const b = rangeBounds(r);
    return b ? Math.max(0, b.last - b.from + 1) : null;
  }],
  ['exclude_end?', (r) => r.exclusive],
  ['include?', (r, a) => (arity(a, 1), rangeInclude(r, a[0]!))],
  ['member?', (r, a) => (arity(a, 1), rangeInclude(r, a[0]!))],
  ['cover?', (r, a) => (arity(a, 1), rangeInclude(r, a[0]!))],
  ['===', (r, a) => (arity(a, 1), rangeInclude(r, a[0]!))],
  ['==', (r, a) => (arity(a, 1), rEqual(r, a[0]!))],
  ['to_s', (r) => toS(r)],
]);

/** Materialise a range as an array (integer or single-character string ranges), bounded; one step per element. */
export function rangeToArray(r: RubyRange, max: number, take = Infinity): RubyValue[] {
  const b = rangeBounds(r);
  if (b) {
    if (Number.isNaN(b.from) || Number.isNaN(b.last)) throw new ErbRenderError("can't iterate from NaN");
    const n = Math.min(take, Math.max(0, b.last - b.from + 1));
    if (n > max) throw new ErbRenderError(`collection size limit exceeded (${n} > ${max} elements)`);
    chargeSteps(n);
    const out: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = b.from + i;
    return out;
  }
  if (typeof r.from === 'string' && typeof r.to === 'string' && [...r.from].length === 1 && [...r.to].length === 1) {
    const a = r.from.codePointAt(0)!;
    const z = r.to.codePointAt(0)! - (r.exclusive ? 1 : 0);
    const n = Math.min(take, Math.max(0, z - a + 1));
    if (n > max) throw new ErbRenderError(`collection size limit exceeded (${n} > ${max} elements)`);
    chargeSteps(n);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(String.fromCodePoint(a + i));
    return out;
  }
  throw new ErbRenderError("can't iterate this range (only integer and single-character ranges)");
}
