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
    for (const bad of ['`ls`', '%x(ls)', '$0', '@@x', '/re/', '"unterminated', '<<~EOS', '"#{x"']) {
      expect(() => lex(bad), bad).toThrow(ErbSyntaxError);
    }
  });
});
