/**
 * @module
 * Parser of the Ruby (Onigmo) regular-expression subset templates may use, from pattern source to
 * a small AST. Everything the linear-time matcher cannot do (backreferences, lookaround, atomic
 * groups, possessive quantifiers, `\G`, `\K`, `\p{…}`) is refused with a {@link RegexSyntaxError}
 * that points at the offending offset of the pattern.
 */
import { classRanges, foldRanges, negateRanges, normalizeRanges, POSIX_CLASSES } from './char-class.ts';

/** Flags of a pattern: `i` case-insensitive, `m` dot matches newline, `x` extended (free spacing). */
export interface RegexFlags {
  readonly i: boolean;
  readonly m: boolean;
  readonly x: boolean;
}

/** Zero-width assertions. */
export type AssertKind = 'bol' | 'eol' | 'bos' | 'eos' | 'eosnl' | 'wordb' | 'nwordb';

/** A node of the pattern AST. */
export type RegexNode =
  | { readonly t: 'char'; readonly c: number; readonly ci: boolean }
  | { readonly t: 'any'; readonly nl: boolean }
  | { readonly t: 'class'; readonly ranges: readonly number[] }
  | { readonly t: 'assert'; readonly k: AssertKind }
  | { readonly t: 'group'; readonly index: number; readonly body: RegexNode }
  | { readonly t: 'alt'; readonly alts: readonly RegexNode[] }
  | { readonly t: 'cat'; readonly items: readonly RegexNode[] }
  | { readonly t: 'rep'; readonly body: RegexNode; readonly min: number; readonly max: number; readonly lazy: boolean }
  | { readonly t: 'empty' };

/** A parsed pattern: the AST, the number of capture groups and the names of named groups. */
export interface ParsedRegex {
  readonly node: RegexNode;
  /** Number of capturing groups (group 0, the whole match, not counted). */
  readonly groups: number;
  /** Group names in order of appearance, with their group numbers. */
  readonly names: readonly (readonly [string, number])[];
}

/** A pattern the sandbox cannot compile; `offset` indexes the pattern source. */
export class RegexSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'RegexSyntaxError';
    this.offset = offset;
  }
}

/** Largest count allowed in `{m,n}`. */
export const MAX_REPEAT = 1000;
/** Most non-ASCII code points case-folding of `/i` classes may visit in one pattern. */
const MAX_FOLD_WORK = 100_000;
/**
 * Most capture groups in one pattern: each thread of the matcher carries a copy of the capture
 * slots, so their number bounds its memory and the cost of every capture.
 */
export const MAX_GROUPS = 100;

/** Deepest group nesting accepted. */
const MAX_NESTING = 200;

const CLASS_ESCAPES = 'dDwWsShH';

/** Parse a Ruby pattern with the given flags. */
export function parseRegex(source: string, flags: RegexFlags): ParsedRegex {
  return new RegexParser(source, flags).parse();
}

class RegexParser {
  readonly #src: string;
  #pos = 0;
  #flags: RegexFlags;
  #groups = 0;
  #depth = 0;
  /** Code points visited while case-folding classes (bounded, see {@link MAX_FOLD_WORK}). */
  #foldWork = 0;
  readonly #names: [string, number][] = [];
  /** Onigmo: once a pattern has named groups, plain `( )` groups do not capture. */
  readonly #namedOnly: boolean;

  constructor(src: string, flags: RegexFlags) {
    this.#src = src;
    this.#flags = flags;
    this.#namedOnly = hasNamedGroup(src);
  }

  #nextGroup(at: number): number {
    if (this.#groups >= MAX_GROUPS) this.#fail(`too many capture groups in regular expression (limit ${MAX_GROUPS})`, at);
    return ++this.#groups;
  }

  #fail(msg: string, at = this.#pos): never {
    throw new RegexSyntaxError(msg, at);
  }

  parse(): ParsedRegex {
    const node = this.#alternation();
    if (this.#pos < this.#src.length) this.#fail("unmatched close parenthesis ')'");
    return { node, groups: this.#groups, names: this.#names };
  }

  #skipExtended(): void {
    if (!this.#flags.x) return;
    const s = this.#src;
    for (;;) {
      const c = s[this.#pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') this.#pos++;
      else if (c === '#') {
        while (this.#pos < s.length && s[this.#pos] !== '\n') this.#pos++;
      } else return;
    }
  }

  #alternation(): RegexNode {
    const alts: RegexNode[] = [this.#sequence()];
    while (this.#src[this.#pos] === '|') {
      this.#pos++;
      alts.push(this.#sequence());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  #sequence(): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      this.#skipExtended();
      const c = this.#src[this.#pos];
      if (c === undefined || c === '|' || c === ')') break;
      const atomStart = this.#pos;
      const atom = this.#atom();
      if (atom === null) continue; // an inline option group `(?i)` changes flags only
      items.push(this.#quantified(atom, atomStart));
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  #quantified(atom: RegexNode, atomStart: number): RegexNode {
    let node = atom;
    for (let stacked = 0; ; stacked++) {
      if (stacked > 8) this.#fail('too many repeat operators in a row', this.#pos);
      this.#skipExtended();
      const s = this.#src;
      const c = s[this.#pos];
      let min: number;
      let max: number;
      const qStart = this.#pos;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d*)(,?)(\d*)\}/.exec(s.slice(this.#pos, this.#pos + 24));
        if (!m || (m[1] === '' && m[3] === '') || (m[1] === '' && m[2] === '')) return node; // a literal '{'
        min = m[1] === '' ? 0 : Number(m[1]);
        max = m[2] === '' ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) this.#fail(`repeat count too large in regular expression (limit ${MAX_REPEAT})`);
        if (max < min) this.#fail('upper bound smaller than lower bound in {m,n}');
        this.#pos += m[0].length - 1;
      } else return node;
      this.#pos++;
      if (node.t === 'assert' || node.t === 'empty') this.#fail('target of repeat operator is invalid', qStart);
      let lazy = false;
      if (s[this.#pos] === '?') {
        lazy = true;
        this.#pos++;
      } else if (s[this.#pos] === '+' && c !== '{') {
        this.#fail('possessive quantifiers are not supported in templates', this.#pos);
      }
      void atomStart;
      node = { t: 'rep', body: node, min, max, lazy };
    }
  }

  #atom(): RegexNode | null {
    const s = this.#src;
    const c = s[this.#pos]!;
    switch (c) {
      case '(':
        return this.#group();
      case '[':
        return { t: 'class', ranges: this.#bracket() };
      case '.':
        this.#pos++;
        return { t: 'any', nl: this.#flags.m };
      case '^':
        this.#pos++;
        return { t: 'assert', k: 'bol' };
      case '$':
        this.#pos++;
        return { t: 'assert', k: 'eol' };
      case '\\':
        return this.#escapeAtom();
      case '*': case '+': case '?':
        return this.#fail('target of repeat operator is not specified');
      default: {
        const cp = s.codePointAt(this.#pos)!;
        this.#pos += cp > 0xffff ? 2 : 1;
        return this.#char(cp);
      }
    }
  }

  /** {@link foldRanges} within the pattern's folding budget. */
  #fold(ranges: number[]): number[] {
    for (let i = 0; i + 1 < ranges.length; i += 2) {
      const from = Math.max(ranges[i]!, 0x80);
      const hi = ranges[i + 1]!;
      if (hi >= from && hi - from < 2048) this.#foldWork += hi - from + 1;
    }
    if (this.#foldWork > MAX_FOLD_WORK) this.#fail('regular expression too large (case-insensitive classes)', 0);
    return foldRanges(ranges);
  }

  #char(cp: number): RegexNode {
    if (this.#flags.i) {
      const folded = this.#fold([cp, cp]);
      if (folded.length > 2) return { t: 'class', ranges: folded };
    }
    return { t: 'char', c: cp, ci: false };
  }

  #group(): RegexNode | null {
    const s = this.#src;
    const open = this.#pos;
    this.#pos++;
    if (++this.#depth > MAX_NESTING) this.#fail('regular expression nested too deeply', open);
    let index = -1;
    const saved = this.#flags;
    if (s[this.#pos] === '?') {
      const k = s[this.#pos + 1];
      if (k === ':') this.#pos += 2;
      else if (k === '=' || k === '!') this.#fail('lookahead (?= / ?!) is not supported in templates', open);
      else if (k === '<' && (s[this.#pos + 2] === '=' || s[this.#pos + 2] === '!')) this.#fail('lookbehind (?<= / ?<!) is not supported in templates', open);
      else if (k === '>') this.#fail('atomic groups (?>…) are not supported in templates', open);
      else if (k === '#') {
        const end = s.indexOf(')', this.#pos);
        if (end < 0) this.#fail('end pattern in group', open);
        this.#pos = end + 1;
        this.#depth--;
        return null;
      } else if (k === '<' || k === "'") {
        const close = k === '<' ? '>' : "'";
        const end = s.indexOf(close, this.#pos + 2);
        const name = end < 0 ? '' : s.slice(this.#pos + 2, end);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) this.#fail('invalid group name', open);
        if (this.#names.some(([n]) => n === name)) this.#fail(`duplicate group name '${name}' is not supported in templates`, open);
        index = this.#nextGroup(open);
        this.#names.push([name, index]);
        this.#pos = end + 1;
      } else {
        const m = /^\?([imx]*)(?:-([imx]*))?([:)])/.exec(s.slice(this.#pos, this.#pos + 12));
        if (!m) this.#fail('undefined group option', open);
        const flags = { ...this.#flags };
        for (const f of m[1] ?? '') flags[f as 'i' | 'm' | 'x'] = true;
        for (const f of m[2] ?? '') flags[f as 'i' | 'm' | 'x'] = false;
        this.#pos += m[0].length;
        this.#flags = flags;
        if (m[3] === ')') {
          // `(?i)`: applies to the rest of the enclosing group.
          this.#depth--;
          return null;
        }
      }
    } else if (!this.#namedOnly) {
      index = this.#nextGroup(open);
    }
    const body = this.#alternation();
    if (s[this.#pos] !== ')') this.#fail('end pattern with unmatched parenthesis', open);
    this.#pos++;
    this.#flags = saved;
    this.#depth--;
    return index < 0 ? wrapNonCapturing(body) : { t: 'group', index, body };
  }

  #escapeAtom(): RegexNode {
    const s = this.#src;
    const at = this.#pos;
    const c = s[at + 1];
    if (c === undefined) this.#fail('too short escape sequence', at);
    this.#pos += 2;
    switch (c) {
      case 'A': return { t: 'assert', k: 'bos' };
      case 'z': return { t: 'assert', k: 'eos' };
      case 'Z': return { t: 'assert', k: 'eosnl' };
      case 'b': return { t: 'assert', k: 'wordb' };
      case 'B': return { t: 'assert', k: 'nwordb' };
      case 'G': case 'K': case 'X': case 'R': case 'g':
        return this.#fail(`'\\${c}' is not supported in templates' regular expressions`, at);
      case 'k':
        return this.#fail('backreferences (\\k<name>) are not supported in templates', at);
      case 'p': case 'P':
        return this.#fail(`character properties (\\${c}{…}) are not supported in templates`, at);
      default:
        break;
    }
    if (c >= '1' && c <= '9') this.#fail(`backreferences (\\${c}) are not supported in templates`, at);
    if (CLASS_ESCAPES.includes(c)) {
      const ranges = classRanges(c);
      return { t: 'class', ranges };
    }
    this.#pos = at;
    return this.#char(this.#escapedChar());
  }

  /** One escaped character (pos at the backslash); returns its code point. */
  #escapedChar(): number {
    const s = this.#src;
    const at = this.#pos;
    const c = s[at + 1];
    this.#pos += 2;
    switch (c) {
      case 't': return 9;
      case 'n': return 10;
      case 'r': return 13;
      case 'f': return 12;
      case 'v': return 11;
      case 'a': return 7;
      case 'e': return 27;
      case '0': {
        const m = /^[0-7]{0,2}/.exec(s.slice(this.#pos, this.#pos + 2))!;
        this.#pos += m[0].length;
        return parseInt(`0${m[0]}`, 8);
      }
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(this.#pos, this.#pos + 2));
        if (!m) this.#fail('invalid hex escape', at);
        this.#pos += m[0].length;
        return parseInt(m[0], 16);
      }
      case 'u': {
        if (s[this.#pos] === '{') {
          const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(s.slice(this.#pos, this.#pos + 9));
          if (!m || parseInt(m[1]!, 16) > 0x10ffff) this.#fail('invalid Unicode escape', at);
          this.#pos += m[0].length;
          return parseInt(m[1]!, 16);
        }
        const m = /^[0-9a-fA-F]{4}/.exec(s.slice(this.#pos, this.#pos + 4));
        if (!m) this.#fail('invalid Unicode escape', at);
        this.#pos += 4;
        return parseInt(m[0], 16);
      }
      case 'c': case 'C': case 'M':
        return this.#fail(`control/meta escapes (\\${c}) are not supported in templates`, at);
      case undefined:
        return this.#fail('too short escape sequence', at);
      default: {
        const cp = s.codePointAt(at + 1)!;
        this.#pos = at + 1 + (cp > 0xffff ? 2 : 1);
        return cp;
      }
    }
  }

  /** `[…]` bracket expression; returns normalized (case-folded when /i) ranges. */
  #bracket(): number[] {
    const s = this.#src;
    const open = this.#pos;
    this.#pos++;
    let negate = false;
    if (s[this.#pos] === '^') {
      negate = true;
      this.#pos++;
    }
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      const c = s[this.#pos];
      if (c === undefined) this.#fail('premature end of char-class', open);
      if (c === ']' && !first) {
        this.#pos++;
        break;
      }
      first = false;
      if (c === '[') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(this.#pos, this.#pos + 14));
        if (!m) this.#fail('nested character classes are not supported in templates', this.#pos);
        const posix = POSIX_CLASSES[m[2]!];
        if (!posix) this.#fail(`unknown POSIX bracket [:${m[2]!}:]`, this.#pos);
        ranges.push(...(m[1] ? negateRanges(posix) : posix));
        this.#pos += m[0].length;
        continue;
      }
      if (c === '&' && s[this.#pos + 1] === '&') this.#fail('character class intersection (&&) is not supported in templates', this.#pos);
      let lo: number;
      if (c === '\\') {
        const e = s[this.#pos + 1];
        if (e !== undefined && CLASS_ESCAPES.includes(e)) {
          ranges.push(...classRanges(e));
          this.#pos += 2;
          continue;
        }
        if (e === 'b') {
          this.#pos += 2;
          lo = 8;
        } else if (e === 'p' || e === 'P' || e === 'k' || e === 'c' || e === 'C' || e === 'M' || e === 'R' || e === 'X') {
          this.#fail(`'\\${e}' is not supported in templates' regular expressions`, this.#pos);
        } else if (e !== undefined && e >= '1' && e <= '9') {
          this.#fail(`octal escapes (\\${e}) are not supported in templates`, this.#pos);
        } else lo = this.#escapedChar();
      } else {
        lo = s.codePointAt(this.#pos)!;
        this.#pos += lo > 0xffff ? 2 : 1;
      }
      let hi = lo;
      if (s[this.#pos] === '-' && s[this.#pos + 1] !== ']' && s[this.#pos + 1] !== undefined) {
        const dash = this.#pos;
        this.#pos++;
        const d = s[this.#pos]!;
        if (d === '[') this.#fail('nested character classes are not supported in templates', this.#pos);
        if (d === '\\') {
          const e = s[this.#pos + 1];
          if (e !== undefined && CLASS_ESCAPES.includes(e)) this.#fail('char-class value at end of range', dash);
          hi = this.#escapedChar();
        } else {
          hi = s.codePointAt(this.#pos)!;
          this.#pos += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) this.#fail('empty range in char class', dash);
      }
      ranges.push(lo, hi);
    }
    let out = normalizeRanges(ranges);
    if (this.#flags.i) out = this.#fold(out);
    return negate ? negateRanges(out) : out;
  }
}

/** A non-capturing group is just its body. */
function wrapNonCapturing(body: RegexNode): RegexNode {
  return body;
}

/** True when the pattern defines a named group `(?<name>…)` / `(?'name'…)`. */
function hasNamedGroup(src: string): boolean {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && src[i + 1] === '?') {
      const k = src[i + 2];
      if ((k === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') || k === "'") return true;
    }
  }
  return false;
}
