/**
 * @module
 * A small `sprintf`/`format`/`String#%` supporting `%s %d %i %f %e %g %x %o %b %c %p %%` with
 * flags `-+ 0#`, width and precision (widths are bounded by the string size limit).
 */
import { ErbRenderError } from '../errors.ts';
import type { RenderBudget } from '../sandbox/limits.ts';
import { inspect, numberToS, toS } from '../values/conversions.ts';
import { RubyFloat } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';

function toNum(v: RubyValue | undefined, conv: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof RubyFloat) return v.value;
  if (typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  if (v === null || v === undefined) throw new ErbRenderError("can't convert nil into Integer");
  throw new ErbRenderError(`invalid value for %${conv}: ${inspect(v, 100)}`);
}

/** A character from an Integer code point (`s << 65`), with Ruby's RangeError message. */
export function codePoint(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0x10ffff) throw new ErbRenderError(`${n} out of char range`);
  return String.fromCodePoint(n);
}

/** Ruby `format(fmt, *args)`. */
export function rubyFormat(fmt: string, args: RubyValue[], budget: RenderBudget): string {
  let out = '';
  let argi = 0;
  const re = /%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdifeEgGxXobBcp%])/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(fmt)) !== null) {
    out += fmt.slice(last, m.index);
    last = re.lastIndex;
    const [, flags = '', widthStr, precStr, conv = 's'] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    let width = 0;
    if (widthStr === '*') width = Math.trunc(toNum(args[argi++], 'd'));
    else if (widthStr) width = Number(widthStr);
    budget.checkString(Math.abs(width));
    const prec = precStr === undefined ? undefined : Number(precStr);
    if (prec !== undefined) budget.checkString(prec);
    if (argi >= args.length) throw new ErbRenderError('too few arguments for format string');
    const arg = args[argi++] ?? null;
    let body: string;
    let numeric = true;
    let neg = false;
    switch (conv) {
      case 's':
      case 'p':
        numeric = false;
        body = conv === 'p' ? inspect(arg, budget.limits.maxStringSize) : toS(arg, budget.limits.maxStringSize);
        if (prec !== undefined) body = body.slice(0, prec);
        break;
      case 'c':
        numeric = false;
        body = typeof arg === 'number' ? codePoint(arg) : toS(arg, budget.limits.maxStringSize).slice(0, 1);
        break;
      case 'd':
      case 'i': {
        const n = Math.trunc(toNum(arg, conv));
        neg = n < 0;
        body = numberToS(Math.abs(n));
        if (prec !== undefined) body = body.padStart(prec, '0');
        break;
      }
      case 'f': {
        const n = toNum(arg, conv);
        neg = n < 0 || Object.is(n, -0);
        body = Math.abs(n).toFixed(Math.min(prec ?? 6, 100));
        break;
      }
      case 'e':
      case 'E': {
        const n = toNum(arg, conv);
        neg = n < 0;
        body = Math.abs(n).toExponential(Math.min(prec ?? 6, 100)).replace(/e([+-])(\d)$/, 'e$10$2');
        if (conv === 'E') body = body.toUpperCase();
        break;
      }
      case 'g':
      case 'G': {
        const n = toNum(arg, conv);
        neg = n < 0;
        body = String(Number(Math.abs(n).toPrecision(Math.max(1, Math.min(prec ?? 6, 100)))));
        if (conv === 'G') body = body.toUpperCase();
        break;
      }
      default: {
        const n = Math.trunc(toNum(arg, conv));
        neg = n < 0;
        const base = conv === 'x' || conv === 'X' ? 16 : conv === 'o' ? 8 : 2;
        body = Math.abs(n).toString(base);
        if (conv === 'X') body = body.toUpperCase();
        if (flags.includes('#')) body = (conv === 'o' ? '0' : `0${conv}`) + body;
      }
    }
    let sign = '';
    if (numeric) sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    let s = sign + body;
    if (s.length < width) {
      if (flags.includes('-')) s = s.padEnd(width, ' ');
      else if (flags.includes('0') && numeric) s = sign + body.padStart(width - sign.length, '0');
      else s = s.padStart(width, ' ');
    }
    out += s;
    budget.checkString(out.length);
  }
  out += fmt.slice(last);
  budget.checkString(out.length);
  return out;
}
