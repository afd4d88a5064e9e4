/**
 * @module
 * Allow-listed `Integer`/`Float` methods. A JS number with an integral value is an Integer
 * (floor division, Ruby modulo, `ZeroDivisionError`), any other is a Float.
 */
import { ErbRenderError } from '../errors.ts';
import { compareOrFail, numberToS } from '../values/conversions.ts';
import { className } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { arity, intArg, needBlock } from './call-info.ts';
import type { Builtin } from './call-info.ts';

function num(self: number, v: RubyValue | undefined): number {
  if (typeof v === 'number') return v;
  throw new ErbRenderError(`${v === undefined || v === null ? 'nil' : className(v)} can't be coerced into ${className(self)}`);
}

function bothInt(a: number, b: number): boolean {
  return Number.isInteger(a) && Number.isInteger(b);
}

function divide(a: number, b: number): number {
  if (bothInt(a, b)) {
    if (b === 0) throw new ErbRenderError('divided by 0');
    return Math.floor(a / b);
  }
  return a / b;
}

function modulo(a: number, b: number): number {
  if (bothInt(a, b) && b === 0) throw new ErbRenderError('divided by 0');
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

function round(self: number, digits: number, mode: 'round' | 'floor' | 'ceil'): number {
  const f = (x: number): number => (mode === 'floor' ? Math.floor(x) : mode === 'ceil' ? Math.ceil(x) : Math.round(x));
  if (digits === 0) return mode === 'round' ? Math.sign(self) * Math.round(Math.abs(self)) : f(self);
  const p = 10 ** digits;
  const v = mode === 'round' ? (Math.sign(self) * Math.round(Math.abs(self) * p)) / p : f(self * p) / p;
  return v;
}

function arith(op: (a: number, b: number) => number): Builtin<number> {
  return (self, args) => {
    arity(args, 1);
    return op(self, num(self, args[0]));
  };
}

function cmp(test: (c: number) => boolean): Builtin<number> {
  return (self, args) => {
    arity(args, 1);
    return test(compareOrFail(self, args[0]!));
  };
}

function upto(from: number, to: number, step: number, info: Parameters<Builtin>[2], self: number): RubyValue {
  const count = Math.max(0, Math.floor((to - from) / step) + 1);
  if (!info.block) {
    info.rt.budget.checkCollection(count);
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

/** The Integer/Float method table. */
export const NUMBER_METHODS: ReadonlyMap<string, Builtin<number>> = new Map<string, Builtin<number>>([
  ['+', arith((a, b) => a + b)],
  ['-', arith((a, b) => a - b)],
  ['*', arith((a, b) => a * b)],
  ['/', arith(divide)],
  ['div', arith((a, b) => Math.floor(divide(a, b)))],
  ['%', arith(modulo)],
  ['modulo', arith(modulo)],
  ['**', arith((a, b) => a ** b)],
  ['pow', arith((a, b) => a ** b)],
  ['fdiv', arith((a, b) => a / b)],
  ['divmod', (self, args) => {
    arity(args, 1);
    const b = num(self, args[0]);
    return [Math.floor(divide(self, b)), modulo(self, b)];
  }],
  ['-@', (self) => -self],
  ['+@', (self) => self],
  ['==', (self, a) => (arity(a, 1), a[0] === self)],
  ['===', (self, a) => (arity(a, 1), a[0] === self)],
  ['eql?', (self, a) => (arity(a, 1), a[0] === self)],
  ['equal?', (self, a) => (arity(a, 1), a[0] === self)],
  ['<=>', (self, a) => (arity(a, 1), typeof a[0] === 'number' ? (self < a[0] ? -1 : self > a[0] ? 1 : 0) : null)],
  ['<', cmp((c) => c < 0)],
  ['<=', cmp((c) => c <= 0)],
  ['>', cmp((c) => c > 0)],
  ['>=', cmp((c) => c >= 0)],
  ['between?', (self, a) => (arity(a, 2), compareOrFail(self, a[0]!) >= 0 && compareOrFail(self, a[1]!) <= 0)],
  ['clamp', (self, a) => {
    arity(a, 2);
    const lo = num(self, a[0]);
    const hi = num(self, a[1]);
    return Math.min(Math.max(self, lo), hi);
  }],
  ['to_s', (self, a) => {
    arity(a, 0, 1);
    if (a.length && Number.isInteger(self)) {
      const base = intArg(a[0]);
      if (base < 2 || base > 36) throw new ErbRenderError(`invalid radix ${base}`);
      return self.toString(base);
    }
    return numberToS(self);
  }],
  ['inspect', (self) => numberToS(self)],
  ['to_i', (self) => Math.trunc(self)],
  ['to_int', (self) => Math.trunc(self)],
  ['truncate', (self) => Math.trunc(self)],
  ['to_f', (self) => self],
  ['abs', (self) => Math.abs(self)],
  ['magnitude', (self) => Math.abs(self)],
  ['round', (self, a) => (arity(a, 0, 1), round(self, a.length ? intArg(a[0]) : 0, 'round'))],
  ['floor', (self, a) => (arity(a, 0, 1), round(self, a.length ? intArg(a[0]) : 0, 'floor'))],
  ['ceil', (self, a) => (arity(a, 0, 1), round(self, a.length ? intArg(a[0]) : 0, 'ceil'))],
  ['zero?', (self) => self === 0],
  ['nonzero?', (self) => (self === 0 ? null : self)],
  ['positive?', (self) => self > 0],
  ['negative?', (self) => self < 0],
  ['even?', (self) => Number.isInteger(self) && self % 2 === 0],
  ['odd?', (self) => Number.isInteger(self) && Math.abs(self % 2) === 1],
  ['integer?', (self) => Number.isInteger(self)],
  ['finite?', (self) => Number.isFinite(self)],
  ['infinite?', (self) => (self === Infinity ? 1 : self === -Infinity ? -1 : null)],
  ['nan?', (self) => Number.isNaN(self)],
  ['succ', (self) => self + 1],
  ['next', (self) => self + 1],
  ['pred', (self) => self - 1],
  ['chr', (self) => {
    if (!Number.isInteger(self) || self < 0 || self > 0x10ffff) throw new ErbRenderError(`${self} out of char range`);
    return String.fromCodePoint(self);
  }],
  ['digits', (self) => {
    if (self < 0) throw new ErbRenderError('out of domain');
    return [...String(Math.trunc(self))].reverse().map(Number);
  }],
  ['gcd', (self, a) => {
    let x = Math.abs(intArg(self));
    let y = Math.abs(intArg(a[0]));
    while (y) [x, y] = [y, x % y];
    return x;
  }],
  ['times', (self, _a, info) => upto(0, Math.trunc(self) - 1, 1, info, self)],
  ['upto', (self, a, info) => (arity(a, 1), upto(self, num(self, a[0]), 1, info, self))],
  ['downto', (self, a, info) => {
    arity(a, 1);
    const to = num(self, a[0]);
    const block = needBlock(info);
    for (let i = self; i >= to; i--) {
      info.rt.budget.tick();
      block(i);
    }
    return self;
  }],
  ['step', (self, a, info) => {
    arity(a, 2);
    const to = num(self, a[0]);
    const step = num(self, a[1]);
    if (step === 0) throw new ErbRenderError("step can't be 0");
    if (step < 0) {
      const block = needBlock(info);
      for (let i = self; i >= to; i += step) {
        info.rt.budget.tick();
        block(i);
      }
      return self;
    }
    return upto(self, to, step, info, self);
  }],
]);
