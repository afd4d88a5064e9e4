/**
 * @module
 * Allow-listed `Integer`/`Float` methods. An Integer is a JS number with an integral value
 * (floor division, Ruby modulo, `ZeroDivisionError`); a Float is a non-integral JS number or a
 * {@link RubyFloat} box. Arithmetic with a Float operand yields a Float, as in Ruby.
 */
import { ErbRenderError } from '../errors.ts';
import { compareOrFail, numberToS } from '../values/conversions.ts';
import { className, isFloatValue, isNumeric, makeFloat, numValue } from '../values/ruby-value.ts';
import type { RubyFloat, RubyValue } from '../values/ruby-value.ts';
import { arity, intArg, needBlock } from './call-info.ts';
import type { Builtin, CallInfo } from './call-info.ts';

type Num = number | RubyFloat;

function other(self: Num, v: RubyValue | undefined): Num {
  if (isNumeric(v)) return v;
  throw new ErbRenderError(`${v === undefined || v === null ? 'nil' : className(v)} can't be coerced into ${className(self)}`);
}

/** Result of an operation: a Float when `float`, else an Integer. */
function result(n: number, float: boolean): RubyValue {
  return float ? makeFloat(n) : n;
}

function arith(op: (a: number, b: number, float: boolean) => number, alwaysFloat = false): Builtin<Num> {
  return (self, args) => {
    arity(args, 1);
    const o = other(self, args[0]);
    const float = alwaysFloat || isFloatValue(self) || isFloatValue(o);
    return result(op(numValue(self), numValue(o), float), float);
  };
}

function divide(a: number, b: number, float: boolean): number {
  if (!float) {
    if (b === 0) throw new ErbRenderError('divided by 0');
    return Math.floor(a / b);
  }
  return a / b;
}

function modulo(a: number, b: number, float: boolean): number {
  if (!float && b === 0) throw new ErbRenderError('divided by 0');
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

function rounded(self: Num, args: RubyValue[], mode: 'round' | 'floor' | 'ceil'): RubyValue {
  arity(args, 0, 1);
  const n = numValue(self);
  const digits = args.length ? intArg(args[0]) : 0;
  const f = (x: number): number => (mode === 'floor' ? Math.floor(x) : mode === 'ceil' ? Math.ceil(x) : Math.sign(x) * Math.round(Math.abs(x)));
  if (digits <= 0) {
    const p = 10 ** -digits;
    return f(n / p) * p;
  }
  if (!isFloatValue(self)) return n;
  const p = 10 ** digits;
  return makeFloat(f(n * p) / p);
}

function cmp(test: (c: number) => boolean): Builtin<Num> {
  return (self, args) => {
    arity(args, 1);
    return test(compareOrFail(self, args[0]!));
  };
}

function upto(from: number, to: number, step: number, info: CallInfo, self: Num): RubyValue {
  const count = Math.max(0, Math.floor((to - from) / step) + 1);
  if (!info.block) {
    info.rt.budget.created(count);
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(from + i * step);
    return out;
  }
  for (let i = 0; i < count; i++) {
    info.rt.budget.tick();
    info.block(from + i * step);
  }
  return self;
}

const unary = (fn: (n: number, float: boolean) => RubyValue): Builtin<Num> => (self) => fn(numValue(self), isFloatValue(self));

/** The Integer/Float method table. */
export const NUMBER_METHODS: ReadonlyMap<string, Builtin<Num>> = new Map<string, Builtin<Num>>([
  ['+', arith((a, b) => a + b)],
  ['-', arith((a, b) => a - b)],
  ['*', arith((a, b) => a * b)],
  ['/', arith(divide)],
  ['div', (self, args) => (arity(args, 1), Math.floor(divide(numValue(self), numValue(other(self, args[0])), false)))],
  ['%', arith(modulo)],
  ['modulo', arith(modulo)],
  ['**', (self, args) => {
    arity(args, 1);
    const o = other(self, args[0]);
    const float = isFloatValue(self) || isFloatValue(o) || numValue(o) < 0;
    return result(numValue(self) ** numValue(o), float);
  }],
  ['fdiv', arith((a, b) => a / b, true)],
  ['divmod', (self, args) => {
    arity(args, 1);
    const o = other(self, args[0]);
    const float = isFloatValue(self) || isFloatValue(o);
    const q = Math.floor(divide(numValue(self), numValue(o), float));
    return [result(q, float), result(modulo(numValue(self), numValue(o), float), float)];
  }],
  ['-@', unary((n, f) => result(-n, f))],
  ['+@', (self) => self],
  ['==', (self, a) => (arity(a, 1), isNumeric(a[0]) && numValue(a[0]) === numValue(self))],
  ['===', (self, a) => (arity(a, 1), isNumeric(a[0]) && numValue(a[0]) === numValue(self))],
  ['eql?', (self, a) => (arity(a, 1), isNumeric(a[0]) && numValue(a[0]) === numValue(self) && isFloatValue(a[0]) === isFloatValue(self))],
  ['<=>', (self, a) => {
    arity(a, 1);
    if (!isNumeric(a[0])) return null;
    const x = numValue(self);
    const y = numValue(a[0]);
    return x < y ? -1 : x > y ? 1 : 0;
  }],
  ['<', cmp((c) => c < 0)],
  ['<=', cmp((c) => c <= 0)],
  ['>', cmp((c) => c > 0)],
  ['>=', cmp((c) => c >= 0)],
  ['between?', (self, a) => (arity(a, 2), compareOrFail(self, a[0]!) >= 0 && compareOrFail(self, a[1]!) <= 0)],
  ['clamp', (self, a) => {
    arity(a, 2);
    if (compareOrFail(self, a[0]!) < 0) return a[0]!;
    if (compareOrFail(self, a[1]!) > 0) return a[1]!;
    return self;
  }],
  ['to_s', (self, a) => {
    arity(a, 0, 1);
    if (a.length && !isFloatValue(self)) {
      const base = intArg(a[0]);
      if (base < 2 || base > 36) throw new ErbRenderError(`invalid radix ${base}`);
      return numValue(self).toString(base);
    }
    return numberToS(numValue(self), isFloatValue(self));
  }],
  ['inspect', unary((n, f) => numberToS(n, f))],
  ['to_i', unary((n) => Math.trunc(n))],
  ['to_int', unary((n) => Math.trunc(n))],
  ['truncate', unary((n) => Math.trunc(n))],
  ['to_f', unary((n) => makeFloat(n))],
  ['abs', unary((n, f) => result(Math.abs(n), f))],
  ['magnitude', unary((n, f) => result(Math.abs(n), f))],
  ['round', (self, a) => rounded(self, a, 'round')],
  ['floor', (self, a) => rounded(self, a, 'floor')],
  ['ceil', (self, a) => rounded(self, a, 'ceil')],
  ['zero?', unary((n) => n === 0)],
  ['nonzero?', (self) => (numValue(self) === 0 ? null : self)],
  ['positive?', unary((n) => n > 0)],
  ['negative?', unary((n) => n < 0)],
  ['even?', unary((n, f) => !f && n % 2 === 0)],
  ['odd?', unary((n, f) => !f && Math.abs(n % 2) === 1)],
  ['integer?', unary((_n, f) => !f)],
  ['finite?', unary((n) => Number.isFinite(n))],
  ['infinite?', unary((n) => (n === Infinity ? 1 : n === -Infinity ? -1 : null))],
  ['nan?', unary((n) => Number.isNaN(n))],
  ['succ', unary((n, f) => result(n + 1, f))],
  ['next', unary((n, f) => result(n + 1, f))],
  ['pred', unary((n, f) => result(n - 1, f))],
  ['chr', unary((n) => {
    if (!Number.isInteger(n) || n < 0 || n > 0x10ffff) throw new ErbRenderError(`${n} out of char range`);
    return String.fromCodePoint(n);
  })],
  ['digits', unary((n) => {
    if (n < 0) throw new ErbRenderError('out of domain');
    return [...String(Math.trunc(n))].reverse().map(Number);
  })],
  ['gcd', (self, a) => {
    let x = Math.abs(intArg(self));
    let y = Math.abs(intArg(a[0]));
    while (y) [x, y] = [y, x % y];
    return x;
  }],
  ['times', (self, _a, info) => upto(0, Math.trunc(numValue(self)) - 1, 1, info, self)],
  ['upto', (self, a, info) => (arity(a, 1), upto(numValue(self), numValue(other(self, a[0])), 1, info, self))],
  ['downto', (self, a, info) => {
    arity(a, 1);
    const to = numValue(other(self, a[0]));
    const block = needBlock(info);
    for (let i = numValue(self); i >= to; i--) {
      info.rt.budget.tick();
      block(i);
    }
    return self;
  }],
  ['step', (self, a, info) => {
    arity(a, 2);
    const to = numValue(other(self, a[0]));
    const step = numValue(other(self, a[1]));
    if (step === 0) throw new ErbRenderError("step can't be 0");
    if (step < 0) {
      const block = needBlock(info);
      for (let i = numValue(self); i >= to; i += step) {
        info.rt.budget.tick();
        block(i);
      }
      return self;
    }
    return upto(numValue(self), to, step, info, self);
  }],
]);
