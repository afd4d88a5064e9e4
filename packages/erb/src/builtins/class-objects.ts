/**
 * @module
 * The core class constants a template may name (`String`, `Integer`, …), usable with `is_a?`,
 * `kind_of?`, `instance_of?` and in `case … when String`.
 */
import { RubyObject } from '../values/ruby-value.ts';
import { REGEXP_CLASS_METHODS } from './regexp-methods.ts';
import type { RubyTableMethod, RubyValue } from '../values/ruby-value.ts';
import { RubyFloat, RubyHash, RubyRange, RubySymbol } from '../values/ruby-value.ts';

const CLASS_OF = new Map<RubyObject, string>();
const BY_NAME = new Map<string, RubyObject>();

for (const name of ['String', 'Symbol', 'Integer', 'Float', 'Numeric', 'Array', 'Hash', 'NilClass', 'TrueClass', 'FalseClass', 'Range', 'Regexp', 'MatchData']) {
  const methods = new Map<string, RubyTableMethod<string>>([
    ['name', (self) => self],
    ['to_s', (self) => self],
    ['inspect', (self) => self],
    ...(name === 'Regexp' ? REGEXP_CLASS_METHODS : []),
  ]);
  const obj = new RubyObject('Class', methods, name);
  CLASS_OF.set(obj, name);
  BY_NAME.set(name, obj);
}

/** The class object for an allowed constant name. */
export function classObject(name: string): RubyObject | undefined {
  return BY_NAME.get(name);
}

/** Name of the core class a class object stands for, or undefined for any other value. */
export function classObjectName(v: RubyValue): string | undefined {
  return v instanceof RubyObject ? CLASS_OF.get(v) : undefined;
}

/** Exact core class name of a value. */
export function coreClassName(v: RubyValue): string {
  if (v === null) return 'NilClass';
  if (v === true) return 'TrueClass';
  if (v === false) return 'FalseClass';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Float';
  if (v instanceof RubyFloat) return 'Float';
  if (Array.isArray(v)) return 'Array';
  if (v instanceof RubyHash) return 'Hash';
  if (v instanceof RubySymbol) return 'Symbol';
  if (v instanceof RubyRange) return 'Range';
  return v instanceof RubyObject ? v.className : 'Object';
}

/** `value.is_a?(klass)`. */
export function isA(v: RubyValue, klass: string, exact = false): boolean {
  const c = coreClassName(v);
  if (c === klass) return true;
  if (exact) return false;
  return klass === 'Numeric' && (c === 'Integer' || c === 'Float');
}
