/**
 * @module
 * Allow-listed `Hash` methods. Enumerable methods not listed here run on the `[key, value]`
 * pairs through the Array implementation (so `h.map { |k, v| … }` works).
 */
import { ErbRenderError } from '../errors.ts';
import { inspect, rEqual } from '../values/conversions.ts';
import { RubyHash, truthy } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { arity, needBlock } from './call-info.ts';
import type { Builtin, CallInfo } from './call-info.ts';

function hashArg(v: RubyValue | undefined): RubyHash {
  if (v instanceof RubyHash) return v;
  throw new ErbRenderError(`no implicit conversion of ${v === undefined || v === null ? 'nil' : typeof v} into Hash`);
}

function filterHash(h: RubyHash, info: CallInfo, keep: boolean): RubyHash {
  const b = needBlock(info);
  const out = new RubyHash();
  for (const [k, v] of h.entries()) {
    info.rt.budget.tick();
    if (truthy(b(k, v)) === keep) out.set(k, v);
  }
  return out;
}

function merge(h: RubyHash, args: RubyValue[], info: CallInfo, into: RubyHash): RubyHash {
  for (const o of args) {
    for (const [k, v] of hashArg(o).entries()) {
      if (info.block && into.has(k)) into.set(k, info.block(k, into.get(k) ?? null, v));
      else into.set(k, v);
    }
    info.rt.budget.checkCollection(into.size);
  }
  void h;
  return into;
}

function mustBeMutable(h: RubyHash): void {
  if (Object.isFrozen(h)) throw new ErbRenderError("can't modify frozen Hash");
}

/** The Hash method table. */
export const HASH_METHODS: ReadonlyMap<string, Builtin<RubyHash>> = new Map<string, Builtin<RubyHash>>([
  ['[]', (h, a) => (arity(a, 1), h.get(a[0]!) ?? null)],
  ['[]=', (h, a, i) => {
    mustBeMutable(h);
    arity(a, 2);
    h.set(a[0]!, a[1]!);
    i.rt.budget.checkCollection(h.size);
    return a[1]!;
  }],
  ['store', (h, a, i) => HASH_METHODS.get('[]=')!(h, a, i)],
  ['fetch', (h, a, i) => {
    arity(a, 1, 2);
    const v = h.get(a[0]!);
    if (v !== undefined) return v;
    if (i.block) return i.block(a[0]!);
    if (a.length === 2) return a[1]!;
    throw new ErbRenderError(`key not found: ${inspect(a[0]!, 100)}`);
  }],
  ['dig', (h, a, i) => {
    let cur: RubyValue = h;
    for (const k of a) {
      if (cur === null) return null;
      cur = i.rt.callMethod(cur, '[]', [k], null);
    }
    return cur;
  }],
  ['key?', (h, a) => (arity(a, 1), h.has(a[0]!))],
  ['has_key?', (h, a) => (arity(a, 1), h.has(a[0]!))],
  ['include?', (h, a) => (arity(a, 1), h.has(a[0]!))],
  ['member?', (h, a) => (arity(a, 1), h.has(a[0]!))],
  ['value?', (h, a) => (arity(a, 1), h.values().some((v) => rEqual(v, a[0]!)))],
  ['has_value?', (h, a) => (arity(a, 1), h.values().some((v) => rEqual(v, a[0]!)))],
  ['key', (h, a) => (arity(a, 1), h.entries().find(([, v]) => rEqual(v, a[0]!))?.[0] ?? null)],
  ['keys', (h) => h.keys()],
  ['values', (h) => h.values()],
  ['values_at', (h, a) => a.map((k) => h.get(k) ?? null)],
  ['fetch_values', (h, a) => a.map((k) => {
    const v = h.get(k);
    if (v === undefined) throw new ErbRenderError(`key not found: ${inspect(k, 100)}`);
    return v;
  })],
  ['length', (h) => h.size],
  ['size', (h) => h.size],
  ['count', (h, a, i) => {
    if (!i.block && a.length === 0) return h.size;
    const b = needBlock(i);
    return h.entries().filter(([k, v]) => truthy(b(k, v))).length;
  }],
  ['empty?', (h) => h.size === 0],
  ['each', (h, _a, i) => {
    if (!i.block) return h.entries();
    const b = i.block;
    for (const p of h.entries()) {
      i.rt.budget.tick();
      b(p);
    }
    return h;
  }],
  ['each_pair', (h, a, i) => HASH_METHODS.get('each')!(h, a, i)],
  ['each_key', (h, _a, i) => {
    const b = needBlock(i);
    for (const k of h.keys()) {
      i.rt.budget.tick();
      b(k);
    }
    return h;
  }],
  ['each_value', (h, _a, i) => {
    const b = needBlock(i);
    for (const v of h.values()) {
      i.rt.budget.tick();
      b(v);
    }
    return h;
  }],
  ['select', (h, _a, i) => filterHash(h, i, true)],
  ['filter', (h, _a, i) => filterHash(h, i, true)],
  ['reject', (h, _a, i) => filterHash(h, i, false)],
  ['merge', (h, a, i) => merge(h, a, i, RubyHash.from(h.entries()))],
  ['update', (h, a, i) => (mustBeMutable(h), merge(h, a, i, h))],
  ['merge!', (h, a, i) => (mustBeMutable(h), merge(h, a, i, h))],
  ['delete', (h, a, i) => {
    mustBeMutable(h);
    arity(a, 1);
    const v = h.delete(a[0]!);
    if (v === undefined) return i.block ? i.block(a[0]!) : null;
    return v;
  }],
  ['clear', (h) => (mustBeMutable(h), h.clear(), h)],
  ['to_h', (h, _a, i) => {
    if (!i.block) return RubyHash.from(h.entries());
    const out = new RubyHash();
    for (const [k, v] of h.entries()) {
      const p = i.block(k, v);
      if (!Array.isArray(p) || p.length !== 2) throw new ErbRenderError('wrong element type (expected array of 2 elements)');
      out.set(p[0]!, p[1]!);
    }
    return out;
  }],
  ['to_a', (h) => h.entries()],
  ['transform_values', (h, _a, i) => {
    const b = needBlock(i);
    return RubyHash.from(h.entries().map(([k, v]) => [k, b(v)] as const));
  }],
  ['transform_keys', (h, _a, i) => {
    const b = needBlock(i);
    return RubyHash.from(h.entries().map(([k, v]) => [b(k), v] as const));
  }],
  ['invert', (h) => RubyHash.from(h.entries().map(([k, v]) => [v, k] as const))],
  ['slice', (h, a) => RubyHash.from(a.filter((k) => h.has(k)).map((k) => [k, h.get(k) ?? null] as const))],
  ['except', (h, a) => {
    const out = RubyHash.from(h.entries());
    for (const k of a) out.delete(k);
    return out;
  }],
  ['compact', (h) => RubyHash.from(h.entries().filter(([, v]) => v !== null))],
  ['sort', (h, _a, i) => {
    const items = h.entries();
    i.rt.budget.charge(items.length);
    return items.sort((x, y) => {
      const c = i.rt.callMethod(x, '<=>', [y], null);
      return typeof c === 'number' ? c : 0;
    });
  }],
  ['any?', (h, _a, i) => (i.block ? h.entries().some(([k, v]) => truthy(i.block!(k, v))) : h.size > 0)],
  ['==', (h, a) => (arity(a, 1), rEqual(h, a[0]!))],
  ['to_s', (h, _a, i) => inspect(h, i.rt.budget.limits.maxStringSize)],
  ['inspect', (h, _a, i) => inspect(h, i.rt.budget.limits.maxStringSize)],
  ['freeze', (h) => (Object.freeze(h), h)],
  ['frozen?', (h) => Object.isFrozen(h)],
]);
