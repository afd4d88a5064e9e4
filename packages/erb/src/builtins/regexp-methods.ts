/**
 * @module
 * Regexp matching methods (`match`, `match?`, `=~`, `!~`, `===`), the String methods that accept
 * a Regexp (`=~ match match? scan sub gsub split index rindex start_with? [] slice`), and the
 * class methods `Regexp.escape/quote/new/union`. Every search runs on the linear-time engine and
 * charges the render budget; strings built are checked against maxStringSize.
 */
import { ErbRenderError } from '../errors.ts';
import { escapeRegex, regexToS } from '../regex/regex.ts';
import type { CompiledRegex } from '../regex/regex.ts';
import { toS } from '../values/conversions.ts';
import { RubyHash, RubySymbol } from '../values/ruby-value.ts';
import type { RubyTableMethod, RubyValue } from '../values/ruby-value.ts';
import { arity, intArg, needBlock, strArg } from './call-info.ts';
import type { Builtin, CallInfo } from './call-info.ts';
import { compileCached, groupIndex, groupText, makeMatchData, makeRegexp, regexpOf, search } from './regexp-values.ts';

/** Code units of the character at `i` (2 for a surrogate pair). */
function charLen(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** A start position argument (negative counts from the end); null when out of range. */
function startPos(s: string, v: RubyValue | undefined): number | null {
  if (v === undefined) return 0;
  let p = intArg(v);
  if (p < 0) p += s.length;
  return p < 0 || p > s.length ? null : p;
}

/** A Regexp argument, or a string compiled as a pattern (as `String#match` does). */
function patternArg(v: RubyValue | undefined): CompiledRegex {
  const re = regexpOf(v);
  if (re) return re;
  if (typeof v === 'string') return compileCached(v, '');
  throw new ErbRenderError(`wrong argument type ${v === undefined || v === null ? 'nil' : typeof v === 'object' ? 'Object' : typeof v} (expected Regexp)`);
}

function matchValue(re: CompiledRegex, s: string, start: number | null, info: CallInfo): RubyValue {
  if (start === null) return null;
  const m = search(re, s, start, info.rt.budget);
  return m ? makeMatchData(re, s, m) : null;
}

/** The string a `=~`/`match` receiver or argument stands for (symbols by name, nil stays nil). */
function subject(v: RubyValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof RubySymbol) return v.name;
  throw new ErbRenderError(`no implicit conversion of ${typeof v === 'number' ? 'Integer' : 'Object'} into String`);
}

/** Regexp methods that match (and so need the budget). */
export const REGEXP_METHODS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['match', (self, a, i) => {
    arity(a, 1, 2);
    const s = subject(a[0]);
    if (s === null) return null;
    return matchValue(regexpOf(self)!, s, startPos(s, a[1]), i);
  }],
  ['match?', (self, a, i) => {
    arity(a, 1, 2);
    const s = subject(a[0]);
    if (s === null) return false;
    const p = startPos(s, a[1]);
    return p !== null && search(regexpOf(self)!, s, p, i.rt.budget) !== null;
  }],
  ['=~', (self, a, i) => {
    arity(a, 1);
    const s = subject(a[0]);
    if (s === null) return null;
    return search(regexpOf(self)!, s, 0, i.rt.budget)?.[0] ?? null;
  }],
  ['!~', (self, a, i) => {
    arity(a, 1);
    const s = subject(a[0]);
    return s === null || search(regexpOf(self)!, s, 0, i.rt.budget) === null;
  }],
  ['===', (self, a, i) => {
    arity(a, 1);
    const v = a[0]!;
    const s = typeof v === 'string' ? v : v instanceof RubySymbol ? v.name : null;
    return s !== null && search(regexpOf(self)!, s, 0, i.rt.budget) !== null;
  }],
]);

// ---- String methods with a Regexp argument ------------------------------------------------------

/**
 * Expand `\0 \& \1…\9 \k<name> \` \' \\` in a replacement string. `checkLength` hears the
 * length so far after each expansion, so a replacement that would grow past the string size
 * limit fails before it is built.
 */
export function expandReplacement(
  repl: string,
  re: CompiledRegex | null,
  input: string,
  slots: Int32Array | readonly number[],
  checkLength: (length: number) => void = () => undefined,
): string {
  if (!repl.includes('\\')) return repl;
  let grown = repl.length;
  const counted = (piece: string): string => {
    grown += piece.length;
    checkLength(grown);
    return piece;
  };
  const group = (g: number): string => {
    const b = slots[g * 2];
    const e = slots[g * 2 + 1];
    return b === undefined || e === undefined || b < 0 ? '' : input.slice(b, e);
  };
  return repl.replace(/\\(\\|&|\d|k<([^>]*)>|'|`)/g, (_m, g: string, name: string | undefined) => {
    if (g === '\\') return '\\';
    if (g === '&') return counted(group(0));
    if (g === '`') return counted(input.slice(0, slots[0]));
    if (g === "'") return counted(input.slice(slots[1]));
    if (name !== undefined) {
      if (!re) return '';
      return counted(group(groupIndex(re, name)));
    }
    return counted(group(Number(g)));
  });
}

/** `sub`/`gsub` with a Regexp pattern. */
export function regexSubstitute(self: string, re: CompiledRegex, args: RubyValue[], info: CallInfo, global: boolean): string {
  const budget = info.rt.budget;
  const replFor = (m: Int32Array): string => {
    if (args.length === 2) {
      const r = args[1]!;
      if (typeof r === 'string') return expandReplacement(r, re, self, m, (n) => budget.checkString(n));
      if (r instanceof RubyHash) {
        const v = r.get(self.slice(m[0], m[1]));
        return v === undefined ? '' : toS(v);
      }
      throw new ErbRenderError(`no implicit conversion of ${typeof r} into String`);
    }
    return toS(needBlock(info)(self.slice(m[0], m[1])));
  };
  let out = '';
  let last = 0;
  let pos = 0;
  while (pos <= self.length) {
    const m = search(re, self, pos, budget);
    if (!m) break;
    out += self.slice(last, m[0]) + replFor(m);
    last = m[1]!;
    if (m[1] === m[0]) {
      if (m[1]! >= self.length) break;
      const n = charLen(self, m[1]!);
      out += self.slice(m[1], m[1]! + n);
      last = pos = m[1]! + n;
    } else pos = m[1]!;
    budget.checkString(out.length);
    budget.tick();
    if (!global) break;
  }
  out += self.slice(last);
  budget.checkString(out.length);
  return out;
}

/** `split` with a Regexp separator (Ruby's algorithm, captures included). */
export function regexSplit(self: string, re: CompiledRegex, limitArg: RubyValue | undefined, info: CallInfo): string[] {
  const lim = limitArg === undefined || limitArg === null ? 0 : intArg(limitArg);
  const budget = info.rt.budget;
  if (lim === 1) return self.length === 0 ? [] : [self];
  const out: string[] = [];
  const len = self.length;
  let beg = 0;
  let start = 0;
  let lastNull = false;
  let count = 1;
  while (start <= len) {
    const m = search(re, self, start, budget);
    if (!m) break;
    const end = m[0]!;
    if (start === end && m[0] === m[1]) {
      if (len === 0) {
        out.push('');
        break;
      } else if (lastNull) {
        out.push(self.slice(beg, beg + charLen(self, beg)));
        beg = start;
      } else {
        start += start === len ? 1 : charLen(self, start);
        lastNull = true;
        continue;
      }
    } else {
      out.push(self.slice(beg, end));
      beg = start = m[1]!;
    }
    lastNull = false;
    for (let g = 1; g <= re.groups; g++) {
      if (m[g * 2]! < 0) continue;
      out.push(self.slice(m[g * 2], m[g * 2 + 1]));
    }
    budget.checkCollection(out.length);
    budget.tick();
    if (lim > 0 && lim <= ++count) break;
  }
  if (len > 0 && (lim !== 0 || len > beg)) out.push(self.slice(beg));
  if (lim === 0) while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** `scan` with a Regexp. */
export function regexScan(self: string, re: CompiledRegex, info: CallInfo): RubyValue {
  const budget = info.rt.budget;
  const out: RubyValue[] = [];
  let pos = 0;
  while (pos <= self.length) {
    const m = search(re, self, pos, budget);
    if (!m) break;
    let item: RubyValue;
    if (re.groups === 0) item = self.slice(m[0], m[1]);
    else {
      const groups: RubyValue[] = [];
      for (let g = 1; g <= re.groups; g++) groups.push(m[g * 2]! < 0 ? null : self.slice(m[g * 2], m[g * 2 + 1]));
      item = groups;
    }
    if (info.block) info.block(item);
    else {
      out.push(item);
      budget.checkCollection(out.length);
    }
    budget.tick();
    pos = m[1] === m[0] ? m[1]! + (m[1]! < self.length ? charLen(self, m[1]!) : 1) : m[1]!;
  }
  return info.block ? self : out;
}

/** `str =~ re`. */
export function stringMatchOp(self: string, a: RubyValue[], info: CallInfo): RubyValue {
  arity(a, 1);
  const re = regexpOf(a[0]);
  if (!re) {
    if (typeof a[0] === 'string') throw new ErbRenderError('wrong argument type String (expected Regexp)');
    return null;
  }
  return search(re, self, 0, info.rt.budget)?.[0] ?? null;
}

/** String methods taking a Regexp or a pattern string (`match`, `match?`, `=~`, `!~`). */
export const STRING_REGEX_METHODS: ReadonlyMap<string, Builtin<string>> = new Map<string, Builtin<string>>([
  ['=~', (s, a, i) => stringMatchOp(s, a, i)],
  ['!~', (s, a, i) => stringMatchOp(s, a, i) === null],
  ['match', (s, a, i) => (arity(a, 1, 2), matchValue(patternArg(a[0]), s, startPos(s, a[1]), i))],
  ['match?', (s, a, i) => {
    arity(a, 1, 2);
    const p = startPos(s, a[1]);
    return p !== null && search(patternArg(a[0]), s, p, i.rt.budget) !== null;
  }],
]);

/** `index(re, start)`. */
export function regexIndex(self: string, re: CompiledRegex, startArg: RubyValue | undefined, info: CallInfo): RubyValue {
  const p = startPos(self, startArg);
  if (p === null) return null;
  return search(re, self, p, info.rt.budget)?.[0] ?? null;
}

/** `rindex(re, start)`: the last position at or before `start` where the pattern matches. */
export function regexRindex(self: string, re: CompiledRegex, startArg: RubyValue | undefined, info: CallInfo): RubyValue {
  let p = startArg === undefined ? self.length : intArg(startArg);
  if (p < 0) p += self.length;
  if (p < 0) return null;
  for (p = Math.min(p, self.length); p >= 0; p--) {
    info.rt.budget.tick();
    if (search(re, self, p, info.rt.budget, true)) return p;
  }
  return null;
}

/** `start_with?(re)`: a match at position 0. */
export function regexStartsWith(self: string, re: CompiledRegex, info: CallInfo): boolean {
  return search(re, self, 0, info.rt.budget, true) !== null;
}

/** `str[re]`, `str[re, group]`, `slice(re, group)`. */
export function regexSlice(self: string, re: CompiledRegex, group: RubyValue | undefined, info: CallInfo): RubyValue {
  const m = search(re, self, 0, info.rt.budget);
  if (!m) return null;
  const state = { re, input: self, slots: m };
  if (group === undefined) return groupText(state, 0);
  if (typeof group === 'number') {
    const n = re.groups + 1;
    const g = group < 0 ? group + n : group;
    return g >= 0 && g < n ? groupText(state, g) : null;
  }
  return groupText(state, groupIndex(re, group));
}

// ---- Regexp class methods -----------------------------------------------------------------------

function optionsArg(v: RubyValue | undefined): string {
  if (v === undefined || v === null || v === false) return '';
  if (typeof v === 'string') {
    if (!/^[mix]*$/.test(v)) throw new ErbRenderError(`unknown regexp option: ${v}`);
    return v;
  }
  if (typeof v === 'number') return `${v & 1 ? 'i' : ''}${v & 2 ? 'x' : ''}${v & 4 ? 'm' : ''}`;
  return 'i';
}

/** `Regexp.escape`, `Regexp.quote`, `Regexp.new(str_or_re, options)`, `Regexp.union(*pats)`. */
export const REGEXP_CLASS_METHODS: ReadonlyMap<string, RubyTableMethod<string>> = new Map<string, RubyTableMethod<string>>([
  ['escape', (_s, a) => (arity(a, 1), escapeRegex(typeof a[0] === 'string' ? a[0] : a[0] instanceof RubySymbol ? a[0].name : strArg(a[0])))],
  ['quote', (_s, a) => (arity(a, 1), escapeRegex(typeof a[0] === 'string' ? a[0] : a[0] instanceof RubySymbol ? a[0].name : strArg(a[0])))],
  ['new', (_s, a) => {
    arity(a, 1, 2);
    const re = regexpOf(a[0]);
    if (re) return makeRegexp(re);
    return makeRegexp(compileCached(strArg(a[0]), optionsArg(a[1])));
  }],
  ['union', (_s, a) => {
    const items = a.length === 1 && Array.isArray(a[0]) ? a[0] : a;
    const parts = items.map((x) => {
      const re = regexpOf(x);
      return re ? (items.length === 1 ? re.source : regexToS(re)) : escapeRegex(strArg(x));
    });
    if (items.length === 1 && regexpOf(items[0])) return items[0]!;
    return makeRegexp(compileCached(parts.length === 0 ? '[^\\s\\S]' : parts.join('|'), ''));
  }],
]);
