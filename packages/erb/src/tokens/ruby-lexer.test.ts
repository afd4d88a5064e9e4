import { describe, expect, it } from 'vitest';
import { ErbSyntaxError } from '../errors.ts';
import { RubyLexer } from './ruby-lexer.ts';
import { SourceFile } from './source-file.ts';
import type { Token } from './token.ts';

const lex = (s: string): Token[] => new RubyLexer(new SourceFile('t', s), 0, s.length).lexAll();
const kinds = (s: string): string[] => lex(s).map((t) => `${t.kind}:${t.value}`);

describe('RubyLexer', () => {
  it('lexes identifiers, predicates, ivars, constants, keywords', () => {
    expect(kinds('x.empty? @host Foo if end host_param!(1)')).toEqual([
      'ident:x', 'op:.', 'ident:empty?', 'ivar:host', 'const:Foo', 'kw:if', 'kw:end', 'ident:host_param!', 'op:(', 'int:1', 'op:)',
    ]);
    expect(kinds('a != b')).toEqual(['ident:a', 'op:!=', 'ident:b']);
  });
  it('lexes strings with escapes and interpolation', () => {
    const [s] = lex(String.raw`"a\tb\n\u00e9\x41 #{x + 1} z"`);
    expect(s?.kind).toBe('dstr');
    expect(s?.parts?.[0]).toBe('a\tb\né\x41 '.replace('\\x41', 'A'));
    expect(lex(String.raw`'it\'s \n'`)[0]?.value).toBe("it's \\n");
    expect(lex('%q(a (b) c)')[0]?.value).toBe('a (b) c');
    expect(lex('%w[a b  c]')[0]?.words).toEqual(['a', 'b', 'c']);
    expect(lex('%i[a b]')[0]?.symbols).toBe(true);
  });
  it('tells symbols, labels and ternaries apart', () => {
    expect(kinds('f :a, b: 1')).toEqual(['ident:f', 'sym:a', 'op:,', 'label:b', 'int:1']);
    expect(kinds('x ? y : z')).toEqual(['ident:x', 'op:?', 'ident:y', 'op::', 'ident:z']);
    expect(kinds('c ? a: b')).toEqual(['ident:c', 'op:?', 'ident:a', 'op::', 'ident:b']);
    expect(kinds('{ "k" => :"v w" }')[3]).toBe('sym:v w');
    expect(kinds('inject(:+)')).toEqual(['ident:inject', 'op:(', 'sym:+', 'op:)']);
  });
  it('lexes numbers', () => {
    expect(lex('1_000 3.5 1e3 0x1f 1..2').map((t) => t.num ?? t.value)).toEqual([1000, 3.5, 1000, 31, 1, '..', 2]);
  });
  it('keeps offsets and spacing', () => {
    const t = lex('  foo -1');
    expect(t[0]).toMatchObject({ begin: 2, end: 5, spaceBefore: true });
    expect(t[1]).toMatchObject({ value: '-', spaceBefore: true });
    expect(t[2]).toMatchObject({ kind: 'int', spaceBefore: false });
  });
  it('newlines and semicolons separate statements; comments are skipped', () => {
    expect(kinds('a # c\nb; c')).toEqual(['ident:a', 'nl:\n', 'ident:b', 'nl:;', 'ident:c']);
  });
  it('rejects forbidden or unsupported constructs', () => {
    for (const bad of ['`ls`', '%x(ls)', '$0', '@@x', '/re', '/re/q', '%r{a', '"unterminated', '<<~EOS', '<<~EOS\n  x\n', '"#{x"']) {
      expect(() => lex(bad), bad).toThrow(ErbSyntaxError);
    }
  });
  it('points match globals to MatchData', () => {
    expect(() => lex('$1')).toThrow(/match globals \(\$1\) are not supported in templates: use m = str.match\(re\) and m\[1\]/);
    expect(() => lex('$~')).toThrow(/match globals/);
  });
  it('tells regex literals from division the way Ruby does', () => {
    expect(kinds('a / 2 / b')).toEqual(['ident:a', 'op:/', 'int:2', 'op:/', 'ident:b']);
    expect(kinds('x/2')).toEqual(['ident:x', 'op:/', 'int:2']);
    expect(kinds('(a) / b')[3]).toBe('op:/');
    expect(kinds('x /= 2')).toEqual(['ident:x', 'op:/=', 'int:2']);
    expect(kinds('s =~ /a b/i')).toEqual(['ident:s', 'op:=~', 'regex:i']);
    expect(kinds('s.split /,/')).toEqual(['ident:s', 'op:.', 'ident:split', 'regex:']);
    expect(kinds('when /x/ then')).toEqual(['kw:when', 'regex:', 'kw:then']);
    expect(kinds('f(/x/, /y/m)')).toEqual(['ident:f', 'op:(', 'regex:', 'op:,', 'regex:m', 'op:)']);
    expect(kinds('[/x/]')[1]).toBe('regex:');
  });
  it('keeps a regex source raw and lexes its interpolations', () => {
    const [re] = lex(String.raw`/a\/b\d+#{x}c/ix`);
    expect(re).toMatchObject({ kind: 'regex', value: 'ix', bodyBegin: 1 });
    expect(re?.parts?.[0]).toBe(String.raw`a\/b\d+`);
    expect(typeof re?.parts?.[1]).toBe('object');
    expect(re?.parts?.[2]).toBe('c');
    expect(lex('%r{^/etc/(a{2})}')[0]).toMatchObject({ kind: 'regex', parts: ['^/etc/(a{2})'], bodyBegin: 3 });
    expect(lex('%r!a!i')[0]).toMatchObject({ kind: 'regex', value: 'i', parts: ['a'] });
  });
  it('lexes heredocs: bodies on the following lines, several per line, methods on the opener', () => {
    expect(kinds('x = <<~EOS\n    a\n      b\n    EOS\ny')).toEqual(['ident:x', 'op:=', 'str:a\n  b\n', 'nl:\n', 'ident:y']);
    expect(kinds('f(<<-A, <<B).strip\n  one\n  A\ntwo\nB\nz')).toEqual([
      'ident:f', 'op:(', 'str:  one\n', 'op:,', 'str:two\n', 'op:)', 'op:.', 'ident:strip', 'nl:\n', 'ident:z',
    ]);
    expect(kinds("<<~'EOS'\n  a #{b} \\t\n  EOS\n")[0]).toBe('str:a #{b} \\t\n');
    const [d] = lex('<<~"EOS"\n    x #{y}\n      z\\t\n    EOS\n');
    expect(d?.kind).toBe('dstr');
    expect(d?.parts?.[0]).toBe('x ');
    expect(d?.parts?.[2]).toBe('\n  z\t\n');
    // A plain <<ID needs its terminator at column 0.
    expect(() => lex('<<EOS\n  EOS\n')).toThrow(/unterminated heredoc/);
    expect(kinds('<<EOS\n  a\nEOS\n')[0]).toBe('str:  a\n');
    // Blank lines do not count for the indentation of <<~; tabs count to the next multiple of 8.
    expect(kinds('<<~E\n    a\n\n      b\n  E\n')[0]).toBe('str:a\n\n  b\n');
    expect(kinds('<<~E\n\ta\n        b\nE\n')[0]).toBe('str:a\nb\n');
  });
});
