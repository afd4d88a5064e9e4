/**
 * @module
 * Allow-listed `String` methods (Ruby core plus the ActiveSupport helpers templates commonly
 * use: `present?`, `blank?`, `squish`, `truncate`, …). Strings are immutable values here: the
 * interpreter rebinds the variable for `<<` and bang methods.
 */
import { ErbRenderError } from '../errors.ts';
import { chargeSteps } from '../sandbox/limits.ts';
import { compareOrFail, inspectString, toS } from '../values/conversions.ts';
import { makeFloat, RubyHash, RubyRange, RubySymbol } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';
import { arity, intArg, needBlock, strArg } from './call-info.ts';
import type { Builtin, CallInfo } from './call-info.ts';
import { codePoint, rubyFormat } from './format.ts';
import {
  regexIndex, regexRindex, regexScan, regexSlice, regexSplit, regexStartsWith, regexSubstitute, STRING_REGEX_METHODS,
} from './regexp-methods.ts';
import { compileCached, regexpOf } from './regexp-values.ts';
import { escapeRegex } from '../regex/regex.ts';

/** Ruby's whitespace for strip/split. */
const WS = ' \t\n\v\f\r\0';

function rstripWs(s: string): string {
  let e = s.length;
  while (e > 0 && WS.includes(s[e - 1]!)) e--;
  return s.slice(0, e);
}
function lstripWs(s: string): string {
  let b = 0;
  while (b < s.length && WS.includes(s[b]!) && s[b] !== '\0') b++;
  return s.slice(b);
}

/** Ruby `Shellwords.shellescape`. */
export function shellEscape(s: string): string {
  if (s.length === 0) return "''";
  return s.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, '\\$&').replace(/\n/g, "'\n'");
}

/** A `tr`-style character set: its characters in order, the first position of each, and negation. */
interface CharSet {
  readonly chars: string[];
  readonly pos: Map<string, number>;
  readonly negate: boolean;
}

/**
 * Expand a `tr`-style character set (`a-z`, leading `^` negates); one step per character of the
 * expansion (ranges can be large), lookups are O(1).
 */
function charSet(spec: string): CharSet {
  let negate = false;
  let s = spec;
  if (s.length > 1 && s[0] === '^') {
    negate = true;
    s = s.slice(1);
  }
  const src = [...s];
  const chars: string[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      chars.push(src[++i]!);
    } else if (src[i + 1] === '-' && i + 2 < src.length) {
      const a = c.codePointAt(0)!;
      const b = src[i + 2]!.codePointAt(0)!;
      if (a > b) throw new ErbRenderError(`invalid range "${c}-${src[i + 2]!}" in string transliteration`);
      if (b - a > 0x10000) throw new ErbRenderError('character range too large');
      chargeSteps(b - a + 1);
      for (let x = a; x <= b; x++) chars.push(String.fromCodePoint(x));
      i += 2;
    } else chars.push(c);
  }
  const pos = new Map<string, number>();
  for (let i = 0; i < chars.length; i++) if (!pos.has(chars[i]!)) pos.set(chars[i]!, i);
  return { chars, pos, negate };
}

function inSets(c: string, sets: CharSet[]): boolean {
  return sets.every((s) => s.pos.has(c) !== s.negate);
}

function tr(self: string, from: string, to: string, squeeze: boolean): string {
  const f = charSet(from);
  const t = charSet(to).chars;
  let out = '';
  let lastRepl: string | undefined;
  for (const c of self) {
    const idx = f.pos.get(c) ?? -1;
    const hit = f.negate ? idx < 0 : idx >= 0;
    if (!hit) {
      out += c;
      lastRepl = undefined;
      continue;
    }
    const r = t.length === 0 ? '' : f.negate ? t[t.length - 1]! : t[Math.min(idx, t.length - 1)]!;
    if (squeeze && r === lastRepl) continue;
    out += r;
    lastRepl = r;
  }
  return out;
}

/**
 * Expand `\0`, `\&`, `\\` in a sub/gsub replacement string; `checkLength` hears the length so
 * far, so a replacement that would grow past the string size limit fails before it is built.
 */
function expandReplacement(repl: string, match: string, checkLength: (length: number) => void): string {
  let grown = repl.length;
  return repl.replace(/\\(\\|&|0|\d|k<[^>]*>|'|`)/g, (_m, g: string) => {
    if (g === '\\') return '\\';
    if (g === '&' || g === '0') {
      grown += match.length;
      checkLength(grown);
      return match;
    }
    return '';
  });
}

function substitute(self: string, args: RubyValue[], info: CallInfo, global: boolean): string {
  arity(args, 1, 2);
  const pat = args[0];
  if (typeof pat !== 'string') {
    const re = regexpOf(pat);
    if (re) return regexSubstitute(self, re, args, info, global);
    throw new ErbRenderError(`wrong argument type ${pat === null || pat === undefined ? 'nil' : typeof pat === 'object' ? 'Object' : typeof pat} (expected Regexp)`);
  }
  const budget = info.rt.budget;
  const replFor = (m: string): string => {
    if (args.length === 2) {
      const r = args[1]!;
      if (typeof r === 'string') return expandReplacement(r, m, (n) => budget.checkString(n));
      if (r instanceof RubyHash) {
        const v = r.get(m);
        return v === undefined ? '' : toS(v);
      }
      throw new ErbRenderError(`no implicit conversion of ${typeof r} into String`);
    }
    const block = needBlock(info);
    const v = block(m);
    return toS(v);
  };
  if (pat.length === 0) {
    // Ruby inserts the replacement between every character.
    budget.checkString(self.length * 2 + 1);
  }
  let out = '';
  let pos = 0;
  for (;;) {
    const i = self.indexOf(pat, pos);
    if (i < 0 || (pat.length === 0 && i > self.length)) break;
    const r = replFor(pat);
    out += self.slice(pos, i) + r;
    budget.checkString(out.length);
    if (pat.length === 0) {
      if (i >= self.length) {
        pos = self.length + 1;
        break;
      }
      out += self[i];
      pos = i + 1;
    } else pos = i + pat.length;
    budget.tick();
    if (!global) break;
  }
  if (pos <= self.length) out += self.slice(pos);
  budget.checkString(out.length);
  return out;
}

function split(self: string, args: RubyValue[], info: CallInfo): string[] {
  arity(args, 0, 2);
  const sep = args[0] ?? null;
  const re = regexpOf(sep);
  if (re) return regexSplit(self, re, args[1], info);
  const limit = args.length > 1 ? intArg(args[1]) : 0;
  let parts: string[];
  if (sep === null || sep === ' ') {
    const trimmed = lstripWs(self);
    if (limit > 0) {
      parts = [];
      let rest = trimmed;
      while (parts.length < limit - 1 && rest.length > 0) {
        const m = /[ \t\n\v\f\r]+/.exec(rest);
        if (!m) break;
        parts.push(rest.slice(0, m.index));
        rest = rest.slice(m.index + m[0].length);
      }
      if (rest.length > 0 || parts.length > 0) parts.push(rest);
      return parts;
    }
    parts = trimmed.split(/[ \t\n\v\f\r]+/);
  } else if (typeof sep === 'string') {
    if (sep === '') parts = [...self];
    else parts = self.split(sep);
    if (limit > 0 && parts.length > limit) parts = [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sep)];
  } else {
    throw new ErbRenderError('wrong argument type for split (expected a String or a Regexp)');
  }
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The characters (code points) of `s` for indexing: `s` itself when it has no surrogate pair
 * (UTF-16 units are then code points, no copy), else an array (charged one step per unit).
 */
function codePoints(s: string): string | string[] {
  if (!SURROGATE.test(s)) return s;
  chargeSteps(s.length);
  return [...s];
}

const SURROGATE = /[\uD800-\uDFFF]/;

function cut(chars: string | string[], from: number, to?: number): string {
  return typeof chars === 'string' ? chars.slice(from, to) : chars.slice(from, to).join('');
}

function index(self: string, args: RubyValue[], info: CallInfo): RubyValue {
  arity(args, 1, 2);
  const a = args[0]!;
  const re = regexpOf(a);
  if (re) return regexSlice(self, re, args[1], info);
  if (typeof a === 'string' && args.length === 1) return self.includes(a) ? a : null;
  const chars = codePoints(self);
  const len = chars.length;
  if (args.length === 2) {
    let start = intArg(a);
    const n = intArg(args[1]);
    if (start < 0) start += len;
    if (start < 0 || start > len || n < 0) return null;
    return cut(chars, start, start + n);
  }
  if (typeof a === 'number') {
    let i = Math.trunc(a);
    if (i < 0) i += len;
    return chars[i] ?? null;
  }
  if (a instanceof RubyRange) {
    let from = a.from === null ? 0 : intArg(a.from);
    let to = a.to === null ? len - 1 : intArg(a.to);
    if (from < 0) from += len;
    if (to < 0) to += len;
    if (from < 0 || from > len) return null;
    return cut(chars, from, a.exclusive && a.to !== null ? to : to + 1);
  }
  throw new ErbRenderError('unsupported index for String#[]');
}

function pad(self: string, args: RubyValue[], info: CallInfo, where: 'l' | 'r' | 'c'): string {
  arity(args, 1, 2);
  const width = intArg(args[0]);
  const p = args.length > 1 ? strArg(args[1]) : ' ';
  if (p.length === 0) throw new ErbRenderError('zero width padding');
  info.rt.budget.checkString(width);
  const len = self.length;
  if (width <= len) return self;
  const total = width - len;
  const fill = (n: number): string => p.repeat(Math.ceil(n / p.length)).slice(0, n);
  if (where === 'l') return self + fill(total);
  if (where === 'r') return fill(total) + self;
  const left = Math.floor(total / 2);
  return fill(left) + self + fill(total - left);
}

function toI(self: string, base = 10): number {
  const s = self.replace(/^[ \t\n\v\f\r]+/, '').replace(/_(?=\d)/g, '');
  if (base === 10) {
    const m = /^[+-]?\d+/.exec(s);
    return m ? Number(m[0]) : 0;
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  const m = new RegExp(`^[+-]?[${digits}]+`, 'i').exec(s.replace(base === 16 ? /^(0x)/i : /^$/, ''));
  return m ? parseInt(m[0], base) : 0;
}

function toF(self: string): number {
  const m = /^[ \t\n\v\f\r]*[+-]?(\d[\d_]*)?(\.\d+)?([eE][+-]?\d+)?/.exec(self);
  if (!m || !/\d/.test(m[0])) return 0;
  const v = Number(m[0].trim().replace(/_/g, ''));
  return Number.isNaN(v) ? 0 : v;
}

/** Ruby `String#length`: code points, counted without building an array. */
function charLength(s: string): number {
  let n = s.length;
  if (n === 0 || !/[\uD800-\uDBFF]/.test(s)) return n;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function radix(base: number): number {
  if (base < 2 || base > 36) throw new ErbRenderError(`invalid radix ${base}`);
  return base;
}

/** Bound and charge (one step per element) an array of strings a method built. */
function counted(info: CallInfo, parts: string[]): string[] {
  info.rt.budget.created(parts.length);
  return parts;
}

function capitalize(s: string): string {
  if (s.length === 0) return s;
  const first = String.fromCodePoint(s.codePointAt(0)!);
  return first.toUpperCase() + s.slice(first.length).toLowerCase();
}

/** Methods that walk a string character by character in JavaScript cost one step per character. */
function perChar(s: string): void {
  chargeSteps(s.length);
}

/** A string a method built costs one step per 64 characters. */
function charged(s: string): string {
  chargeSteps(s.length >> 6);
  return s;
}

function lines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n') {
      out.push(s.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

function cmp(op: string): Builtin<string> {
  return (self, args) => {
    arity(args, 1);
    const c = compareOrFail(self, args[0]!);
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  };
}

/** The String method table. */
export const STRING_METHODS: ReadonlyMap<string, Builtin<string>> = new Map<string, Builtin<string>>([
  ['to_s', (s) => s],
  ['to_str', (s) => s],
  ['inspect', (s) => charged(inspectString(s))],
  ['dump', (s) => charged(inspectString(s))],
  ['to_sym', (s) => new RubySymbol(s)],
  ['intern', (s) => new RubySymbol(s)],
  ['to_i', (s, a) => (arity(a, 0, 1), toI(s, a.length ? radix(intArg(a[0])) : 10))],
  ['to_f', (s) => makeFloat(toF(s))],
  ['hex', (s) => toI(s, 16)],
  ['oct', (s) => toI(s, 8)],
  ['length', (s) => charLength(s)],
  ['size', (s) => charLength(s)],
  ['bytesize', (s) => new TextEncoder().encode(s).length],
  ['empty?', (s) => s.length === 0],
  ['upcase', (s) => s.toUpperCase()],
  ['downcase', (s) => s.toLowerCase()],
  ['capitalize', (s) => capitalize(s)],
  ['swapcase', (s) => (perChar(s), [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''))],
  ['strip', (s) => lstripWs(rstripWs(s))],
  ['lstrip', (s) => lstripWs(s)],
  ['rstrip', (s) => rstripWs(s)],
  ['squish', (s) => s.trim().replace(/\s+/g, ' ')],
  ['chomp', (s, a) => {
    arity(a, 0, 1);
    if (a.length && a[0] !== null) {
      const suf = strArg(a[0]);
      return suf && s.endsWith(suf) ? s.slice(0, s.length - suf.length) : s;
    }
    return s.endsWith('\r\n') ? s.slice(0, -2) : s.endsWith('\n') || s.endsWith('\r') ? s.slice(0, -1) : s;
  }],
  ['chop', (s) => (s.endsWith('\r\n') ? s.slice(0, -2) : /[\uDC00-\uDFFF]$/.test(s) && /[\uD800-\uDBFF]/.test(s[s.length - 2] ?? '') ? s.slice(0, -2) : s.slice(0, -1))],
  ['chr', (s) => [...s][0] ?? ''],
  ['chars', (s, _a, i) => (i.rt.budget.created(s.length), [...s])],
  ['bytes', (s, _a, i) => {
    i.rt.budget.checkCollection(s.length * 4);
    const bytes = new TextEncoder().encode(s);
    i.rt.budget.created(bytes.length);
    return [...bytes];
  }],
  ['lines', (s, _a, i) => counted(i, lines(s))],
  ['each_line', (s, _a, i) => {
    if (!i.block) return counted(i, lines(s));
    const b = i.block;
    for (const l of lines(s)) b(l);
    return s;
  }],
  ['each_char', (s, _a, i) => {
    if (!i.block) return (i.rt.budget.created(s.length), [...s]);
    const b = i.block;
    for (const c of s) b(c);
    return s;
  }],
  ['split', (s, a, i) => {
    const parts = counted(i, split(s, a, i));
    if (i.block) {
      for (const p of parts) i.block(p);
      return s;
    }
    return parts;
  }],
  ['include?', (s, a) => (arity(a, 1), s.includes(strArg(a[0])))],
  ['start_with?', (s, a, i) => a.some((p) => {
    const re = regexpOf(p);
    return re ? regexStartsWith(s, re, i) : s.startsWith(strArg(p));
  })],
  ['end_with?', (s, a) => a.some((p) => s.endsWith(strArg(p)))],
  ['delete_prefix', (s, a) => {
    arity(a, 1);
    const p = strArg(a[0]);
    return s.startsWith(p) ? s.slice(p.length) : s;
  }],
  ['delete_suffix', (s, a) => {
    arity(a, 1);
    const p = strArg(a[0]);
    return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  }],
  ['index', (s, a, info) => {
    arity(a, 1, 2);
    const re = regexpOf(a[0]);
    if (re) return regexIndex(s, re, a[1], info);
    const i = s.indexOf(strArg(a[0]), a.length > 1 ? intArg(a[1]) : 0);
    return i < 0 ? null : i;
  }],
  ['rindex', (s, a, info) => {
    arity(a, 1, 2);
    const re = regexpOf(a[0]);
    if (re) return regexRindex(s, re, a[1], info);
    const i = s.lastIndexOf(strArg(a[0]), a.length > 1 ? intArg(a[1]) : Infinity);
    return i < 0 ? null : i;
  }],
  ['[]', (s, a, i) => index(s, a, i)],
  ['slice', (s, a, i) => index(s, a, i)],
  ['sub', (s, a, i) => substitute(s, a, i, false)],
  ['gsub', (s, a, i) => substitute(s, a, i, true)],
  ['tr', (s, a) => (arity(a, 2), perChar(s), tr(s, strArg(a[0]), strArg(a[1]), false))],
  ['tr_s', (s, a) => (arity(a, 2), perChar(s), tr(s, strArg(a[0]), strArg(a[1]), true))],
  ['delete', (s, a) => {
    if (a.length === 0) throw new ErbRenderError('wrong number of arguments (given 0, expected 1+)');
    const sets = a.map((x) => charSet(strArg(x)));
    perChar(s);
    return [...s].filter((c) => !inSets(c, sets)).join('');
  }],
  ['count', (s, a) => {
    if (a.length === 0) throw new ErbRenderError('wrong number of arguments (given 0, expected 1+)');
    const sets = a.map((x) => charSet(strArg(x)));
    perChar(s);
    return [...s].filter((c) => inSets(c, sets)).length;
  }],
  ['squeeze', (s, a) => {
    const sets = a.map((x) => charSet(strArg(x)));
    perChar(s);
    let out = '';
    let prev = '';
    for (const c of s) {
      if (c === prev && (sets.length === 0 || inSets(c, sets))) continue;
      out += c;
      prev = c;
    }
    return out;
  }],
  ['reverse', (s) => (perChar(s), [...s].reverse().join(''))],
  ['ljust', (s, a, i) => pad(s, a, i, 'l')],
  ['rjust', (s, a, i) => pad(s, a, i, 'r')],
  ['center', (s, a, i) => pad(s, a, i, 'c')],
  ['shellescape', (s) => shellEscape(s)],
  ['truncate', (s, a) => {
    arity(a, 1, 2);
    const n = intArg(a[0]);
    if (s.length <= n) return s;
    const opts = a[1];
    let omission = '...';
    if (opts instanceof RubyHash) {
      const o = opts.get(new RubySymbol('omission'));
      if (typeof o === 'string') omission = o;
    }
    return s.slice(0, Math.max(0, n - omission.length)) + omission;
  }],
  ['+', (s, a, i) => {
    arity(a, 1);
    const o = strArg(a[0]);
    i.rt.budget.checkString(s.length + o.length);
    return s + o;
  }],
  ['<<', (s, a, i) => {
    arity(a, 1);
    const o = typeof a[0] === 'number' ? codePoint(a[0]) : strArg(a[0]);
    i.rt.budget.checkString(s.length + o.length);
    return s + o;
  }],
  ['concat', (s, a, i) => {
    const all = a.map((x) => strArg(x)).join('');
    i.rt.budget.checkString(s.length + all.length);
    return s + all;
  }],
  ['prepend', (s, a, i) => {
    const all = a.map((x) => strArg(x)).join('');
    i.rt.budget.checkString(s.length + all.length);
    return all + s;
  }],
  ['*', (s, a, i) => {
    arity(a, 1);
    const n = intArg(a[0]);
    if (n < 0) throw new ErbRenderError('negative argument');
    if (s.length === 0) return '';
    i.rt.budget.checkString(s.length * n);
    return s.repeat(n);
  }],
  ['%', (s, a, i) => {
    arity(a, 1);
    const x = a[0]!;
    return rubyFormat(s, Array.isArray(x) ? x : [x], i.rt.budget);
  }],
  ['==', (s, a) => (arity(a, 1), s === a[0])],
  ['eql?', (s, a) => (arity(a, 1), s === a[0])],
  ['===', (s, a) => (arity(a, 1), s === a[0])],
  ['<=>', (s, a) => (arity(a, 1), typeof a[0] === 'string' ? (s < a[0] ? -1 : s > a[0] ? 1 : 0) : null)],
  ['<', cmp('<')],
  ['<=', cmp('<=')],
  ['>', cmp('>')],
  ['>=', cmp('>=')],
  ['between?', (s, a) => (arity(a, 2), compareOrFail(s, a[0]!) >= 0 && compareOrFail(s, a[1]!) <= 0)],
  ['casecmp', (s, a) => {
    arity(a, 1);
    if (typeof a[0] !== 'string') return null;
    const x = s.toLowerCase();
    const y = a[0].toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }],
  ['casecmp?', (s, a) => (arity(a, 1), typeof a[0] === 'string' ? s.toLowerCase() === a[0].toLowerCase() : null)],
  ['ord', (s) => {
    if (s.length === 0) throw new ErbRenderError('empty string');
    return s.codePointAt(0)!;
  }],
  ['succ', (s) => {
    if (s.length === 0) return '';
    const last = s.charCodeAt(s.length - 1);
    return s.slice(0, -1) + String.fromCharCode(last + 1);
  }],
  ['scan', (s, a, i) => {
    arity(a, 1);
    const re = regexpOf(a[0]);
    if (re) return regexScan(s, re, i);
    const pat = strArg(a[0]);
    return regexScan(s, compileCached(escapeRegex(pat), ''), i);
  }],
  ...STRING_REGEX_METHODS,
]);

/** String methods with a `!` variant that the interpreter implements by rebinding the variable. */
export const STRING_BANG_METHODS: ReadonlySet<string> = new Set([
  'upcase', 'downcase', 'capitalize', 'swapcase', 'strip', 'lstrip', 'rstrip', 'chomp', 'chop', 'sub', 'gsub',
  'tr', 'tr_s', 'delete', 'squeeze', 'reverse', 'squish', 'delete_prefix', 'delete_suffix',
]);
