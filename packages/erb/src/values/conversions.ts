/**
 * @module
 * `to_s`, `inspect`, equality, ordering and validation of runtime values, with Ruby's output
 * formats (`[1, "a"]`, `{"a"=>1, :b=>nil}`, `1.0e+20`). Building a string checks the size limit
 * as it goes, so inspecting a huge or self-referencing structure fails cleanly.
 */
import { ErbRenderError } from '../errors.ts';
import { chargeSteps, depthError, valueDepthLimit } from '../sandbox/limits.ts';
import { className, isNumeric, numValue, RubyFloat, RubyHash, RubyObject, RubyRange, RubySymbol } from './ruby-value.ts';
import type { RubyValue } from './ruby-value.ts';

/** Ruby `Float#to_s` / `Integer#to_s` for a JS number. */
export function numberToS(n: number, float = false): string {
  if (float && Number.isInteger(n)) {
    if (Math.abs(n) < 1e16) return Object.is(n, -0) ? '-0.0' : `${n}.0`;
    const [mant = '1', exp = '+0'] = n.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mant.includes('.') ? mant : `${mant}.0`}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  if (Number.isInteger(n)) {
    if (Math.abs(n) >= 1e21) return BigInt(n).toString();
    return Object.is(n, -0) ? '0' : String(n);
  }
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  let mant = s.slice(0, e);
  if (!mant.includes('.')) mant += '.0';
  const exp = s.slice(e + 1);
  const sign = exp.startsWith('-') ? '-' : '+';
  const digits = exp.replace(/^[+-]/, '');
  return `${mant}e${sign}${digits.padStart(2, '0')}`;
}

// Control characters are exactly what `inspect` escapes.
// eslint-disable-next-line no-control-regex
const INSPECT_ESCAPES = /["\\\x00-\x1f\x7f]/g;

/** Ruby `String#inspect` (escapes through one native regex pass; one step per 4 escapes). */
export function inspectString(s: string): string {
  let escapes = 0;
  const body = s.replace(INSPECT_ESCAPES, (ch) => {
    escapes++;
    switch (ch) {
      case '"': return '\\"';
      case '\\': return '\\\\';
      case '\n': return '\\n';
      case '\t': return '\\t';
      case '\r': return '\\r';
      case '\x1b': return '\\e';
      case '\0': return '\\u0000';
      default: return `\\x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    }
  });
  if (escapes >= 4) chargeSteps(escapes >> 2);
  return `"${body}"`;
}

/** Ruby `Symbol#inspect`. */
export function inspectSymbol(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*[?!=]?$/.test(name) || /^(\[\]=?|[+\-*/%<>!]|<=>|==|===|<=|>=|\*\*|<<|>>)$/.test(name)
    ? `:${name}`
    : `:${inspectString(name)}`;
}

class Builder {
  s = '';
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  add(x: string): void {
    this.s += x;
    if (this.s.length > this.max) throw new ErbRenderError(`string size limit exceeded (${this.max} characters)`);
  }
}

// Every container visited costs one step per element (charged on entry, so a walk over a shared
// or huge structure stops as soon as the render budget is spent), strings one step per 64
// characters; walks deeper than the structure depth limit fail.
function inspectInto(b: Builder, v: RubyValue, seen: Set<object>, depth: number): void {
  if (v === null) return b.add('nil');
  switch (typeof v) {
    case 'string':
      if (v.length >= 64) chargeSteps(v.length >> 6);
      return b.add(inspectString(v));
    case 'number': return b.add(numberToS(v));
    case 'boolean': return b.add(v ? 'true' : 'false');
    default: break;
  }
  if (v instanceof RubySymbol) return b.add(inspectSymbol(v.name));
  if (v instanceof RubyFloat) return b.add(numberToS(v.value, true));
  if (depth >= valueDepthLimit()) throw depthError();
  if (Array.isArray(v)) {
    if (seen.has(v)) return b.add('[...]');
    chargeSteps(v.length + 1);
    seen.add(v);
    b.add('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) b.add(', ');
      inspectInto(b, v[i]!, seen, depth + 1);
    }
    b.add(']');
    seen.delete(v);
    return;
  }
  if (v instanceof RubyHash) {
    if (seen.has(v)) return b.add('{...}');
    chargeSteps(2 * v.size + 1);
    seen.add(v);
    b.add('{');
    let i = 0;
    for (const [k, x] of v.entries()) {
      if (i++ > 0) b.add(', ');
      inspectInto(b, k, seen, depth + 1);
      b.add('=>');
      inspectInto(b, x, seen, depth + 1);
    }
    b.add('}');
    seen.delete(v);
    return;
  }
  if (v instanceof RubyRange) {
    chargeSteps(1);
    inspectInto(b, v.from, seen, depth + 1);
    b.add(v.exclusive ? '...' : '..');
    inspectInto(b, v.to, seen, depth + 1);
    return;
  }
  if (v instanceof RubyObject) {
    const r = v.responds('inspect') ? v.invoke('inspect', []) : v.invoke('to_s', []);
    return b.add(typeof r === 'string' ? r : `#<${v.className}>`);
  }
  b.add('#<Object>');
}

/** Ruby `inspect` (limited to `max` characters; charged to the running render). */
export function inspect(v: RubyValue, max = 1 << 20): string {
  const b = new Builder(max);
  inspectInto(b, v, new Set(), 0);
  return b.s;
}

/** Ruby `to_s` (what `<%= %>` and `"#{}"` print); nil is the empty string. */
export function toS(v: RubyValue, max = 1 << 20): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'number') return numberToS(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof RubySymbol) return v.name;
  if (v instanceof RubyFloat) return numberToS(v.value, true);
  if (v instanceof RubyRange) return inspectRange(v, max);
  if (v instanceof RubyObject) {
    const r = v.invoke('to_s', []);
    return typeof r === 'string' ? r : `#<${v.className}>`;
  }
  return inspect(v, max);
}

/** `Range#to_s`: the bounds' `to_s` (bounded like `inspect`). */
function inspectRange(r: RubyRange, max: number): string {
  const s = `${toS(r.from, max)}${r.exclusive ? '...' : '..'}${toS(r.to, max)}`;
  if (s.length > max) throw new ErbRenderError(`string size limit exceeded (${max} characters)`);
  return s;
}

/** Ruby `==`. Charged to the running render: one step per element compared, one per 64 characters of long strings. */
export function rEqual(a: RubyValue, b: RubyValue, depth = 0): boolean {
  if (typeof a === 'string') {
    if (typeof b !== 'string') return false;
    // Comparing two long strings with the same length reads them: charge it.
    if (a.length >= 256 && a.length === b.length) chargeSteps(a.length >> 6);
    return a === b;
  }
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (isNumeric(a)) return isNumeric(b) && numValue(a) === numValue(b);
  if (a instanceof RubySymbol) return b instanceof RubySymbol && a.name === b.name;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    if (depth >= valueDepthLimit()) throw depthError();
    chargeSteps(a.length + 1);
    for (let i = 0; i < a.length; i++) if (!rEqual(a[i]!, b[i]!, depth + 1)) return false;
    return true;
  }
  if (a instanceof RubyHash) {
    if (!(b instanceof RubyHash) || a.size !== b.size) return false;
    if (depth >= valueDepthLimit()) throw depthError();
    chargeSteps(a.size + 1);
    for (const [k, v] of a.entries()) {
      const o = b.get(k);
      if (o === undefined) return false;
      if (!rEqual(v, o, depth + 1)) return false;
    }
    return true;
  }
  if (a instanceof RubyRange) {
    if (!(b instanceof RubyRange) || a.exclusive !== b.exclusive) return false;
    if (depth >= valueDepthLimit()) throw depthError();
    chargeSteps(1);
    return rEqual(a.from, b.from, depth + 1) && rEqual(a.to, b.to, depth + 1);
  }
  // Regexps are equal by source and options (their table answers `==`).
  if (a instanceof RubyObject && a.className === 'Regexp' && b instanceof RubyObject && a.responds('==')) return a.invoke('==', [b]) === true;
  return false;
}

/** Ruby `<=>`: -1, 0, 1, or null when not comparable. Charged like {@link rEqual}. */
export function rCompare(a: RubyValue, b: RubyValue, depth = 0): number | null {
  if (isNumeric(a) && isNumeric(b)) {
    const x = numValue(a);
    const y = numValue(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return null;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a.length >= 256 && b.length >= 256) chargeSteps(Math.min(a.length, b.length) >> 6);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof RubySymbol && b instanceof RubySymbol) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (depth >= valueDepthLimit()) throw depthError();
    const n = Math.min(a.length, b.length);
    chargeSteps(n + 1);
    for (let i = 0; i < n; i++) {
      const c = rCompare(a[i]!, b[i]!, depth + 1);
      if (c !== 0) return c;
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }
  if (rEqual(a, b, depth)) return 0;
  return null;
}

/** `<=>` that raises Ruby's ArgumentError message when the values cannot be compared. */
export function compareOrFail(a: RubyValue, b: RubyValue): number {
  const c = rCompare(a, b);
  if (c === null) throw new ErbRenderError(`comparison of ${className(a)} with ${inspect(b, 200)} failed`);
  return c;
}

/** Ruby `blank?` (ActiveSupport): nil, false, whitespace-only strings, empty collections. */
export function isBlank(v: RubyValue): boolean {
  if (v === null || v === false) return true;
  if (typeof v === 'string') return /^\s*$/.test(v);
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof RubyHash) return v.size === 0;
  if (v instanceof RubyObject) {
    if (v.responds('blank?')) return v.invoke('blank?', []) === true;
  }
  return false;
}

/**
 * Checks that a value returned by host code is a valid {@link RubyValue} (deeply, bounded);
 * `undefined` becomes nil. Anything else (functions, plain objects, class instances) is rejected,
 * so no raw JavaScript object can ever reach a template.
 */
export function checkHostValue(v: unknown, what: string, depth = 0): RubyValue {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'string': case 'boolean': return v;
    case 'number': return v;
    case 'bigint': return Number(v);
    default: break;
  }
  if (depth > 64) throw new ErbRenderError(`${what} returned a value nested too deeply`);
  if (Array.isArray(v)) {
    chargeSteps(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const checked = checkHostValue(x, what, depth + 1);
      if (checked !== x) v[i] = checked;
    }
    return v as RubyValue[];
  }
  if (v instanceof RubySymbol || v instanceof RubyRange || v instanceof RubyObject || v instanceof RubyHash || v instanceof RubyFloat) return v;
  throw new ErbRenderError(`${what} returned a value that is not a Ruby value`);
}
