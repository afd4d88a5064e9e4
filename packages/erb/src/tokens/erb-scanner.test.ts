import { describe, expect, it } from 'vitest';
import { ErbSyntaxError } from '../errors.ts';
import { scanErb } from './erb-scanner.ts';
import { SourceFile } from './source-file.ts';

const scan = (s: string): [string, string][] => scanErb(new SourceFile('t', s)).map((x) => [x.kind, x.content]);

describe('scanErb (trim_mode "-")', () => {
  it('splits text, code, output and comments', () => {
    expect(scan('a<% x %>b<%= y %>c<%# z %>d')).toEqual([
      ['text', 'a'], ['code', ' x '], ['text', 'b'], ['output', ' y '], ['text', 'c'], ['comment', ' z '], ['text', 'd'],
    ]);
  });
  it('-%> drops the newline right after the tag only', () => {
    expect(scan('<% x -%>\nA\n<% y %>\nB')).toEqual([['code', ' x '], ['text', 'A\n'], ['code', ' y '], ['text', '\nB']]);
    expect(scan('<% x -%>  \nA')).toEqual([['code', ' x '], ['text', '  \nA']]);
  });
  it('<%- drops the indentation before a tag at the start of a line', () => {
    expect(scan('A\n   <%- x %>B')).toEqual([['text', 'A\n'], ['code', ' x '], ['text', 'B']]);
    expect(scan('A  <%- x %>')).toEqual([['text', 'A  '], ['code', ' x ']]);
    expect(scan('  <% x %>')).toEqual([['text', '  '], ['code', ' x ']]);
  });
  it('<%% and %%> are literals', () => {
    expect(scan('a <%% b %> c')).toEqual([['text', 'a <% b %> c']]);
    expect(scan('<%= "%%>" %>')).toEqual([['output', ' "%>" ']]);
  });
  it('reports an unterminated tag at its opening', () => {
    try {
      scan('line\n  <%= x');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ErbSyntaxError);
      expect((e as ErbSyntaxError).line).toBe(2);
      expect((e as ErbSyntaxError).col).toBe(3);
      expect((e as ErbSyntaxError).message).toContain(">> 2|   <%= x\n");
    }
  });
});
