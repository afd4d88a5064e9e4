/**
 * @module
 * Tokenizer for the scoped_search query language (gem 4.3), character for character:
 * operator characters `& | = < > ^ ! ~ -` start an operator token (two characters when the pair is
 * an operator), `"…"` is a quoted value with `\` escapes, and anything else is a bare word that
 * runs until whitespace or one of `= ~ < > & | ( ) ,` (so `web-01`, `a.b*` and `set?` are single
 * words, while `-name` and `!name` start with a NOT operator).
 */
import { SearchSyntaxError } from '../errors/search-errors.ts';
import type { SymbolName, Token } from './token.ts';

/** Keywords (case-insensitive) and the symbol each one stands for. */
const KEYWORDS: Readonly<Record<string, SymbolName>> = {
  and: 'and', or: 'or', not: 'not', 'set?': 'set', has: 'set', 'null?': 'null',
  before: '<', after: '>', at: '=',
};

/** Operator spellings and their canonical symbol. */
const OPERATORS: Readonly<Record<string, SymbolName>> = {
  '&': 'and', '&&': 'and', '|': 'or', '||': 'or', '-': 'not', '!': 'not',
  '~': '~', '!~': '!~', '=': '=', '==': '=', '!=': '!=', '<>': '!=',
  '>': '>', '<': '<', '>=': '>=', '<=': '<=', '^': '^', '!^': '!^',
};

const OPERATOR_START = new Set(['&', '|', '=', '<', '>', '^', '!', '~', '-']);
const WORD_END = new Set(['=', '~', '<', '>', '&', '|', '(', ')', ',']);

/** Options of {@link tokenize}. */
export interface TokenizeOptions {
  /**
   * Accept an unterminated quoted string (the value then runs to the end of the text), as
   * scoped_search does. Autocompletion uses this for partial queries. (Default: false, which
   * throws a {@link SearchSyntaxError}.)
   */
  readonly lenient?: boolean;
}

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/**
 * Splits a query into tokens.
 * @throws {@link SearchSyntaxError} for an unterminated quoted string (unless `lenient`).
 */
export function tokenize(input: string, options: TokenizeOptions = {}): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const ch = input[i]!;
    if (isSpace(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      const symbol: SymbolName = ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma';
      tokens.push({ type: 'symbol', symbol, raw: ch, begin: i, end: i + 1 });
      i++;
    } else if (OPERATOR_START.has(ch)) {
      const pair = input.slice(i, i + 2);
      const raw = pair.length === 2 && OPERATORS[pair] !== undefined ? pair : ch;
      tokens.push({ type: 'symbol', symbol: OPERATORS[raw]!, raw, begin: i, end: i + raw.length });
      i += raw.length;
    } else if (ch === '"') {
      const begin = i;
      let text = '';
      i++;
      let closed = false;
      while (i < n) {
        const c = input[i]!;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < n) {
          text += input[i + 1]!;
          i += 2;
        } else {
          text += c;
          i++;
        }
      }
      if (!closed && options.lenient !== true) {
        throw new SearchSyntaxError('Unterminated quoted string: missing closing \'"\'', { begin, end: n }, { query: input });
      }
      tokens.push({ type: 'value', text, quoted: true, begin, end: i });
    } else {
      const begin = i;
      i++;
      while (i < n && !isSpace(input[i]!) && !WORD_END.has(input[i]!)) i++;
      const word = input.slice(begin, i);
      const keyword = KEYWORDS[word.toLowerCase()];
      if (keyword !== undefined && Object.hasOwn(KEYWORDS, word.toLowerCase())) {
        tokens.push({ type: 'symbol', symbol: keyword, raw: word, begin, end: i });
      } else {
        tokens.push({ type: 'value', text: word, quoted: false, begin, end: i });
      }
    }
  }
  return tokens;
}
