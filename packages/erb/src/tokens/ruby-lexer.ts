/**
 * @module
 * Lexer for the Ruby subset used inside ERB tags. It works on one tag's content at a time and
 * emits tokens with absolute offsets. Interpolations `#{…}` are lexed recursively into token
 * lists stored on the string token. Forbidden constructs (backticks, `%x`, globals, class
 * variables) are rejected here with an {@link ErbSyntaxError}.
 */
import { ErbSyntaxError } from '../errors.ts';
import type { SourceFile } from './source-file.ts';
import { KEYWORDS } from './token.ts';
import type { StringPart, Token, TokenKind } from './token.ts';

const OPERATORS = [
  '**=', '...', '<=>', '===', '&&=', '||=', '<<=', '>>=',
  '==', '=~', '!~', '!=', '=>', '&&', '||', '&.', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '**', '->', '::', '..',
  '+', '-', '*', '/', '%', '=', '<', '>', '!', '&', '|', '^', '~', '?', ':', ',', '.', '(', ')', '[', ']', '{', '}',
];

/** Operators by first character, longest first. */
const OPS_BY_CHAR = new Map<string, string[]>();
for (const op of OPERATORS) {
  const list = OPS_BY_CHAR.get(op[0]!) ?? [];
  list.push(op);
  OPS_BY_CHAR.set(op[0]!, list);
}
for (const list of OPS_BY_CHAR.values()) list.sort((a, b) => b.length - a.length);

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f');
}
function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && (isIdentStart(c) || (c >= '0' && c <= '9'));
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Tokens that end a value: after them `-`, `[`, `:`, `/`, `%` are binary operators or indexing. */
function endsValue(t: Token | undefined): boolean {
  if (!t) return false;
  switch (t.kind) {
    case 'int': case 'float': case 'str': case 'dstr': case 'sym': case 'dsym': case 'words': case 'regex':
    case 'ident': case 'const': case 'ivar':
      return true;
    case 'kw':
      return t.value === 'end' || t.value === 'self' || t.value === 'nil' || t.value === 'true' || t.value === 'false';
    case 'op':
      return t.value === ')' || t.value === ']' || t.value === '}';
    default:
      return false;
  }
}

/** Lexes `text[start, stop)` of a source file into tokens. */
export class RubyLexer {
  readonly #file: SourceFile;
  readonly #src: string;
  #pos: number;
  #stop: number;
  #ternary = 0;
  #interpDepth = 0;
  /** Heredoc bodies already read: when the lexer reaches the newline at `lineEnd` it resumes at `resume`. */
  #heredocSkip: { lineEnd: number; resume: number } | null = null;

  constructor(file: SourceFile, start: number, stop: number, src?: string) {
    this.#file = file;
    // `src` lets the caller pass tag content whose `%%>` was unescaped; offsets stay approximate then.
    this.#src = src ?? file.text;
    this.#pos = start;
    this.#stop = stop;
  }

  #fail(msg: string, at: number): never {
    throw new ErbSyntaxError(msg).locate(this.#file, at);
  }

  /** Lex everything up to the stop offset. */
  lexAll(): Token[] {
    return this.#lex(false);
  }

  /** Lex until the `}` closing an interpolation; returns the tokens and leaves pos after `}`. */
  #lex(inInterp: boolean): Token[] {
    const out: Token[] = [];
    const src = this.#src;
    let depth = 0;
    let space = false;
    const push = (kind: TokenKind, value: string, begin: number, extra?: Partial<Token>): void => {
      out.push({ kind, value, begin, end: this.#pos, spaceBefore: space, ...extra });
      space = false;
    };
    while (this.#pos < this.#stop) {
      const start = this.#pos;
      const c = src[start];
      const prev = out[out.length - 1];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
        this.#pos++;
        space = true;
        continue;
      }
      if (c === '\\' && src[start + 1] === '\n') {
        this.#pos += 2;
        this.#afterNewline(start + 1);
        space = true;
        continue;
      }
      if (c === '#') {
        while (this.#pos < this.#stop && src[this.#pos] !== '\n') this.#pos++;
        continue;
      }
      if (c === '\n' || c === ';') {
        this.#pos++;
        if (c === '\n') this.#afterNewline(start);
        if (prev?.kind !== 'nl') push('nl', c, start);
        else space = false;
        continue;
      }
      // A value may start here (so `-1`, `[x]`, `:sym`, `%w[]`, `/re/` are literals, not operators).
      const valueStart = !endsValue(prev) || (prev?.kind === 'ident' && space && src[start + 1] !== ' ' && src[start + 1] !== '=');
      if (isDigit(c)) {
        this.#number(push, start);
        continue;
      }
      if (c === '@') {
        if (src[start + 1] === '@') this.#fail('class variables are not allowed in templates', start);
        let p = start + 1;
        if (!isIdentStart(src[p])) this.#fail("invalid instance variable name after '@'", start);
        while (isIdentChar(src[p])) p++;
        this.#pos = p;
        push('ivar', src.slice(start + 1, p), start);
        continue;
      }
      if (c === '$') {
        const n = src[start + 1] ?? '';
        if (/[0-9~&`'+]/.test(n)) this.#fail(`match globals ($${n}) are not supported in templates: use m = str.match(re) and m[1]`, start);
        this.#fail('global variables are not allowed in templates', start);
      }
      if (c === '`') this.#fail('command execution (backticks) is not allowed in templates', start);
      if (isIdentStart(c)) {
        this.#identifier(push, start, prev);
        continue;
      }
      if (c === '"' ) {
        this.#pos++;
        const parts = this.#dquoted('"', '', start);
        this.#pushString(push, parts, start, false);
        continue;
      }
      if (c === "'") {
        this.#pos++;
        push('str', this.#squoted("'", ''), start);
        continue;
      }
      if (c === ':' && src[start + 1] !== ':' && valueStart && (this.#ternary === 0 || !endsValue(prev)) && (isIdentStart(src[start + 1]) || src[start + 1] === '"' || src[start + 1] === "'")) {
        this.#symbol(push, start);
        continue;
      }
      if (c === ':' && valueStart && src[start + 1] !== ':' && src[start + 1] !== ' ') {
        const op = ['<=>', '===', '==', '[]=', '[]', '<=', '>=', '**', '<<', '+', '-', '*', '/', '%', '<', '>', '!'].find((o) => src.startsWith(o, start + 1));
        if (op) {
          this.#pos = start + 1 + op.length;
          push('sym', op, start);
          continue;
        }
      }
      if (c === '%' && valueStart && this.#percentLiteral(push, start)) continue;
      if (c === '/' && valueStart && !(prev?.kind === 'ident' && src[start + 1] === ' ')) {
        this.#pos++;
        this.#regex(push, start, '/', '', start + 1);
        continue;
      }
      if (c === '<' && src[start + 1] === '<' && valueStart && /^[~-]?["'A-Z_a-z]/.test(src.slice(start + 2, start + 4))) {
        this.#heredoc(push, start);
        continue;
      }
      if (c === '?' && valueStart && isIdentChar(src[start + 1]) && !isIdentChar(src[start + 2])) {
        this.#fail('character literals (?a) are not supported in templates', start);
      }
      const op = OPS_BY_CHAR.get(c ?? '')?.find((o) => src.startsWith(o, start));
      if (!op) this.#fail(`unexpected character '${c ?? ''}'`, start);
      if (inInterp && op === '{') depth++;
      if (inInterp && op === '}') {
        if (depth === 0) {
          this.#pos++;
          return out;
        }
        depth--;
      }
      if (op === '?') this.#ternary++;
      if (op === ':' && this.#ternary > 0) this.#ternary--;
      this.#pos += op.length;
      push('op', op, start);
    }
    if (inInterp) this.#fail("unterminated string interpolation: missing '}'", this.#stop);
    return out;
  }

  #number(push: (k: TokenKind, v: string, b: number, e?: Partial<Token>) => void, start: number): void {
    const src = this.#src;
    let p = start;
    if (src[p] === '0' && (src[p + 1] === 'x' || src[p + 1] === 'X' || src[p + 1] === 'b' || src[p + 1] === 'B' || src[p + 1] === 'o')) {
      const base = src[p + 1]!.toLowerCase();
      p += 2;
      const re = base === 'x' ? /[0-9a-fA-F_]/ : base === 'b' ? /[01_]/ : /[0-7_]/;
      while (p < this.#stop && re.test(src[p]!)) p++;
      this.#pos = p;
      const digits = src.slice(start + 2, p).replace(/_/g, '');
      if (!digits) this.#fail('invalid numeric literal', start);
      push('int', src.slice(start, p), start, { num: parseInt(digits, base === 'x' ? 16 : base === 'b' ? 2 : 8) });
      return;
    }
    while (isDigit(src[p]) || (src[p] === '_' && isDigit(src[p + 1]))) p++;
    let float = false;
    if (src[p] === '.' && isDigit(src[p + 1])) {
      float = true;
      p++;
      while (isDigit(src[p]) || (src[p] === '_' && isDigit(src[p + 1]))) p++;
    }
    if ((src[p] === 'e' || src[p] === 'E') && (isDigit(src[p + 1]) || ((src[p + 1] === '-' || src[p + 1] === '+') && isDigit(src[p + 2])))) {
      float = true;
      p += 2;
      while (isDigit(src[p])) p++;
    }
    if (isIdentChar(src[p])) this.#fail('invalid numeric literal', start);
    this.#pos = p;
    const text = src.slice(start, p).replace(/_/g, '');
    push(float ? 'float' : 'int', text, start, { num: Number(text) });
  }

  #identifier(push: (k: TokenKind, v: string, b: number, e?: Partial<Token>) => void, start: number, prev: Token | undefined): void {
    const src = this.#src;
    let p = start;
    while (isIdentChar(src[p])) p++;
    const afterDot = prev?.kind === 'op' && (prev.value === '.' || prev.value === '&.');
    const first = src[start]!;
    const isConst = first >= 'A' && first <= 'Z';
    if (!isConst && (src[p] === '?' || src[p] === '!') && src[p + 1] !== '=' ) p++;
    else if (!isConst && (src[p] === '?' || src[p] === '!') && src[p + 1] === '=' && src[p + 2] === '=') p++;
    const word = src.slice(start, p);
    // `name:` label (hash key / keyword argument), not `name::` and not the `:` of a ternary.
    if (src[p] === ':' && src[p + 1] !== ':' && this.#ternary === 0 && !afterDot && !word.endsWith('?') ) {
      this.#pos = p + 1;
      push('label', word, start);
      return;
    }
    this.#pos = p;
    if (afterDot) push('ident', word, start);
    else if (word === 'defined' && src[p] === '?') {
      this.#pos = p + 1;
      push('kw', 'defined?', start);
    } else if (KEYWORDS.has(word)) push('kw', word, start);
    else push(isConst ? 'const' : 'ident', word, start);
  }

  #symbol(push: (k: TokenKind, v: string, b: number, e?: Partial<Token>) => void, start: number): void {
    const src = this.#src;
    const q = src[start + 1];
    if (q === '"') {
      this.#pos = start + 2;
      const parts = this.#dquoted('"', '', start);
      if (parts.every((x) => typeof x === 'string')) push('sym', parts.join(''), start);
      else push('dsym', '', start, { parts });
      return;
    }
    if (q === "'") {
      this.#pos = start + 2;
      push('sym', this.#squoted("'", ''), start);
      return;
    }
    let p = start + 1;
    while (isIdentChar(src[p])) p++;
    if (src[p] === '?' || src[p] === '!' || (src[p] === '=' && src[p + 1] !== '>' && src[p + 1] !== '=')) p++;
    this.#pos = p;
    push('sym', src.slice(start + 1, p), start);
  }

  #pushString(push: (k: TokenKind, v: string, b: number, e?: Partial<Token>) => void, parts: StringPart[], start: number, _sym: boolean): void {
    if (parts.every((x) => typeof x === 'string')) push('str', parts.join(''), start);
    else push('dstr', '', start, { parts });
  }

  /** `%w[] %i[] %q() %Q() %()`; returns false when `%` is the modulo operator here. */
  #percentLiteral(push: (k: TokenKind, v: string, b: number, e?: Partial<Token>) => void, start: number): boolean {
    const src = this.#src;
    let type = src[start + 1];
    let open: string | undefined;
    let p: number;
    if (type !== undefined && /[a-zA-Z]/.test(type)) {
      open = src[start + 2];
      p = start + 3;
    } else {
      open = type;
      type = 'Q';
      p = start + 2;
    }
    if (open === undefined || /[a-zA-Z0-9\s]/.test(open)) return false;
    if (type === 'x') this.#fail('command execution (%x) is not allowed in templates', start);
    const close = PAIRS[open] ?? open;
    this.#pos = p;
    if (type === 'r') {
      this.#regex(push, start, close, PAIRS[open] ? open : '', p);
      return true;
    }
    if (type === 'w' || type === 'W' || type === 'i' || type === 'I') {
      const body = this.#squoted(close, PAIRS[open] ? open : '', true);
      const words = body.split(/\s+/).filter((w) => w.length > 0);
      push('words', '', start, { words, symbols: type === 'i' || type === 'I' });
      return true;
    }
    if (type === 'q') {
      push('str', this.#squoted(close, PAIRS[open] ? open : ''), start);
      return true;
    }
    if (type === 'Q') {
      const parts = this.#dquoted(close, PAIRS[open] ? open : '', start);
      this.#pushString(push, parts, start, false);
      return true;
    }
    this.#fail(`unsupported percent literal '%${type}'`, start);
  }

  /** Single-quoted body: only `\\` and `\<close>` are escapes. Nesting for paired delimiters. */
  #squoted(close: string, open: string, keepEscapes = false): string {
    const src = this.#src;
    const begin = this.#pos;
    let out = '';
    let nest = 0;
    while (this.#pos < this.#stop) {
      const c = src[this.#pos]!;
      if (c === '\\' && (src[this.#pos + 1] === close || src[this.#pos + 1] === '\\' || (open && src[this.#pos + 1] === open))) {
        out += keepEscapes && src[this.#pos + 1] === '\\' ? '\\' : src[this.#pos + 1];
        this.#pos += 2;
        continue;
      }
      if (open && c === open) nest++;
      else if (c === close) {
        if (nest === 0) {
          this.#pos++;
          return out;
        }
        nest--;
      }
      out += c;
      this.#pos++;
    }
    this.#fail('unterminated string literal', begin - 1);
  }

  /** At a `#`: the part of a `#{…}` or `#@ivar` interpolation (pos moves past it), else null. */
  #interpolation(): StringPart | null {
    const src = this.#src;
    const ib = this.#pos;
    if (src[ib + 1] === '{') {
      this.#pos += 2;
      const saved = this.#ternary;
      this.#ternary = 0;
      if (++this.#interpDepth > 50) this.#fail('string interpolation nested too deeply', ib);
      const tokens = this.#lex(true);
      this.#interpDepth--;
      this.#ternary = saved;
      return { tokens, begin: ib, end: this.#pos };
    }
    if (src[ib + 1] === '@' && isIdentStart(src[ib + 2])) {
      let p = ib + 2;
      while (isIdentChar(src[p])) p++;
      const tok: Token = { kind: 'ivar', value: src.slice(ib + 2, p), begin: ib + 1, end: p, spaceBefore: false };
      this.#pos = p;
      return { tokens: [tok], begin: ib, end: p };
    }
    return null;
  }

  /**
   * Regex literal body (pos after the opening delimiter): the source is kept raw, escapes
   * included, as Ruby's `Regexp#source`; `#{}` interpolates. Then the option letters.
   */
  #regex(push: (k: TokenKind, v: string, b: number, e?: Partial<Token>) => void, start: number, close: string, open: string, bodyBegin: number): void {
    const src = this.#src;
    const parts: StringPart[] = [];
    let cur = '';
    let nest = 0;
    for (;;) {
      if (this.#pos >= this.#stop) this.#fail('unterminated regular expression', start);
      const c = src[this.#pos]!;
      if (c === '\\') {
        if (this.#pos + 1 >= this.#stop) this.#fail('unterminated regular expression', start);
        const n = src[this.#pos + 1]!;
        // `\/` in `/…/` is just a slash (Ruby keeps `\/` in the source either way).
        cur += c + n;
        this.#pos += 2;
        continue;
      }
      if (c === '#') {
        const part = this.#interpolation();
        if (part) {
          if (cur) parts.push(cur);
          cur = '';
          parts.push(part);
          continue;
        }
      }
      if (open && c === open) nest++;
      else if (c === close) {
        if (nest === 0) {
          this.#pos++;
          break;
        }
        nest--;
      }
      cur += c;
      this.#pos++;
    }
    if (cur || parts.length === 0) parts.push(cur);
    let flags = '';
    while (this.#pos < this.#stop && /[a-z]/.test(src[this.#pos]!)) {
      const f = src[this.#pos]!;
      if (!'imxo'.includes(f)) this.#fail(`unknown regular expression option '${f}' (supported: i, m, x)`, this.#pos);
      flags += f;
      this.#pos++;
    }
    push('regex', flags, start, { parts, bodyBegin });
  }

  /** Called after consuming the newline at `nl`: skip heredoc bodies read on that line. */
  #afterNewline(nl: number): void {
    const skip = this.#heredocSkip;
    if (skip && skip.lineEnd === nl) {
      this.#pos = skip.resume;
      this.#heredocSkip = null;
    }
  }

  /**
   * `<<~ID`, `<<-ID`, `<<ID` (quoted `'ID'` without interpolation, `"ID"` with). The body starts on
   * the line after the opener (after the bodies of earlier heredocs on that line) and is read now;
   * lexing goes on after the opener and jumps over the bodies at the end of the line.
   */
  #heredoc(push: (k: TokenKind, v: string, b: number, e?: Partial<Token>) => void, start: number): void {
    const src = this.#src;
    let p = start + 2;
    const mode = src[p] === '~' || src[p] === '-' ? src[p++]! : '';
    let id: string;
    let interp = true;
    const q = src[p];
    if (q === "'" || q === '"') {
      const endQ = src.indexOf(q, p + 1);
      const nl = src.indexOf('\n', p + 1);
      if (endQ < 0 || endQ >= this.#stop || (nl >= 0 && nl < endQ)) this.#fail('unterminated here document identifier', start);
      id = src.slice(p + 1, endQ);
      interp = q === '"';
      p = endQ + 1;
    } else {
      const b = p;
      while (isIdentChar(src[p])) p++;
      id = src.slice(b, p);
    }
    const openerEnd = p;
    const lineEnd = src.indexOf('\n', openerEnd);
    if (lineEnd < 0 || lineEnd >= this.#stop) this.#fail(`unterminated heredoc: no line after '<<${mode}${q === "'" || q === '"' ? q + id + q : id}'`, start);
    const bodyStart = this.#heredocSkip?.lineEnd === lineEnd ? this.#heredocSkip.resume : lineEnd + 1;
    let ls = bodyStart;
    let termStart = -1;
    let resume = this.#stop;
    while (ls < this.#stop) {
      let le = src.indexOf('\n', ls);
      if (le < 0 || le > this.#stop) le = this.#stop;
      const line = src.slice(ls, le).replace(/[ \t\r]+$/, '');
      if ((mode ? line.replace(/^[ \t]+/, '') : line) === id) {
        termStart = ls;
        resume = Math.min(le + 1, this.#stop);
        break;
      }
      ls = le + 1;
    }
    if (termStart < 0) this.#fail(`unterminated heredoc: can't find '${id}' before the end of the tag`, start);
    const indent = mode === '~' ? heredocIndent(src, bodyStart, termStart) : 0;
    const parts: StringPart[] = [];
    const savedStop = this.#stop;
    let lineStart = bodyStart;
    while (lineStart < termStart) {
      // Line by line for `<<~` (to drop the indentation), all at once otherwise.
      let le = indent > 0 ? src.indexOf('\n', lineStart) + 1 : termStart;
      if (le <= 0 || le > termStart) le = termStart;
      const from = indent > 0 ? skipIndent(src, lineStart, le, indent) : lineStart;
      if (interp) {
        this.#stop = le;
        this.#pos = from;
        for (const part of this.#dquoted('', '', from)) {
          const last = parts[parts.length - 1];
          if (typeof part === 'string' && typeof last === 'string') parts[parts.length - 1] = last + part;
          else if (part !== '') parts.push(part);
        }
        this.#stop = savedStop;
      } else {
        const last = parts[parts.length - 1];
        const text = src.slice(from, le);
        if (typeof last === 'string') parts[parts.length - 1] = last + text;
        else parts.push(text);
      }
      lineStart = le;
    }
    this.#stop = savedStop;
    this.#pos = openerEnd;
    this.#heredocSkip = { lineEnd, resume };
    if (parts.every((x) => typeof x === 'string')) push('str', parts.join(''), start);
    else push('dstr', '', start, { parts });
  }

  /** Double-quoted body with escapes and `#{}` interpolation; `close === ''` reads up to the stop offset. */
  #dquoted(close: string, open: string, begin: number): StringPart[] {
    const src = this.#src;
    const parts: StringPart[] = [];
    let cur = '';
    let nest = 0;
    while (this.#pos < this.#stop) {
      const c = src[this.#pos]!;
      if (c === '\\') {
        cur += this.#escape();
        continue;
      }
      if (c === '#') {
        const part = this.#interpolation();
        if (part) {
          if (cur) parts.push(cur);
          cur = '';
          parts.push(part);
          continue;
        }
      }
      if (open && c === open) nest++;
      else if (c === close) {
        if (nest === 0) {
          this.#pos++;
          if (cur || parts.length === 0) parts.push(cur);
          return parts;
        }
        nest--;
      }
      cur += c;
      this.#pos++;
    }
    if (close === '') {
      if (cur || parts.length === 0) parts.push(cur);
      return parts;
    }
    this.#fail('unterminated string literal', begin);
  }

  #escape(): string {
    const src = this.#src;
    const c = src[this.#pos + 1];
    this.#pos += 2;
    switch (c) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': return '\0';
      case 's': return ' ';
      case 'e': return '\x1b';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case '\n': return '';
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(this.#pos, this.#pos + 2));
        if (!m) this.#fail('invalid hex escape', this.#pos - 2);
        this.#pos += m[0].length;
        return String.fromCharCode(parseInt(m[0], 16));
      }
      case 'u': {
        if (src[this.#pos] === '{') {
          const endBrace = src.indexOf('}', this.#pos);
          if (endBrace < 0 || endBrace > this.#stop) this.#fail('invalid unicode escape', this.#pos - 2);
          const cps = src.slice(this.#pos + 1, endBrace).trim().split(/\s+/);
          this.#pos = endBrace + 1;
          let s = '';
          for (const cp of cps) {
            const n = parseInt(cp, 16);
            if (!/^[0-9a-fA-F]{1,6}$/.test(cp) || n > 0x10ffff) this.#fail('invalid unicode escape', this.#pos);
            s += String.fromCodePoint(n);
          }
          return s;
        }
        const m = /^[0-9a-fA-F]{4}/.exec(src.slice(this.#pos, this.#pos + 4));
        if (!m) this.#fail('invalid unicode escape', this.#pos - 2);
        this.#pos += 4;
        return String.fromCharCode(parseInt(m[0], 16));
      }
      case undefined:
        return this.#fail('unterminated string literal', this.#pos - 2);
      default:
        if (c >= '1' && c <= '7') {
          const m = /^[0-7]{1,3}/.exec(src.slice(this.#pos - 1, this.#pos + 2))!;
          this.#pos += m[0].length - 1;
          return String.fromCharCode(parseInt(m[0], 8) & 0xff);
        }
        return c;
    }
  }
}

/** Width of the smallest indentation of the non-blank lines in `[from, to)` (tabs to multiples of 8). */
function heredocIndent(src: string, from: number, to: number): number {
  let min = Infinity;
  let p = from;
  while (p < to) {
    let w = 0;
    let q = p;
    while (q < to && (src[q] === ' ' || src[q] === '\t')) {
      w = src[q] === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
      q++;
    }
    if (q < to && src[q] !== '\n' && !(src[q] === '\r' && src[q + 1] === '\n')) min = Math.min(min, w);
    const nl = src.indexOf('\n', q);
    p = nl < 0 || nl >= to ? to : nl + 1;
  }
  return min === Infinity ? 0 : min;
}

/** Offset after removing up to `width` columns of leading blanks from the line at `from`. */
function skipIndent(src: string, from: number, to: number, width: number): number {
  let w = 0;
  let p = from;
  while (p < to && (src[p] === ' ' || src[p] === '\t')) {
    const nw = src[p] === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
    if (nw > width) break;
    w = nw;
    p++;
  }
  return p;
}
