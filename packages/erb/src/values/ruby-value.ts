/**
 * @module
 * Runtime values seen by templates. Templates never touch raw JavaScript objects: strings,
 * numbers, booleans and `null` (nil) are used as is, everything else is one of the classes here.
 * Numbers with an integral value behave as Ruby Integers, others as Floats.
 */
import { ErbRenderError } from '../errors.ts';
import { chargeSteps, currentBudget, DEFAULT_LIMITS, depthError, valueDepthLimit } from '../sandbox/limits.ts';

/** A Ruby symbol (`:name`); compared by name. */
export class RubySymbol {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
    Object.freeze(this);
  }
  /** `:name` */
  toString(): string {
    return `:${this.name}`;
  }
}

/**
 * A Ruby Float whose value happens to be integral (`1.0`, `3000.0`): plain JS numbers with an
 * integral value are Integers, so this box keeps Float semantics (`3000.0 / 1024` is 2.9296875,
 * `to_s` is `"3000.0"`). Non-integral floats are plain numbers.
 */
export class RubyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
    Object.freeze(this);
  }
}

/** A Float value: a plain number when non-integral, a {@link RubyFloat} box otherwise. */
export function makeFloat(n: number): number | RubyFloat {
  return Number.isInteger(n) ? new RubyFloat(n) : n;
}

/** True for Integer and Float values. */
export function isNumeric(v: RubyValue | undefined): v is number | RubyFloat {
  return typeof v === 'number' || v instanceof RubyFloat;
}

/** The JS number of an Integer or Float value. */
export function numValue(v: number | RubyFloat): number {
  return typeof v === 'number' ? v : v.value;
}

/** True when a numeric value is a Float. */
export function isFloatValue(v: RubyValue): boolean {
  return typeof v === 'number' ? !Number.isInteger(v) : v instanceof RubyFloat;
}

/** A Ruby range `from..to` / `from...to` (integer or string bounds). */
export class RubyRange {
  readonly from: RubyValue;
  readonly to: RubyValue;
  readonly exclusive: boolean;
  constructor(from: RubyValue, to: RubyValue, exclusive: boolean) {
    this.from = from;
    this.to = to;
    this.exclusive = exclusive;
    Object.freeze(this);
  }
}

/** A host method exposed on a {@link RubyObject}. */
export type RubyMethod = (...args: RubyValue[]) => RubyValue;

/** @internal A method of a shared table: receives the object's private state first. */
export type RubyTableMethod<S> = (self: S, args: RubyValue[]) => RubyValue;

/**
 * An object exposed by the host (e.g. `@host`) with an explicit method table; only the methods
 * in the table are callable. Create with {@link defineRubyObject}.
 */
export class RubyObject {
  /** Ruby class name shown in errors and `inspect` (e.g. `Host::Managed`). */
  readonly className: string;
  readonly #methods: ReadonlyMap<string, RubyTableMethod<unknown>>;
  readonly #state: unknown;
  /** @internal Use {@link defineRubyObject}; `state` is passed to every table method. */
  constructor(className: string, methods: ReadonlyMap<string, RubyTableMethod<never>>, state?: unknown) {
    this.className = className;
    this.#methods = methods as ReadonlyMap<string, RubyTableMethod<unknown>>;
    this.#state = state;
    Object.freeze(this);
  }
  /** True when the method table has this exact name. */
  responds(name: string): boolean {
    return this.#methods.has(name);
  }
  /** @internal Call a method of the table; `undefined` when there is no such method. */
  invoke(name: string, args: RubyValue[]): RubyValue | undefined {
    const m = this.#methods.get(name);
    return m === undefined ? undefined : m(this.#state, args);
  }
  /** Names in the method table. */
  methodNames(): string[] {
    return [...this.#methods.keys()];
  }
}

/** Any value a template can hold. `null` is Ruby `nil`. */
export type RubyValue = string | number | boolean | null | RubySymbol | RubyValue[] | RubyHash | RubyRange | RubyObject | RubyFloat;

/**
 * Hash key used by {@link RubyHash}: type-tagged so `"1"`, `1` and `:"1"` stay distinct. Strings,
 * numbers and symbols map to a short string at once; a structure is encoded with
 * length-prefixed, self-delimiting parts (no escaping, so the key grows linearly with the
 * structure). Building a structure's key charges the running render one step per element and
 * per 64 characters, is limited in depth and in length, so a shared structure
 * (`20.times { a = [a, a] }`: 2^20 leaves) fails cleanly instead of building a huge string.
 */
export function hashKey(v: RubyValue): string {
  if (v === null) return 'z';
  switch (typeof v) {
    case 'string':
      if (v.length >= 256) chargeSteps(v.length >> 6);
      return `s${v}`;
    case 'number': return `n${v}`;
    case 'boolean': return v ? 't' : 'f';
    default: break;
  }
  if (v instanceof RubySymbol) return `y${v.name}`;
  if (v instanceof RubyFloat) return `d${v.value}`;
  const b = new KeyBuilder(2 * (currentBudget()?.limits.maxStringSize ?? DEFAULT_LIMITS.maxStringSize));
  b.value(v, 0);
  return b.s;
}

class KeyBuilder {
  s = '';
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  #add(x: string): void {
    this.s += x;
    if (this.s.length > this.#max) throw new ErbRenderError(`hash key too large (more than ${this.#max} characters)`);
  }
  #text(tag: string, x: string): void {
    if (x.length >= 64) chargeSteps(x.length >> 6);
    this.#add(`${tag}${x.length}:${x}`);
  }
  value(v: RubyValue, depth: number): void {
    if (v === null) return this.#add('z');
    switch (typeof v) {
      case 'string': return this.#text('s', v);
      case 'number': return this.#add(`n${v};`);
      case 'boolean': return this.#add(v ? 't' : 'f');
      default: break;
    }
    if (v instanceof RubySymbol) return this.#text('y', v.name);
    if (v instanceof RubyFloat) return this.#add(`d${v.value};`);
    if (depth >= valueDepthLimit()) throw depthError();
    if (Array.isArray(v)) {
      chargeSteps(v.length + 1);
      this.#add(`a${v.length}[`);
      for (const x of v) this.value(x, depth + 1);
      return this.#add(']');
    }
    if (v instanceof RubyRange) {
      chargeSteps(1);
      this.#add(v.exclusive ? 'r.' : 'r:');
      this.value(v.from, depth + 1);
      return this.value(v.to, depth + 1);
    }
    if (v instanceof RubyHash) {
      chargeSteps(2 * v.size + 1);
      this.#add(`h${v.size}{`);
      for (const [k, x] of v.entries()) {
        this.value(k, depth + 1);
        this.value(x, depth + 1);
      }
      return this.#add('}');
    }
    // Regexps are hash keys by source and options, like their `==`.
    if (v instanceof RubyObject && v.className === 'Regexp' && v.responds('source')) {
      const opts = v.invoke('options', []);
      const src = v.invoke('source', []);
      if (typeof opts === 'number' && typeof src === 'string') return this.#text(`x${opts};`, src);
    }
    return this.#add(`o${objectId(v)};`);
  }
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

/** An insertion-ordered Ruby hash with Ruby key equality. */
export class RubyHash {
  readonly #map = new Map<string, [RubyValue, RubyValue]>();

  /** Build from `[key, value]` pairs. */
  static from(entries: Iterable<readonly [RubyValue, RubyValue]>): RubyHash {
    const h = new RubyHash();
    for (const [k, v] of entries) h.set(k, v);
    return h;
  }
  /** Number of entries. */
  get size(): number {
    return this.#map.size;
  }
  /** Value for a key, or `undefined` when absent (templates see `nil`). */
  get(key: RubyValue): RubyValue | undefined {
    return this.#map.get(hashKey(key))?.[1];
  }
  /** True when the key is present. */
  has(key: RubyValue): boolean {
    return this.#map.has(hashKey(key));
  }
  /** Set a value (keeps the position of an existing key). */
  set(key: RubyValue, value: RubyValue): this {
    const k = hashKey(key);
    const cur = this.#map.get(k);
    if (cur) cur[1] = value;
    else this.#map.set(k, [key, value]);
    return this;
  }
  /** Remove a key; returns the removed value or `undefined`. */
  delete(key: RubyValue): RubyValue | undefined {
    const k = hashKey(key);
    const cur = this.#map.get(k);
    if (!cur) return undefined;
    this.#map.delete(k);
    return cur[1];
  }
  /** Remove everything. */
  clear(): void {
    this.#map.clear();
  }
  /** Keys in insertion order. */
  keys(): RubyValue[] {
    return [...this.#map.values()].map((e) => e[0]);
  }
  /** Values in insertion order. */
  values(): RubyValue[] {
    return [...this.#map.values()].map((e) => e[1]);
  }
  /** `[key, value]` pairs in insertion order (fresh arrays). */
  entries(): [RubyValue, RubyValue][] {
    return [...this.#map.values()].map((e) => [e[0], e[1]]);
  }
}

/** Ruby class name of a value, as used in error messages (`undefined method 'x' for String`). */
export function className(v: RubyValue): string {
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'string': return 'String';
    case 'number': return Number.isInteger(v) ? 'Integer' : 'Float';
    case 'boolean': return v ? 'true' : 'false';
    default: break;
  }
  if (Array.isArray(v)) return 'Array';
  if (v instanceof RubyHash) return 'Hash';
  if (v instanceof RubySymbol) return 'Symbol';
  if (v instanceof RubyRange) return 'Range';
  if (v instanceof RubyObject) return v.className;
  if (v instanceof RubyFloat) return 'Float';
  return 'Object';
}

/** Ruby truthiness: only `nil` and `false` are false. */
export function truthy(v: RubyValue): boolean {
  return v !== null && v !== false;
}
