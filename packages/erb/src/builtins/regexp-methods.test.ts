import { describe, expect, it } from 'vitest';
import { ErbRenderError, ErbSyntaxError } from '../errors.ts';
import { parseTemplate } from '../render/template.ts';

const r = (src: string): string => parseTemplate(`<%= ${src} %>`, { name: 't' }).render({});
const t = (src: string): string => parseTemplate(src, { name: 't' }).render({});

describe('Regexp values', () => {
  it.each([
    ['/a+b/i.source', 'a+b'],
    ['/a+b/i.to_s', '(?i-mx:a+b)'],
    ['/a\\/b/.inspect', '/a\\/b/'],
    ['%r{/etc/(\\w+)}x.inspect', '/\\/etc\\/(\\w+)/x'],
    ['/a/mix.inspect', '/a/mix'],
    ['/x/.class', 'Regexp'],
    ['/x/.is_a?(Regexp)', 'true'],
    ['/x/ == /x/', 'true'],
    ['/x/ == /x/i', 'false'],
    ['/x/i.casefold?', 'true'],
    ['/(?<a>.)(?<b>.)/.names.inspect', '["a", "b"]'],
    ['[/a/, /b/].inspect', '[/a/, /b/]'],
    ['Regexp.escape("a.b*c?(d) e\\n")', 'a\\.b\\*c\\?\\(d\\)\\ e\\n'],
    ['Regexp.quote("1+1")', '1\\+1'],
    ['Regexp.new("a.c").match?("abc")', 'true'],
    ['Regexp.new("A", "i") =~ "xa"', '1'],
    ['Regexp.new("A", true).source', 'A'],
    ['Regexp.union("a.b", /c+/).source', 'a\\.b|(?-mix:c+)'],
    ['Regexp.union(%w[x y]).match?("y")', 'true'],
    ['/a/.frozen?', 'true'],
    ['[/a/i, /b/].include?(/a/i)', 'true'],
    ['{ /a/ => 1 }.key?(/a/)', 'true'],
    ['[/a/, /a/, /a/i, /a\\/b/, %r{a/b}].uniq.size', '4'],
  ])('%s → %s', (src, out) => {
    expect(r(src)).toBe(out);
  });
  it('interpolates into a pattern (strings as is, regexps through to_s)', () => {
    expect(t('<% v = "x.y" %><%= "axzyb" =~ /#{v}/ %>|<%= "axzyb" =~ /#{Regexp.escape(v)}/ %>|<%= "ax.yb" =~ /#{Regexp.escape(v)}/ %>')).toBe('1||1');
    expect(t('<% inner = /b+/i %><%= "aBBc"[/a#{inner}c/] %>|<%= "ABBC"[/a#{inner}c/] %>')).toBe('aBBc|');
  });
});

describe('matching operators and MatchData', () => {
  it.each([
    ['"foo123" =~ /\\d+/', '3'],
    ['("foo" =~ /\\d/).inspect', 'nil'],
    ['/o+/ =~ "foo"', '1'],
    ['"foo" !~ /z/', 'true'],
    ['/z/ !~ "foo"', 'true'],
    ['(nil =~ /a/).inspect', 'nil'],
    ['(/a/ =~ nil).inspect', 'nil'],
    ['/a/ === "cat"', 'true'],
    ['/a/ === :cat', 'true'],
    ['/a/ === 1', 'false'],
    ['"abc".match?(/B/i)', 'true'],
    ['"abc".match?("b.")', 'true'],
    ['"abc".match?(/a/, 1)', 'false'],
    ['"abc".match(/(?<x>b)(c)/)[0]', 'bc'],
    ['"abc".match(/(?<x>b)(c)/).captures.inspect', '["b"]'],
    ['"abc".match(/(b)(c)/).captures.inspect', '["b", "c"]'],
    ['"abc".match(/(b)(x)?/).to_a.inspect', '["b", "b", nil]'],
    ['"abc".match(/(b)(c)/)[-1]', 'c'],
    ['"abc".match(/(b)(c)/)[5].inspect', 'nil'],
    ['"key=val".match(/(?<k>\\w+)=(?<v>\\w+)/)[:v]', 'val'],
    ['"key=val".match(/(?<k>\\w+)=(?<v>\\w+)/)["k"]', 'key'],
    ['"key=val".match(/(?<k>\\w+)=(?<v>\\w+)/).named_captures.inspect', '{"k"=>"key", "v"=>"val"}'],
    ['"xx-ab-yy".match(/ab/).pre_match', 'xx-'],
    ['"xx-ab-yy".match(/ab/).post_match', '-yy'],
    ['"xx-ab-yy".match(/a(b)/).begin(1)', '4'],
    ['"xx-ab-yy".match(/a(b)/).end(0)', '5'],
    ['"xx-ab-yy".match(/a(b)/).inspect', '#<MatchData "ab" 1:"b">'],
    ['"xx-ab-yy".match(/ab/).to_s', 'ab'],
    ['"xx-ab-yy".match(/zz/).inspect', 'nil'],
    ['("abab".match(/b/, 2)).begin(0)', '3'],
    ['/(\\d+)/.match("a12")[1]', '12'],
    ['/(\\d+)/.match?("a")', 'false'],
    ['/b/.match("abc", 2).inspect', 'nil'],
  ])('%s → %s', (src, out) => {
    expect(r(src)).toBe(out);
  });
  it('case/when with regexps', () => {
    const tpl = '<% %w[rhel9 debian11 suse].each do |os| %><% case os %><% when /^rhel(\\d+)/ %>R<% when /deb/i, /ubuntu/ %>D<% else %>?<% end %><% end %>';
    expect(t(tpl)).toBe('RD?');
  });
  it('a MatchData in a condition and its groups', () => {
    expect(t('<% if (m = "v1.22".match(/v(\\d+)\\.(\\d+)/)) %><%= m[1].to_i + m[2].to_i %><% end %>')).toBe('23');
    expect(t('<%= "release 7.9" =~ /(\\d+)\\.\\d+/ ? "yes" : "no" %>')).toBe('yes');
  });
});

describe('String methods with Regexp arguments', () => {
  it.each([
    ['"hello world".gsub(/o/, "0")', 'hell0 w0rld'],
    ['"hello".sub(/l/, "L")', 'heLlo'],
    ['"hello".gsub(/l(l)/, "<\\\\1\\\\0>")', 'he<lll>o'],
    ['"John Smith".sub(/(?<f>\\w+) (?<l>\\w+)/, "\\\\k<l>, \\\\k<f>")', 'Smith, John'],
    ['"a-b".sub(/-/, "[\\\\`|\\\\\']")', 'a[a|b]b'],
    ['"a.b".gsub(/\\./, "\\\\\\\\")', 'a\\b'],
    ['"abc".gsub(/b/) { |m| m.upcase + "!" }', 'aB!c'],
    ['"abc".gsub(/x*/, "-")', '-a-b-c-'],
    ['"abc".gsub(/b*/, "-")', '-a--c-'],
    ['"cat hat".gsub(/[ch]at/, "cat" => "dog")', 'dog '],
    ['"aaa".sub(/a/, "b")', 'baa'],
    ['"Perl 5 and Ruby 3".gsub(/\\d/) { |d| (d.to_i * 2).to_s }', 'Perl 10 and Ruby 6'],
    ['"1,2;3".split(/[,;]/).inspect', '["1", "2", "3"]'],
    ['"a, b,c".split(/,\\s*/).inspect', '["a", "b", "c"]'],
    ['"abc".split(//).inspect', '["a", "b", "c"]'],
    ['"a1b2c".split(/(\\d)/).inspect', '["a", "1", "b", "2", "c"]'],
    ['" a b ".split(/\\s+/).inspect', '["", "a", "b"]'],
    ['"a,b,,c,,".split(/,/).inspect', '["a", "b", "", "c"]'],
    ['"a,b,,c,,".split(/,/, -1).inspect', '["a", "b", "", "c", "", ""]'],
    ['"a,b,c,d".split(/,/, 2).inspect', '["a", "b,c,d"]'],
    ['"a,b".split(/,*/).inspect', '["a", "b"]'],
    ['"".split(/,/).inspect', '[]'],
    ['"a1b22c333".scan(/\\d+/).inspect', '["1", "22", "333"]'],
    ['"k1=v1,k2=v2".scan(/(\\w+)=(\\w+)/).inspect', '[["k1", "v1"], ["k2", "v2"]]'],
    ['"abc".scan(/x*/).inspect', '["", "", "", ""]'],
    ['"a.b.c".scan(".").size', '2'],
    ['"hello".index(/l+/)', '2'],
    ['"hello".index(/l/, 3)', '3'],
    ['"hello".index(/z/).inspect', 'nil'],
    ['"hello".rindex(/l/)', '3'],
    ['"hello".rindex(/l/, 2)', '2'],
    ['"hello".start_with?(/h.l/)', 'true'],
    ['"hello".start_with?(/el/)', 'false'],
    ['"hello".start_with?("x", /h/)', 'true'],
    ['"hello"[/l+o/]', 'llo'],
    ['"hello"[/(h)(e)/, 2]', 'e'],
    ['"key: v"[/(?<k>\\w+):/, "k"]', 'key'],
    ['"hello".slice(/z/).inspect', 'nil'],
    ['"el7.x86_64"[/el(\\d+)/, 1]', '7'],
  ])('%s → %s', (src, out) => {
    expect(r(src)).toBe(out);
  });
  it('Enumerable#grep / grep_v match with ===', () => {
    expect(r('%w[a1 b2 c3].grep(/[12]/).inspect')).toBe('["a1", "b2"]');
    expect(r('%w[a1 b2 c3].grep_v(/[12]/).inspect')).toBe('["c3"]');
    expect(r('%w[a1 b2].grep(/(\\d)/) { |x| x.upcase }.inspect')).toBe('["A1", "B2"]');
    expect(r('[1, "a", 2.5, :b].grep(Numeric).inspect')).toBe('[1, 2.5]');
    expect(r('[1, 5, 10].grep(2..6).inspect')).toBe('[5]');
    expect(r('{ "eth0" => 1, "lo" => 2 }.keys.grep(/^eth/).inspect')).toBe('["eth0"]');
  });
  it('bang variants rebind a variable', () => {
    expect(t('<% s = "aXbX" %><% s.gsub!(/X/, "-") %><%= s %>|<%= s.sub!(/z/, "") .inspect %>')).toBe('a-b-|nil');
  });
  it('string-argument behaviour is unchanged', () => {
    expect(r('"a.b".gsub(".", "-")')).toBe('a-b');
    expect(r('"a.b".split(".").inspect')).toBe('["a", "b"]');
    expect(r('"a.b".index(".")')).toBe('1');
    expect(r('"aXbX".sub("X", "[\\\\0]")')).toBe('a[X]bX');
  });
});

describe('errors', () => {
  it('unsupported pattern features are syntax errors pointing into the pattern', () => {
    const cases: [string, RegExp, number][] = [
      ['<%= "aa" =~ /(a)\\1/ %>', /backreferences \(\\1\) are not supported in templates/, 17],
      ['<%= "ab" =~ /a(?=b)/ %>', /lookahead/, 15],
      ['<%= "ab" =~ /a(?<!b)/ %>', /lookbehind/, 15],
      ['<%= "ab" =~ %r{a(b} %>', /unmatched parenthesis/, 17],
      ['<%= "ab" =~ /a/q %>', /unknown regular expression option 'q'/, 16],
    ];
    for (const [src, msg, col] of cases) {
      let err: unknown;
      try {
        parseTemplate(src, { name: 't' });
      } catch (e) {
        err = e;
      }
      expect(err, src).toBeInstanceOf(ErbSyntaxError);
      expect((err as ErbSyntaxError).reason).toMatch(msg);
      expect((err as ErbSyntaxError).col, src).toBe(col);
    }
  });
  it('a bad interpolated pattern is a render error at the literal', () => {
    let err: unknown;
    try {
      t('<% x = "(" %>\n<%= "a" =~ /#{x}/ %>');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ErbRenderError);
    expect((err as ErbRenderError).reason).toMatch(/unmatched parenthesis \(at offset 0 of \/\(\/\)/);
    expect((err as ErbRenderError).line).toBe(2);
  });
  it('wrong argument types', () => {
    expect(() => r('"a" =~ "a"')).toThrow(/wrong argument type String \(expected Regexp\)/);
    expect(() => r('"a".gsub(1, "b")')).toThrow(/wrong argument type/);
    expect(() => r('"a".match(/(?<x>a)/)[:y]')).toThrow(/undefined group name reference: y/);
    expect(() => r('"a".match("(")')).toThrow(/unmatched parenthesis/);
  });
});
