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

/** Call `recv.name(*args, &block)` through the allow-list. */
export function callMethod(rt: Runtime, recv: RubyValue, name: string, args: RubyValue[], block: BlockFn | null): RubyValue {
  if (recv instanceof RubyObject) {
    if (recv.responds(name)) {
      if (block) throw new ErbRenderError(`'${name}' of ${recv.className} does not take a block`);
      return checkHostValue(recv.invoke(name, args), `${recv.className}#${name}`);
    }
  }
  const fn = findBuiltin(recv, name);
  if (!fn) throw new ErbRenderError(`undefined method '${name}' for ${describe(recv)}`);
  // Work proportional to the receiver's size costs steps too (1 per 64 elements, 1 per KiB of text).
  if (Array.isArray(recv)) rt.budget.charge(recv.length >> 6);
  else if (recv instanceof RubyHash) rt.budget.charge(recv.size >> 6);
  else if (typeof recv === 'string') rt.budget.charge(recv.length >> 10);
  const info: CallInfo = { rt, block, name };
  return fn(recv, args, info);
}
