/**
 * @module
 * Bare functions available to every template besides the host's macros: gettext markers
 * (`N_`, `_`), `raise`, `format`/`sprintf`, `loop`, and the conversion functions `Integer()`,
 * `Float()`, `String()`, `Array()`.
 */
import { ErbRenderError, ErbUserError } from '../errors.ts';
import { toS } from '../values/conversions.ts';
import { isNumeric, makeFloat, numValue, RubyHash } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { arity, needBlock, strArg } from './call-info.ts';
import type { CallInfo } from './call-info.ts';
import { rubyFormat } from './format.ts';

/** A bare function. */
export type KernelFunction = (args: RubyValue[], info: CallInfo) => RubyValue;

/** Signal used by `loop` to stop on `StopIteration`-like breaks is the ordinary `break`. */
export const KERNEL_FUNCTIONS: ReadonlyMap<string, KernelFunction> = new Map<string, KernelFunction>([
  ['N_', (a) => (arity(a, 1, 2), a[0]!)],
  ['_', (a) => (arity(a, 1), a[0]!)],
  ['raise', (a) => {
    arity(a, 0, 2);
    throw new ErbUserError(a.length ? toS(a[a.length - 1]!) : 'unhandled exception');
  }],
  ['fail', (a) => {
    arity(a, 0, 2);
    throw new ErbUserError(a.length ? toS(a[a.length - 1]!) : 'unhandled exception');
  }],
  ['format', (a, i) => {
    if (a.length === 0) throw new ErbRenderError('too few arguments');
    return rubyFormat(strArg(a[0]), a.slice(1), i.rt.budget);
  }],
  ['sprintf', (a, i) => {
    if (a.length === 0) throw new ErbRenderError('too few arguments');
    return rubyFormat(strArg(a[0]), a.slice(1), i.rt.budget);
  }],
  ['loop', (_a, i) => {
    const b = needBlock(i);
    for (;;) {
      i.rt.budget.tick();
      b();
    }
  }],
  ['Integer', (a) => {
    arity(a, 1, 2);
    const v = a[0]!;
    if (isNumeric(v)) return Math.trunc(numValue(v));
    if (typeof v === 'string') {
      const s = v.trim().replace(/_/g, '');
      if (/^[+-]?\d+$/.test(s)) return Number(s);
      if (/^[+-]?0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
      if (a.length === 2 && a[1] instanceof RubyHash) return null;
      throw new ErbRenderError(`invalid value for Integer(): ${JSON.stringify(v)}`);
    }
    throw new ErbRenderError(`can't convert ${v === null ? 'nil' : typeof v} into Integer`);
  }],
  ['Float', (a) => {
    arity(a, 1, 2);
    const v = a[0]!;
    if (isNumeric(v)) return makeFloat(numValue(v));
    if (typeof v === 'string' && /^\s*[+-]?(\d[\d_]*)(\.\d+)?([eE][+-]?\d+)?\s*$/.test(v)) return makeFloat(Number(v.trim().replace(/_/g, '')));
    throw new ErbRenderError(`invalid value for Float(): ${JSON.stringify(toS(v))}`);
  }],
  ['String', (a, i) => (arity(a, 1), toS(a[0]!, i.rt.budget.limits.maxStringSize))],
  ['Array', (a) => {
    arity(a, 1);
    const v = a[0]!;
    if (v === null) return [];
    if (Array.isArray(v)) return v;
    if (v instanceof RubyHash) return v.entries();
    return [v];
  }],
]);
