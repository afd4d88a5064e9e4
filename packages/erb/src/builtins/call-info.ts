/**
 * @module
 * What a builtin method receives, and helpers for argument checking and coercion with Ruby's
 * error messages.
 */
import { ErbRenderError } from '../errors.ts';
import type { RenderBudget } from '../sandbox/limits.ts';
import { className, RubyFloat, RubySymbol } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';

/** A block as builtins see it: call it with the yielded values. `arity` is the number of declared parameters. */
export interface BlockFn {
  (...args: RubyValue[]): RubyValue;
  readonly arity: number;
}

/** Services of the interpreter available to builtins. */
export interface Runtime {
  readonly budget: RenderBudget;
  /** Call a method through the sandbox's dispatch (used by `&:sym`, `inject(:+)`, `try`). */
  callMethod(recv: RubyValue, name: string, args: RubyValue[], block: BlockFn | null): RubyValue;
}

/** Context of one builtin call. */
export interface CallInfo {
  readonly rt: Runtime;
  readonly block: BlockFn | null;
  readonly name: string;
}

/** A builtin method implementation. */
export type Builtin<T extends RubyValue = RubyValue> = (self: T, args: RubyValue[], info: CallInfo) => RubyValue;

/** Throws Ruby's ArgumentError message unless `min <= args.length <= max`. */
export function arity(args: RubyValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `${min}+` : `${min}..${max}`;
    throw new ErbRenderError(`wrong number of arguments (given ${args.length}, expected ${expected})`);
  }
}

/** The block, or an error naming the method that needs one. */
export function needBlock(info: CallInfo): BlockFn {
  if (!info.block) throw new ErbRenderError(`no block given to '${info.name}'`);
  return info.block;
}

/** Coerce to a string argument (strings and symbols' names only, as Ruby's implicit conversion). */
export function strArg(v: RubyValue | undefined): string {
  if (typeof v === 'string') return v;
  throw new ErbRenderError(`no implicit conversion of ${v === undefined ? 'nil' : className(v)} into String`);
}

/** Coerce to an Integer argument. */
export function intArg(v: RubyValue | undefined): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (v instanceof RubyFloat && Number.isFinite(v.value)) return Math.trunc(v.value);
  throw new ErbRenderError(`no implicit conversion of ${v === undefined ? 'nil' : className(v)} into Integer`);
}

/** Name of a symbol or string argument (for `respond_to?(:x)`, `inject(:+)`, …). */
export function nameArg(v: RubyValue | undefined): string {
  if (v instanceof RubySymbol) return v.name;
  if (typeof v === 'string') return v;
  throw new ErbRenderError(`${v === undefined ? 'nil' : className(v)} is not a symbol nor a string`);
}

/** Yield one value; blocks with several parameters get an array splatted (Ruby's semantics). */
export function yieldTo(block: BlockFn, ...args: RubyValue[]): RubyValue {
  return block(...args);
}
