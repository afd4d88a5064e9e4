/**
 * @module
 * Allow-listed `Array` methods, including the Enumerable ones (also used for `Hash` and `Range`
 * through {@link ENUMERABLE_METHODS}). Results are bounded by the collection size limit.
 */
import { ErbRenderError } from '../errors.ts';
import { chargeSteps, depthError, valueDepthLimit } from '../sandbox/limits.ts';
import { compareOrFail, inspect, isBlank, rEqual, toS } from '../values/conversions.ts';
import { hashKey, RubyHash, RubyRange, RubySymbol, truthy } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { arity, intArg, nameArg, needBlock } from './call-info.ts';
import type { BlockFn, Builtin, CallInfo } from './call-info.ts';
import { rangeToArray } from './misc-methods.ts';

function tick(info: CallInfo): void {
  info.rt.budget.tick();
}

/** `grep(pattern)` / `grep_v`: elements for which `pattern === element` holds (or not), mapped by the block. */
function grep(a: RubyValue[], args: RubyValue[], info: CallInfo, keep: boolean): RubyValue[] {
  arity(args, 1);
  const pattern = args[0]!;
  const out: RubyValue[] = [];
  for (const x of a) {
    tick(info);
    if (truthy(info.rt.callMethod(pattern, '===', [x], null)) === keep) out.push(info.block ? info.block(x) : x);
  }
  return out;
}

function arrArg(v: RubyValue | undefined): RubyValue[] {
  if (Array.isArray(v)) return v;
  throw new ErbRenderError(`no implicit conversion of ${v === undefined || v === null ? 'nil' : typeof v} into Array`);
}

/**
 * Ruby `Array#flatten` with depth, cycle detection, the structure depth limit and the size
 * limit; every element visited costs one step (a shared structure is walked once per path).
 */
export function flatten(a: RubyValue[], depth: number, max: number): RubyValue[] {
  const out: RubyValue[] = [];
  flattenInto(out, a, depth, max, new Set(), 0);
  return out;
}

function flattenInto(out: RubyValue[], a: RubyValue[], depth: number, max: number, seen: Set<RubyValue[]>, level: number): void {
  if (seen.has(a)) throw new ErbRenderError('tried to flatten recursive array');
  if (level >= valueDepthLimit()) throw depthError();
  chargeSteps(a.length + 1);
  seen.add(a);
  for (const x of a) {
    if (Array.isArray(x) && depth !== 0) flattenInto(out, x, depth - 1, max, seen, level + 1);
    else out.push(x);
    if (out.length > max) throw new ErbRenderError(`collection size limit exceeded (${max} elements)`);
  }
  seen.delete(a);
}

/** Charge `n log n` steps for sorting `n` items (comparisons of structures charge their own walks). */
function chargeSort(info: CallInfo, n: number): void {
  info.rt.budget.charge(n * Math.max(1, Math.ceil(Math.log2(n + 1))));
}

/** Charge one step per element of an array built by a builtin, and return it. */
function made<T extends RubyValue[]>(info: CallInfo, a: T): T {
  info.rt.budget.charge(a.length);
  return a;
}

/** Hashing an element (building its key, a Set lookup) costs about two element visits: charge them. */
function chargeHashing(n: number): void {
  chargeSteps(2 * n);
}

function uniqBy(items: RubyValue[], key: (x: RubyValue) => RubyValue): RubyValue[] {
  chargeHashing(items.length);
  const seen = new Set<string>();
  const out: RubyValue[] = [];
  for (const x of items) {
    const k = hashKey(key(x));
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

function sortWith(items: RubyValue[], info: CallInfo): RubyValue[] {
  const copy = [...items];
  chargeSort(info, copy.length);
  if (info.block) {
    const b = info.block;
    return copy.sort((x, y) => {
      const r = b(x, y);
      if (typeof r !== 'number') throw new ErbRenderError(`comparison of ${inspect(x, 50)} with ${inspect(y, 50)} failed`);
      return r;
    });
  }
  return copy.sort(compareOrFail);
}

function sortBy(items: RubyValue[], block: BlockFn, info: CallInfo): RubyValue[] {
  chargeSort(info, items.length);
  const keyed = items.map((x) => [block(x), x] as const);
  keyed.sort((p, q) => compareOrFail(p[0], q[0]));
  return keyed.map((p) => p[1]);
}

function extreme(items: RubyValue[], info: CallInfo, sign: 1 | -1, by: boolean): RubyValue {
  let best: RubyValue = null;
  let bestKey: RubyValue = null;
  let first = true;
  for (const x of items) {
    tick(info);
    const k = by ? needBlock(info)(x) : x;
    if (first) {
      best = x;
      bestKey = k;
      first = false;
      continue;
    }
    const c = !by && info.block ? (info.block(k, bestKey) as number) : compareOrFail(k, bestKey);
    if (c * sign > 0) {
      best = x;
      bestKey = k;
    }
  }
  return best;
}

function sum(items: RubyValue[], args: RubyValue[], info: CallInfo): RubyValue {
  let acc: RubyValue = args.length ? args[0]! : 0;
  for (const x of items) {
    tick(info);
    const v = info.block ? info.block(x) : x;
    acc = info.rt.callMethod(acc, '+', [v], null);
  }
  return acc;
}

function inject(items: RubyValue[], args: RubyValue[], info: CallInfo): RubyValue {
  arity(args, 0, 2);
  let op: string | null = null;
  let acc: RubyValue | undefined;
  if (args.length === 2) {
    acc = args[0]!;
    op = nameArg(args[1]);
  } else if (args.length === 1 && !info.block) op = nameArg(args[0]);
  else if (args.length === 1) acc = args[0]!;
  for (const x of items) {
    tick(info);
    if (acc === undefined) {
      acc = x;
      continue;
    }
    acc = op ? info.rt.callMethod(acc, op, [x], null) : needBlock(info)(acc, x);
  }
  return acc ?? null;
}

function count(items: RubyValue[], args: RubyValue[], info: CallInfo): number {
  arity(args, 0, 1);
  if (args.length) return items.filter((x) => rEqual(x, args[0]!)).length;
  if (info.block) return items.filter((x) => (tick(info), truthy(info.block!(x)))).length;
  return items.length;
}

function pred(_items: RubyValue[], args: RubyValue[], info: CallInfo, x: RubyValue): boolean {
  if (args.length) return info.rt.callMethod(args[0]!, '===', [x], null) === true;
  if (info.block) return truthy(info.block(x));
  return truthy(x);
}

function eachSlice(items: RubyValue[], args: RubyValue[], info: CallInfo, cons: boolean): RubyValue {
  arity(args, 1);
  const n = intArg(args[0]);
  if (n <= 0) throw new ErbRenderError('invalid slice size');
  // each_cons(n) builds (size - n + 1) slices of n elements: charge and bound them before building.
  const slices = cons ? Math.max(0, items.length - n + 1) : Math.ceil(items.length / n);
  info.rt.budget.checkCollection(slices);
  info.rt.budget.charge(cons ? slices * Math.min(n, items.length) : items.length);
  const out: RubyValue[][] = [];
  if (cons) for (let i = 0; i + n <= items.length; i++) out.push(items.slice(i, i + n));
  else for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  if (info.block) {
    for (const s of out) {
      tick(info);
      info.block(s);
    }
    return null;
  }
  return out;
}

/** Enumerable methods over a list of items (hash items are `[key, value]` pairs). */
export const ENUMERABLE_METHODS: ReadonlyMap<string, Builtin<RubyValue[]>> = new Map<string, Builtin<RubyValue[]>>([
  // Without a block, iteration methods return an array standing in for Ruby's Enumerator,
  // so `each_with_index.map { |x, i| }` and `map.with_index { |x, i| }` work.
  ['each', (a, _x, i) => {
    if (!i.block) return [...a];
    const b = i.block;
    for (const x of [...a]) {
      tick(i);
      b(x);
    }
    return a;
  }],
  ['each_with_index', (a, _x, i) => {
    if (!i.block) return a.map((x, n) => [x, n]);
    const b = i.block;
    [...a].forEach((x, n) => {
      tick(i);
      b(x, n);
    });
    return a;
  }],
  ['each_with_object', (a, args, i) => {
    arity(args, 1);
    const b = needBlock(i);
    for (const x of [...a]) {
      tick(i);
      b(x, args[0]!);
    }
    return args[0]!;
  }],
  ['map', (a, _x, i) => {
    if (!i.block) return [...a];
    const b = i.block;
    return a.map((x) => (tick(i), b(x)));
  }],
  ['collect', (a, x, i) => ENUMERABLE_METHODS.get('map')!(a, x, i)],
  ['with_index', (a, args, i) => {
    arity(args, 0, 1);
    const offset = args.length && args[0] !== null ? intArg(args[0]) : 0;
    if (!i.block) return a.map((x, n) => [x, n + offset]);
    const b = i.block;
    return a.map((x, n) => (tick(i), b(x, n + offset)));
  }],
  ['map_with_index', (a, _x, i) => {
    const b = needBlock(i);
    return a.map((x, n) => (tick(i), b(x, n)));
  }],
  ['flat_map', (a, _x, i) => {
    const b = needBlock(i);
    const out: RubyValue[] = [];
    for (const x of a) {
      tick(i);
      const r = b(x);
      if (Array.isArray(r)) {
        i.rt.budget.checkCollection(out.length + r.length);
        i.rt.budget.charge(r.length);
        out.push(...r);
      } else out.push(r);
      i.rt.budget.checkCollection(out.length);
    }
    return out;
  }],
  ['filter_map', (a, _x, i) => {
    const b = needBlock(i);
    const out: RubyValue[] = [];
    for (const x of a) {
      tick(i);
      const r = b(x);
      if (truthy(r)) out.push(r);
    }
    return out;
  }],
  ['select', (a, _x, i) => a.filter((x) => (tick(i), truthy(needBlock(i)(x))))],
  ['filter', (a, _x, i) => a.filter((x) => (tick(i), truthy(needBlock(i)(x))))],
  ['reject', (a, _x, i) => a.filter((x) => (tick(i), !truthy(needBlock(i)(x))))],
  ['grep', (a, x, i) => grep(a, x, i, true)],
  ['grep_v', (a, x, i) => grep(a, x, i, false)],
  ['partition', (a, _x, i) => {
    const yes: RubyValue[] = [];
    const no: RubyValue[] = [];
    for (const x of a) (tick(i), truthy(needBlock(i)(x)) ? yes : no).push(x);
    return [yes, no];
  }],
  ['find', (a, _x, i) => a.find((x) => (tick(i), truthy(needBlock(i)(x)))) ?? null],
  ['detect', (a, _x, i) => a.find((x) => (tick(i), truthy(needBlock(i)(x)))) ?? null],
  ['find_index', (a, args, i) => {
    const n = args.length ? a.findIndex((x) => rEqual(x, args[0]!)) : a.findIndex((x) => (tick(i), truthy(needBlock(i)(x))));
    return n < 0 ? null : n;
  }],
  ['any?', (a, args, i) => a.some((x) => (tick(i), pred(a, args, i, x)))],
  ['all?', (a, args, i) => a.every((x) => (tick(i), pred(a, args, i, x)))],
  ['none?', (a, args, i) => !a.some((x) => (tick(i), pred(a, args, i, x)))],
  ['one?', (a, args, i) => a.filter((x) => (tick(i), pred(a, args, i, x))).length === 1],
  ['count', (a, args, i) => count(a, args, i)],
  ['include?', (a, args) => (arity(args, 1), a.some((x) => rEqual(x, args[0]!)))],
  ['member?', (a, args) => (arity(args, 1), a.some((x) => rEqual(x, args[0]!)))],
  ['sort', (a, _x, i) => sortWith(a, i)],
  ['sort_by', (a, _x, i) => sortBy(a, needBlock(i), i)],
  ['min', (a, _x, i) => extreme(a, i, -1, false)],
  ['max', (a, _x, i) => extreme(a, i, 1, false)],
  ['min_by', (a, _x, i) => extreme(a, i, -1, true)],
  ['max_by', (a, _x, i) => extreme(a, i, 1, true)],
  ['sum', (a, args, i) => sum(a, args, i)],
  ['inject', (a, args, i) => inject(a, args, i)],
  ['reduce', (a, args, i) => inject(a, args, i)],
  ['group_by', (a, _x, i) => {
    const b = needBlock(i);
    const h = new RubyHash();
    for (const x of a) {
      tick(i);
      const k = b(x);
      const cur = h.get(k);
      if (Array.isArray(cur)) cur.push(x);
      else h.set(k, [x]);
    }
    return h;
  }],
  ['tally', (a) => {
    chargeHashing(a.length);
    const h = new RubyHash();
    for (const x of a) h.set(x, ((h.get(x) as number | undefined) ?? 0) + 1);
    return h;
  }],
  ['uniq', (a, _x, i) => uniqBy(a, i.block ? i.block : (x) => x)],
  ['to_a', (a) => [...a]],
  ['entries', (a) => [...a]],
  ['to_h', (a, _x, i) => {
    const h = new RubyHash();
    for (const x of a) {
      const p = i.block ? i.block(x) : x;
      if (!Array.isArray(p) || p.length !== 2) throw new ErbRenderError(`wrong element type ${inspect(p, 50)} (expected array of 2 elements)`);
      h.set(p[0]!, p[1]!);
    }
    return h;
  }],
  ['first', (a, args, i) => {
    arity(args, 0, 1);
    return args.length ? made(i, a.slice(0, Math.max(0, intArg(args[0])))) : (a[0] ?? null);
  }],
  ['take', (a, args, i) => (arity(args, 1), made(i, a.slice(0, Math.max(0, intArg(args[0])))))],
  ['drop', (a, args) => (arity(args, 1), a.slice(Math.max(0, intArg(args[0]))))],
  ['take_while', (a, _x, i) => {
    const out: RubyValue[] = [];
    for (const x of a) {
      if (!truthy(needBlock(i)(x))) break;
      out.push(x);
    }
    return out;
  }],
  ['drop_while', (a, _x, i) => {
    let n = 0;
    while (n < a.length && truthy(needBlock(i)(a[n]!))) n++;
    return a.slice(n);
  }],
  ['each_slice', (a, args, i) => eachSlice(a, args, i, false)],
  ['each_cons', (a, args, i) => eachSlice(a, args, i, true)],
  ['zip', (a, args, i) => {
    const others = args.map(arrArg);
    i.rt.budget.charge(a.length * (1 + others.length));
    return a.map((x, n) => [x, ...others.map((o) => o[n] ?? null)]);
  }],
  ['min_max', (a, _x, i) => [extreme(a, i, -1, false), extreme(a, i, 1, false)]],
  ['minmax', (a, _x, i) => [extreme(a, i, -1, false), extreme(a, i, 1, false)]],
]);

function idx(a: RubyValue[], i: number): number {
  return i < 0 ? i + a.length : i;
}

function slice(a: RubyValue[], args: RubyValue[], info: CallInfo): RubyValue {
  arity(args, 1, 2);
  const r = sliceOf(a, args);
  if (Array.isArray(r)) info.rt.budget.charge(r.length);
  return r;
}

function sliceOf(a: RubyValue[], args: RubyValue[]): RubyValue {
  const x = args[0]!;
  if (args.length === 2) {
    const start = idx(a, intArg(x));
    const n = intArg(args[1]);
    if (start < 0 || start > a.length || n < 0) return null;
    return a.slice(start, start + n);
  }
  if (x instanceof RubyRange) {
    const from = idx(a, x.from === null ? 0 : intArg(x.from));
    let to = x.to === null ? a.length - 1 : idx(a, intArg(x.to));
    if (x.exclusive && x.to !== null) to--;
    if (from < 0 || from > a.length) return null;
    return a.slice(from, to + 1);
  }
  return a[idx(a, intArg(x))] ?? null;
}

function mustBeMutable(a: RubyValue[]): void {
  if (Object.isFrozen(a)) throw new ErbRenderError("can't modify frozen Array");
}

/** Array-specific methods (Enumerable ones come from {@link ENUMERABLE_METHODS}). */
export const ARRAY_METHODS: ReadonlyMap<string, Builtin<RubyValue[]>> = new Map<string, Builtin<RubyValue[]>>([
  ['length', (a) => a.length],
  ['size', (a) => a.length],
  ['empty?', (a) => a.length === 0],
  ['last', (a, args, i) => {
    arity(args, 0, 1);
    return args.length ? made(i, a.slice(Math.max(0, a.length - intArg(args[0])))) : (a[a.length - 1] ?? null);
  }],
  ['[]', (a, args, i) => slice(a, args, i)],
  ['slice', (a, args, i) => slice(a, args, i)],
  ['at', (a, args) => (arity(args, 1), a[idx(a, intArg(args[0]))] ?? null)],
  ['dig', (a, args, i) => {
    let cur: RubyValue = a;
    for (const k of args) {
      if (cur === null) return null;
      cur = i.rt.callMethod(cur, '[]', [k], null);
    }
    return cur;
  }],
  ['fetch', (a, args, i) => {
    arity(args, 1, 2);
    const n = intArg(args[0]);
    const j = idx(a, n);
    if (j >= 0 && j < a.length) return a[j]!;
    if (i.block) return i.block(args[0]!);
    if (args.length === 2) return args[1]!;
    throw new ErbRenderError(`index ${n} outside of array bounds: ${-a.length}...${a.length}`);
  }],
  ['values_at', (a, args) => args.map((n) => a[idx(a, intArg(n))] ?? null)],
  ['index', (a, args, i) => ENUMERABLE_METHODS.get('find_index')!(a, args, i)],
  ['rindex', (a, args) => {
    arity(args, 1);
    for (let n = a.length - 1; n >= 0; n--) if (rEqual(a[n]!, args[0]!)) return n;
    return null;
  }],
  ['join', (a, args, i) => {
    arity(args, 0, 1);
    const max = i.rt.budget.limits.maxStringSize;
    const sep = args.length && args[0] !== null ? toS(args[0]!, max) : '';
    let out = '';
    const seen = new Set<RubyValue[]>();
    // Ruby joins nested arrays recursively: [1, [2, 3]].join("-") == "1-2-3", [1, [], 2].join("-") == "1--2".
    // Every element visited costs a step; a cycle or too deep a nesting fails.
    const walk = (arr: RubyValue[], depth: number): void => {
      if (seen.has(arr)) throw new ErbRenderError('recursive array join');
      if (depth >= valueDepthLimit()) throw depthError();
      i.rt.budget.charge(arr.length + 1);
      seen.add(arr);
      for (let n = 0; n < arr.length; n++) {
        if (n > 0) out += sep;
        const x = arr[n]!;
        if (Array.isArray(x)) walk(x, depth + 1);
        else out += toS(x, max);
        if (out.length > max) throw new ErbRenderError(`string size limit exceeded (${max} characters)`);
      }
      seen.delete(arr);
    };
    walk(a, 0);
    i.rt.budget.checkString(out.length);
    return out;
  }],
  ['reverse', (a) => [...a].reverse()],
  ['rotate', (a, args) => {
    if (a.length === 0) return [];
    const n = ((args.length ? intArg(args[0]) : 1) % a.length + a.length) % a.length;
    return [...a.slice(n), ...a.slice(0, n)];
  }],
  ['compact', (a) => a.filter((x) => x !== null)],
  ['flatten', (a, args, i) => flatten(a, args.length && args[0] !== null ? intArg(args[0]) : -1, i.rt.budget.limits.maxCollectionSize)],
  ['push', (a, args, i) => {
    mustBeMutable(a);
    i.rt.budget.checkCollection(a.length + args.length);
    a.push(...args);
    return a;
  }],
  ['append', (a, args, i) => ARRAY_METHODS.get('push')!(a, args, i)],
  ['<<', (a, args, i) => (arity(args, 1), ARRAY_METHODS.get('push')!(a, args, i))],
  ['unshift', (a, args, i) => {
    mustBeMutable(a);
    i.rt.budget.checkCollection(a.length + args.length);
    a.unshift(...args);
    return a;
  }],
  ['prepend', (a, args, i) => ARRAY_METHODS.get('unshift')!(a, args, i)],
  ['insert', (a, args, i) => {
    mustBeMutable(a);
    if (args.length < 1) throw new ErbRenderError('wrong number of arguments (given 0, expected 1+)');
    i.rt.budget.checkCollection(a.length + args.length);
    const at = intArg(args[0]);
    a.splice(at < 0 ? a.length + at + 1 : at, 0, ...args.slice(1));
    return a;
  }],
  ['concat', (a, args, i) => {
    mustBeMutable(a);
    for (const o of args) {
      i.rt.budget.checkCollection(a.length + arrArg(o).length);
      a.push(...arrArg(o));
    }
    return a;
  }],
  ['pop', (a) => (mustBeMutable(a), a.pop() ?? null)],
  ['shift', (a) => (mustBeMutable(a), a.shift() ?? null)],
  ['delete', (a, args) => {
    mustBeMutable(a);
    arity(args, 1);
    let found: RubyValue | undefined;
    for (let n = a.length - 1; n >= 0; n--) {
      if (rEqual(a[n]!, args[0]!)) {
        found = a[n]!;
        a.splice(n, 1);
      }
    }
    return found === undefined ? null : found;
  }],
  ['delete_at', (a, args) => {
    mustBeMutable(a);
    arity(args, 1);
    const j = idx(a, intArg(args[0]));
    if (j < 0 || j >= a.length) return null;
    return a.splice(j, 1)[0] ?? null;
  }],
  ['delete_if', (a, _x, i) => {
    mustBeMutable(a);
    const keep = a.filter((x) => !truthy(needBlock(i)(x)));
    a.length = 0;
    a.push(...keep);
    return a;
  }],
  ['clear', (a) => {
    mustBeMutable(a);
    a.length = 0;
    return a;
  }],
  ['[]=', (a, args, i) => {
    mustBeMutable(a);
    arity(args, 2);
    const j = idx(a, intArg(args[0]));
    if (j < 0) throw new ErbRenderError(`index ${intArg(args[0])} too small for array`);
    i.rt.budget.checkCollection(j + 1);
    if (j > a.length) i.rt.budget.charge(j - a.length);
    while (a.length < j) a.push(null);
    a[j] = args[1]!;
    return args[1]!;
  }],
  ['+', (a, args, i) => {
    arity(args, 1);
    const o = arrArg(args[0]);
    i.rt.budget.created(a.length + o.length);
    return [...a, ...o];
  }],
  ['-', (a, args) => {
    arity(args, 1);
    const other = arrArg(args[0]);
    chargeHashing(a.length + other.length);
    const keys = new Set(other.map((x) => hashKey(x)));
    return a.filter((x) => !keys.has(hashKey(x)));
  }],
  ['&', (a, args) => {
    arity(args, 1);
    const other = arrArg(args[0]);
    chargeHashing(a.length + other.length);
    const keys = new Set(other.map((x) => hashKey(x)));
    return uniqBy(a.filter((x) => keys.has(hashKey(x))), (x) => x);
  }],
  ['|', (a, args) => (arity(args, 1), uniqBy([...a, ...arrArg(args[0])], (x) => x))],
  ['*', (a, args, i) => {
    arity(args, 1);
    if (typeof args[0] === 'string') return ARRAY_METHODS.get('join')!(a, args, i);
    const n = intArg(args[0]);
    if (n < 0) throw new ErbRenderError('negative argument');
    // `[] * 10**9` is empty: the copy loop must not run n times for nothing.
    if (a.length === 0) return [];
    i.rt.budget.created(a.length * n);
    const out: RubyValue[] = [];
    for (let k = 0; k < n; k++) out.push(...a);
    return out;
  }],
  ['==', (a, args) => (arity(args, 1), rEqual(a, args[0]!))],
  ['eql?', (a, args) => (arity(args, 1), rEqual(a, args[0]!))],
  ['<=>', (a, args) => (arity(args, 1), Array.isArray(args[0]) ? compareOrFail(a, args[0]) : null)],
  ['to_s', (a, _x, i) => inspect(a, i.rt.budget.limits.maxStringSize)],
  ['inspect', (a, _x, i) => inspect(a, i.rt.budget.limits.maxStringSize)],
  ['to_ary', (a) => a],
  ['transpose', (a, _x, i) => {
    if (a.length === 0) return [];
    const rows = a.map(arrArg);
    const w = rows[0]!.length;
    if (rows.some((r) => r.length !== w)) throw new ErbRenderError('element size differs');
    i.rt.budget.checkCollection(w);
    i.rt.budget.charge(w * rows.length);
    return Array.from({ length: w }, (_, c) => rows.map((r) => r[c]!));
  }],
  ['product', (a, args, i) => {
    let out: RubyValue[][] = a.map((x) => [x]);
    for (const o of args) {
      const arr = arrArg(o);
      i.rt.budget.checkCollection(out.length * arr.length);
      i.rt.budget.charge(out.length * arr.length * ((out[0]?.length ?? 0) + 1));
      out = out.flatMap((p) => arr.map((x) => [...p, x]));
    }
    return out;
  }],
  ['sample', (a) => a[0] ?? null],
  ['assoc', (a, args) => a.find((x) => Array.isArray(x) && rEqual(x[0] ?? null, args[0] ?? null)) ?? null],
  ['blank?', (a) => isBlank(a)],
  ['freeze', (a) => (Object.freeze(a), a)],
  ['frozen?', (a) => Object.isFrozen(a)],
  ['to_sym', () => {
    throw new ErbRenderError("undefined method 'to_sym' for Array");
  }],
]);

/** Items of a Range for Enumerable methods. */
export function rangeItems(r: RubyRange, info: CallInfo): RubyValue[] {
  // rangeToArray charges one step per element to the running render.
  return rangeToArray(r, info.rt.budget.limits.maxCollectionSize);
}

/** Items of a Hash for Enumerable methods: `[key, value]` pairs. */
export function hashItems(h: RubyHash): RubyValue[] {
  return h.entries();
}

/** `true` for RubySymbol (re-export for callers that only import this module). */
export function isSymbol(v: RubyValue): v is RubySymbol {
  return v instanceof RubySymbol;
}
