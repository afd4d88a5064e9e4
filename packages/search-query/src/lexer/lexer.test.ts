import { describe, expect, it } from 'vitest';

import { SearchSyntaxError } from '../errors/search-errors.ts';
import { tokenize } from './lexer.ts';

const brief = (input: string): string[] =>
  tokenize(input).map((t) => (t.type === 'value' ? `v:${t.text}${t.quoted ? '(q)' : ''}` : `s:${t.symbol}`));

describe('tokenize', () => {
  it('splits comparisons and keeps positions', () => {
    const tokens = tokenize('name ~ rex01');
    expect(tokens).toEqual([
      { type: 'value', text: 'name', quoted: false, begin: 0, end: 4 },
      { type: 'symbol', symbol: '~', raw: '~', begin: 5, end: 6 },
      { type: 'value', text: 'rex01', quoted: false, begin: 7, end: 12 },
    ]);
  });

  it('knows every operator spelling', () => {
    expect(brief('= == != <> ~ !~ > < >= <= ^ !^ & && | || ! -')).toEqual([
      's:=', 's:=', 's:!=', 's:!=', 's:~', 's:!~', 's:>', 's:<', 's:>=', 's:<=', 's:^', 's:!^',
      's:and', 's:and', 's:or', 's:or', 's:not', 's:not',
    ]);
  });

  it('knows the keywords case-insensitively, but not inside quotes', () => {
    expect(brief('AND or Not set? HAS null? before after at "and"')).toEqual([
      's:and', 's:or', 's:not', 's:set', 's:set', 's:null', 's:<', 's:>', 's:=', 'v:and(q)',
    ]);
  });

  it('ends bare words only at whitespace and = ~ < > & | ( ) ,', () => {
    expect(brief('web-01 a.b* name=foo x!y a^b (c,d)')).toEqual([
      'v:web-01', 'v:a.b*', 'v:name', 's:=', 'v:foo', 'v:x!y', 'v:a^b', 's:lparen', 'v:c', 's:comma', 'v:d', 's:rparen',
    ]);
  });

  it('treats - and ! at the start of a word as NOT', () => {
    expect(brief('-name !name')).toEqual(['s:not', 'v:name', 's:not', 'v:name']);
  });

  it('resolves backslash escapes in quoted strings', () => {
    const [t] = tokenize('"a \\"b\\" \\\\ c"');
    expect(t).toEqual({ type: 'value', text: 'a "b" \\ c', quoted: true, begin: 0, end: 14 });
  });

  it('does not treat prototype names as keywords', () => {
    expect(brief('constructor __proto__ toString')).toEqual(['v:constructor', 'v:__proto__', 'v:toString']);
  });

  it('reports an unterminated string with its position, or accepts it when lenient', () => {
    expect(() => tokenize('name = "abc')).toThrow(SearchSyntaxError);
    try {
      tokenize('name = "abc');
    } catch (e: unknown) {
      expect((e as SearchSyntaxError).position).toEqual({ begin: 7, end: 11 });
    }
    expect(tokenize('name = "abc', { lenient: true }).at(-1)).toMatchObject({ text: 'abc', quoted: true });
  });
});

/** The examples of scoped_search's tokenizer_spec.rb (`v:` values, `s:` symbols). */
describe('scoped_search tokenizer_spec compatibility', () => {
  const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['some simple keywords', ['v:some', 'v:simple', 'v:keywords']],
    ['  with\twhitespace   \n', ['v:with', 'v:whitespace']],
    ['"quoted string"', ['v:quoted string(q)']],
    ['"quoted \\"string"', ['v:quoted "string(q)']],
    ['"quoted \\\\string"', ['v:quoted \\string(q)']],
    ['"quoted string"   "another"  ', ['v:quoted string(q)', 'v:another(q)']],
    ['"quoted string""another"', ['v:quoted string(q)', 'v:another(q)']],
    ['"quoted string" another', ['v:quoted string(q)', 'v:another']],
    ['"quoted string"another', ['v:quoted string(q)', 'v:another']],
    ['a"b', ['v:a"b']],
    ['a | -("b""c") & d', ['v:a', 's:or', 's:not', 's:lparen', 'v:b(q)', 'v:c(q)', 's:rparen', 's:and', 'v:d']],
    ['set? a null? b', ['s:set', 'v:a', 's:null', 'v:b']],
    ['a || b', ['v:a', 's:or', 'v:b']],
    ['a | | b', ['v:a', 's:or', 's:or', 'v:b']],
    ['a and b', ['v:a', 's:and', 'v:b']],
    ['a AnD b', ['v:a', 's:and', 'v:b']],
    ['a "and" b', ['v:a', 'v:and(q)', 'v:b']],
    ['a-b', ['v:a-b']],
    ['a&b', ['v:a', 's:and', 'v:b']],
    ['a||b', ['v:a', 's:or', 'v:b']],
    ['a=b', ['v:a', 's:=', 'v:b']],
    ['"a=b"', ['v:a=b(q)']],
  ];

  it.each(cases)('%s', (query, expected) => {
    expect(brief(query)).toEqual(expected);
  });

  it('differs on purpose: an unterminated quote is an error unless lenient', () => {
    expect(() => tokenize('"quoted string')).toThrow(SearchSyntaxError);
    expect(brief2('"quoted string')).toEqual(['v:quoted string(q)']);
  });
});

function brief2(input: string): string[] {
  return tokenize(input, { lenient: true }).map((t) => (t.type === 'value' ? `v:${t.text}${t.quoted ? '(q)' : ''}` : `s:${t.symbol}`));
}
