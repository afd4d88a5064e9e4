/**
 * @module
 * Method dispatch of the sandbox: the receiver's type selects one allow-listed table (a `Map`,
 * so nothing on a JavaScript prototype is ever reachable), then the common table. Host objects
 * answer only the methods of their explicit table. Anything else is
 * "undefined method 'x' for Class".
 */
import { ErbRenderError } from '../errors.ts';
import { checkHostValue } from '../values/conversions.ts';
import { RubyFloat, RubyHash, RubyObject, RubyRange, RubySymbol } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { ARRAY_METHODS, ENUMERABLE_METHODS, hashItems, rangeItems } from './array-methods.ts';
import type { BlockFn, Builtin, CallInfo, Runtime } from './call-info.ts';
import { coreClassName } from './class-objects.ts';
import { COMMON_METHODS, setResponder } from './common-methods.ts';
import { HASH_METHODS } from './hash-methods.ts';
import { BOOL_METHODS, NIL_METHODS, RANGE_METHODS, SYMBOL_METHODS } from './misc-methods.ts';
import { NUMBER_METHODS } from './number-methods.ts';
import { REGEXP_METHODS } from './regexp-methods.ts';
import { regexpOf } from './regexp-values.ts';
import { STRING_METHODS } from './string-methods.ts';

/** How error messages name a value's class (`nil`, `true`, `false`, else the class name). */
function describe(v: RubyValue): string {
  if (v === null) return 'nil';
  if (v === true) return 'true';
  if (v === false) return 'false';
  return coreClassName(v);
}

/** Finds the builtin for a receiver and name, or undefined. Host-object methods are handled by {@link callMethod}. */
export function findBuiltin(recv: RubyValue, name: string): Builtin | undefined {
  let fn: Builtin | undefined;
  if (typeof recv === 'string') fn = STRING_METHODS.get(name) as Builtin | undefined;
  else if (typeof recv === 'number' || recv instanceof RubyFloat) fn = NUMBER_METHODS.get(name) as Builtin | undefined;
  else if (recv === null) fn = NIL_METHODS.get(name) as Builtin | undefined;
  else if (typeof recv === 'boolean') fn = BOOL_METHODS.get(name) as Builtin | undefined;
  else if (Array.isArray(recv)) fn = (ARRAY_METHODS.get(name) ?? ENUMERABLE_METHODS.get(name)) as Builtin | undefined;
  else if (recv instanceof RubyHash) {
    fn = HASH_METHODS.get(name) as Builtin | undefined;
    if (!fn) {
      const e = ENUMERABLE_METHODS.get(name);
      if (e) fn = (self, args, info) => e(hashItems(self as RubyHash), args, info);
    }
  } else if (recv instanceof RubySymbol) fn = SYMBOL_METHODS.get(name) as Builtin | undefined;
  else if (recv instanceof RubyObject && regexpOf(recv)) fn = REGEXP_METHODS.get(name);
  else if (recv instanceof RubyRange) {
    fn = RANGE_METHODS.get(name) as Builtin | undefined;
    if (!fn) {
      const e = ENUMERABLE_METHODS.get(name) ?? (name === 'to_a' || name === 'size' ? undefined : undefined);
      if (e) fn = (self, args, info) => e(rangeItems(self as RubyRange, info), args, info);
    }
  }
  return fn ?? COMMON_METHODS.get(name);
}

setResponder((v, name) => findBuiltin(v, name) !== undefined);

/**
 * Methods of arrays and hashes whose work does not grow with the receiver's size (or that
 * charge what they build or compare themselves); every other method costs one step per element
 * of the receiver and of its array/hash arguments, and one per 64 characters of string arguments.
 */
const CHEAP_COLLECTION_METHODS: ReadonlySet<string> = new Set([
  'length', 'size', 'empty?', 'first', 'last', '[]', 'slice', 'at', 'fetch', 'dig', '<<', 'push', 'append', 'pop',
  '[]=', 'store', 'key?', 'has_key?', 'values_at', 'fetch_values', '==', '!=', 'eql?', 'equal?', '<=>',
  '===', 'nil?', 'frozen?', 'class', 'is_a?', 'kind_of?', 'instance_of?', 'respond_to?', 'itself', 'then',
  'yield_self', 'tap', 'to_ary', 'present?', 'blank?', 'presence', '!', 'try', 'sample', 'take', 'in?',
]);

/** Hash lookups that cost O(1) (charged by their key's hash) while the Array methods of the same name scan. */
const CHEAP_HASH_METHODS: ReadonlySet<string> = new Set(['include?', 'delete', 'key?', 'has_key?', 'member?']);

/**
 * String methods whose work does not grow with the receiver (or that charge the string they
 * build); their string arguments are still charged. (`==` reads both strings: not listed.)
 */
const CHEAP_STRING_METHODS: ReadonlySet<string> = new Set([
  'to_s', 'to_str', 'empty?', 'equal?', 'nil?', 'frozen?', 'freeze', 'class', 'is_a?', 'kind_of?', 'instance_of?',
  'respond_to?', 'itself', 'then', 'yield_self', 'tap', '!', 'try', '<<', '+', 'concat', 'prepend', '*', 'start_with?',
  'end_with?', 'ord', 'in?',
]);

/** Charge `n` steps for the receiver plus the size of array, hash and string arguments. */
export function chargeSizes(rt: Runtime, n: number, args: RubyValue[]): void {
  let total = n;
  for (const a of args) {
    if (typeof a === 'string') total += a.length >> 6;
    else if (Array.isArray(a)) total += a.length;
    else if (a instanceof RubyHash) total += a.size;
  }
  rt.budget.charge(total);
}

/** Call `recv.name(*args, &block)` through the allow-list. */
export function callMethod(rt: Runtime, recv: RubyValue, name: string, args: RubyValue[], block: BlockFn | null): RubyValue {
  if (recv instanceof RubyObject) {
    if (recv.responds(name)) {
      if (block) throw new ErbRenderError(`'${name}' of ${recv.className} does not take a block`);
      // Host and class-object methods (`Regexp.escape(s)`, `Regexp.union(list)`) may read their arguments whole.
      if (args.length > 0) chargeSizes(rt, 0, args);
      return checkHostValue(recv.invoke(name, args), `${recv.className}#${name}`);
    }
  }
  const fn = findBuiltin(recv, name);
  if (!fn) throw new ErbRenderError(`undefined method '${name}' for ${describe(recv)}`);
  if (Array.isArray(recv)) {
    if (recv.length > 0 && !CHEAP_COLLECTION_METHODS.has(name)) chargeSizes(rt, recv.length, args);
  } else if (recv instanceof RubyHash) {
    if (recv.size > 0 && !CHEAP_COLLECTION_METHODS.has(name) && !CHEAP_HASH_METHODS.has(name)) chargeSizes(rt, recv.size, args);
  } else if (typeof recv === 'string') {
    const n = CHEAP_STRING_METHODS.has(name) ? 0 : recv.length >> 6;
    if (n > 0 || args.length > 0) chargeSizes(rt, n, args);
  } else if (recv instanceof RubySymbol) {
    if (recv.name.length >= 64) rt.budget.charge(recv.name.length >> 6);
  }
  const info: CallInfo = { rt, block, name };
  const result = fn(recv, args, info);
  // Safety net for builders that grow their input (`inspect` of control characters is 4×,
  // `upcase` of "ß" 2×): no string or array a builtin returns exceeds the size limits.
  if (typeof result === 'string') {
    if (result.length > rt.budget.limits.maxStringSize) rt.budget.checkString(result.length);
  } else if (Array.isArray(result) && result.length > rt.budget.limits.maxCollectionSize) {
    rt.budget.checkCollection(result.length);
  }
  return result;
}
