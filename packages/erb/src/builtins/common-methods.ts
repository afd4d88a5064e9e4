/**
 * @module
 * Methods every value answers (Ruby's Object/Kernel instance methods and the ActiveSupport
 * `present?`/`blank?`/`presence`/`try`/`in?`/`to_json` family).
 */
import { ErbRenderError } from '../errors.ts';
import { inspect, isBlank, numberToS, rEqual, toS } from '../values/conversions.ts';
import { RubyFloat, RubyHash, RubyObject, RubyRange, RubySymbol, truthy } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { arity, nameArg } from './call-info.ts';
import type { Builtin } from './call-info.ts';
import { classObject, classObjectName, coreClassName, isA } from './class-objects.ts';

/** JSON encoding as ActiveSupport's `to_json` does it (symbols as strings, nil as null). */
export function toJson(v: RubyValue, max: number, depth = 0): string {
  if (depth > 100) throw new ErbRenderError('value nested too deeply for to_json');
  let out: string;
  if (v === null) out = 'null';
  else if (typeof v === 'string') out = JSON.stringify(v);
  else if (typeof v === 'number') out = Number.isFinite(v) ? String(v) : 'null';
  else if (v instanceof RubyFloat) out = Number.isFinite(v.value) ? numberToS(v.value, true) : 'null';
  else if (typeof v === 'boolean') out = String(v);
  else if (v instanceof RubySymbol) out = JSON.stringify(v.name);
  else if (Array.isArray(v)) out = `[${v.map((x) => toJson(x, max, depth + 1)).join(',')}]`;
  else if (v instanceof RubyHash) out = `{${v.entries().map(([k, x]) => `${JSON.stringify(toS(k))}:${toJson(x, max, depth + 1)}`).join(',')}}`;
  else if (v instanceof RubyRange) out = JSON.stringify(toS(v));
  else out = JSON.stringify(toS(v));
  if (out.length > max) throw new ErbRenderError(`string size limit exceeded (${max} characters)`);
  return out;
}

function klassArg(v: RubyValue | undefined): string {
  const n = v === undefined ? undefined : classObjectName(v);
  if (!n) throw new ErbRenderError('class or module required');
  return n;
}

/** Methods available on every value (looked up after the type's own table). */
export const COMMON_METHODS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['nil?', (s) => s === null],
  ['==', (s, a) => (arity(a, 1), rEqual(s, a[0]!))],
  ['!=', (s, a, i) => (arity(a, 1), !truthy(i.rt.callMethod(s, '==', [a[0]!], null)))],
  ['!', (s) => !truthy(s)],
  ['equal?', (s, a) => (arity(a, 1), s === a[0])],
  ['eql?', (s, a) => (arity(a, 1), rEqual(s, a[0]!))],
  ['===', (s, a, i) => {
    arity(a, 1);
    const k = classObjectName(s);
    if (k) return isA(a[0]!, k);
    return truthy(i.rt.callMethod(s, '==', [a[0]!], null));
  }],
  ['<=>', (s, a) => (arity(a, 1), rEqual(s, a[0]!) ? 0 : null)],
  ['present?', (s) => !isBlank(s)],
  ['blank?', (s) => isBlank(s)],
  ['presence', (s) => (isBlank(s) ? null : s)],
  ['to_s', (s, _a, i) => toS(s, i.rt.budget.limits.maxStringSize)],
  ['inspect', (s, _a, i) => inspect(s, i.rt.budget.limits.maxStringSize)],
  ['to_json', (s, _a, i) => toJson(s, i.rt.budget.limits.maxStringSize)],
  ['is_a?', (s, a) => (arity(a, 1), isA(s, klassArg(a[0])))],
  ['kind_of?', (s, a) => (arity(a, 1), isA(s, klassArg(a[0])))],
  ['instance_of?', (s, a) => (arity(a, 1), isA(s, klassArg(a[0]), true))],
  ['class', (s) => classObject(coreClassName(s)) ?? coreClassName(s)],
  ['dup', (s) => (Array.isArray(s) ? [...s] : s instanceof RubyHash ? RubyHash.from(s.entries()) : s)],
  ['clone', (s) => (Array.isArray(s) ? [...s] : s instanceof RubyHash ? RubyHash.from(s.entries()) : s)],
  ['freeze', (s) => s],
  ['frozen?', (s) => !(Array.isArray(s) || s instanceof RubyHash)],
  ['itself', (s) => s],
  ['then', (s, _a, i) => (i.block ? i.block(s) : s)],
  ['yield_self', (s, _a, i) => (i.block ? i.block(s) : s)],
  ['tap', (s, _a, i) => {
    if (i.block) i.block(s);
    return s;
  }],
  ['in?', (s, a, i) => (arity(a, 1), truthy(i.rt.callMethod(a[0]!, 'include?', [s], null)))],
  ['respond_to?', (s, a) => (arity(a, 1, 2), respondTo(s, nameArg(a[0])))],
  ['try', (s, a, i) => {
    if (a.length === 0) return i.block ? i.block(s) : null;
    const name = nameArg(a[0]);
    if (s === null || !respondTo(s, name)) return null;
    return i.rt.callMethod(s, name, a.slice(1), i.block);
  }],
]);

/** Filled in by the dispatcher module to answer `respond_to?` without an import cycle. */
let responder: (v: RubyValue, name: string) => boolean = () => false;

/** @internal Register the dispatcher's method lookup. */
export function setResponder(fn: (v: RubyValue, name: string) => boolean): void {
  responder = fn;
}

/** `respond_to?` through the allow-list. */
export function respondTo(v: RubyValue, name: string): boolean {
  if (v instanceof RubyObject && v.responds(name)) return true;
  return responder(v, name);
}
