/**
 * @module
 * Methods every value answers (Ruby's Object/Kernel instance methods and the ActiveSupport
 * `present?`/`blank?`/`presence`/`try`/`in?`/`to_json` family).
 */
import { ErbRenderError } from '../errors.ts';
import { inspect, isBlank, numberToS, rEqual, toS } from '../values/conversions.ts';
import { RubyFloat, RubyHash, RubyObject, RubySymbol, truthy } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { chargeSteps, depthError, valueDepthLimit } from '../sandbox/limits.ts';
import { arity, nameArg } from './call-info.ts';
import type { Builtin } from './call-info.ts';
import { classObject, classObjectName, coreClassName, isA } from './class-objects.ts';

/**
 * JSON encoding as ActiveSupport's `to_json` does it (symbols as strings, nil as null). Charged
 * one step per element and per 64 characters; bounded by `max` characters and the structure depth limit.
 */
export function toJson(v: RubyValue, max: number): string {
  const out = { s: '' };
  jsonInto(out, v, max, 0);
  return out.s;
}

function jsonInto(out: { s: string }, v: RubyValue, max: number, depth: number): void {
  if (Array.isArray(v)) {
    if (depth >= valueDepthLimit()) throw depthError();
    chargeSteps(v.length + 1);
    out.s += '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.s += ',';
      jsonInto(out, v[i]!, max, depth + 1);
    }
    out.s += ']';
  } else if (v instanceof RubyHash) {
    if (depth >= valueDepthLimit()) throw depthError();
    chargeSteps(2 * v.size + 1);
    out.s += '{';
    let i = 0;
    for (const [k, x] of v.entries()) {
      if (i++ > 0) out.s += ',';
      out.s += `${jsonString(toS(k, max))}:`;
      jsonInto(out, x, max, depth + 1);
    }
    out.s += '}';
  } else {
    let x: string;
    if (v === null) x = 'null';
    else if (typeof v === 'string') x = jsonString(v);
    else if (typeof v === 'number') x = Number.isFinite(v) ? String(v) : 'null';
    else if (v instanceof RubyFloat) x = Number.isFinite(v.value) ? numberToS(v.value, true) : 'null';
    else if (typeof v === 'boolean') x = String(v);
    else if (v instanceof RubySymbol) x = jsonString(v.name);
    else x = jsonString(toS(v, max));
    out.s += x;
  }
  if (out.s.length > max) throw new ErbRenderError(`string size limit exceeded (${max} characters)`);
}

function jsonString(s: string): string {
  if (s.length >= 64) chargeSteps(s.length >> 6);
  return JSON.stringify(s);
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
