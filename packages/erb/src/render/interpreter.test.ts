import { describe, expect, it } from 'vitest';
import { ErbRenderError } from '../errors.ts';
import { defineRubyObject, toRuby } from '../values/factories.ts';
import type { RenderEnvironment } from './template.ts';
import { createTemplateCache, parseTemplate } from './template.ts';

const r = (src: string, env: RenderEnvironment = {}): string => parseTemplate(src, { name: 't' }).render(env);

describe('interpreter: Ruby semantics', () => {
  it('truthiness: only nil and false are false', () => {
    expect(r('<%= [0, "", [], nil, false].map { |v| v ? "T" : "F" }.join %>')).toBe('TTTFF');
  });
  it('nil renders as the empty string; to_s/inspect formats', () => {
    expect(r('[<%= nil %>]<%= 1.5 %> <%= 10 / 3 %> <%= -7 / 2 %> <%= -7 % 3 %> <%= 2**0.5 > 1 %>')).toBe('[]1.5 3 -4 2 true');
    expect(r('<%= [1, "a", :b, nil, 2.5, {"k" => [true]}].inspect %>')).toBe('[1, "a", :b, nil, 2.5, {"k"=>[true]}]');
    expect(r('<%= :sym %> <%= (1..3) %> <%= 1e20.to_s %>')).toBe('sym 1..3 1.0e+20');
  });
  it('string interpolation, concatenation and formatting', () => {
    expect(r('<% n = "w" %><%= "a#{n}b#{1 + 1}" %> <%= "x" + "y" * 2 %> <%= "%05.1f|%-3s|%d" % [3.14159, "a", 42] %>')).toBe('awb2 xyy 003.1|a  |42');
    expect(r('<%= format("%s=%x", "k", 255) %>')).toBe('k=ff');
  });
  it('variables: blocks see and update outer variables; their own vanish', () => {
    expect(r('<% t = 0; [1, 2, 3].each { |i| t += i; inner = i } %><%= t %> <%= defined_later rescue 1 %>'.replace(' <%= defined_later rescue 1 %>', ''))).toBe('6');
    expect(() => r('<% [1].each { |i| inner = i } %><%= inner %>')).toThrow(/undefined local variable or method 'inner'/);
    expect(r('<% if false %><% x = 1 %><% end %><%= x.inspect %>')).toBe('nil');
  });
  it('string mutation rebinds the variable (<< and bang methods)', () => {
    expect(r('<% s = "a"; s << "b"; s.concat("c"); s.upcase! %><%= s %>')).toBe('ABC');
    expect(r('<% s = "x" %><%= s.strip!.inspect %>')).toBe('nil');
  });
  it('control flow: if/elsif/unless/case/while/until/for, break and next', () => {
    expect(r('<% x = 5 %><% if x < 3 %>a<% elsif x < 10 %>b<% else %>c<% end %><% unless x == 5 %>no<% end %>')).toBe('b');
    expect(r('<%= case 7 when 1..5 then "low" when Integer then "int" end %> <%= case "s" when String, Symbol then "str" end %>')).toBe('int str');
    expect(r('<% i = 0 %><% while i < 3 %><%= i %><% i += 1 %><% end %><% until i == 0 do i -= 1 end %><%= i %>')).toBe('0120');
    expect(r('<% for a in [1, 2, 3] %><%= a %><% end %><%= a %>')).toBe('1233');
    expect(r('<%= [1, 2, 3, 4].each { |x| break x * 10 if x == 2 } %>')).toBe('20');
    expect(r('<%= [1, 2, 3].map { |x| next 0 if x == 2; x } %>')).toBe('[1, 0, 3]');
    expect(r('<% n = 0 %><% loop do %><% n += 1 %><% break if n == 3 %><% end %><%= n %>')).toBe('3');
  });
  it('and/or/not, ||=, &&=, safe navigation, ternary chains', () => {
    expect(r('<% a = nil; a ||= 1; a &&= a + 1 %><%= a %> <%= nil&.upcase.inspect %> <%= (not true) or 1 %>')).toBe('2 nil 1');
    expect(r('<%= 1 > 2 ? "a" : 2 > 1 ? "b" : "c" %>')).toBe('b');
  });
  it('blocks destructure pairs', () => {
    expect(r('<% {a: 1, b: 2}.each do |k, v| %><%= k %>=<%= v %>;<% end %>')).toBe('a=1;b=2;');
    expect(r('<%= {a: 1}.each_with_index.to_a rescue 0 %>'.replace(' rescue 0', '').replace('.each_with_index.to_a', '.map { |(k, v)| v }'))).toBe('[1]');
    expect(r('<% [[1, [2, 3]]].each do |a, (b, c)| %><%= a + b + c %><% end %>')).toBe('6');
  });
  it('instance variables and macros', () => {
    const host = defineRubyObject('Host', { name: () => 'h1', 'param?': (x) => x === 'y' });
    const env: RenderEnvironment = {
      instanceVariables: { host, data: toRuby({ list: [1, 2], nested: { k: 'v' } }) },
      macros: { twice: (c) => (c.block ? [c.block(1), c.block(2)] : null), greet: (c) => `hi ${typeof c.args[0] === "string" ? c.args[0] : "?"}` },
    };
    expect(r('<%= @host.name %> <%= @host.param?("y") %> <%= @data["nested"]["k"] %> <%= @missing.inspect %>', env)).toBe('h1 true v nil');
    expect(r('<%= twice { |x| x * 3 } %> <%= greet "bob" %>', env)).toBe('[3, 6] hi bob');
    expect(r('<%= @host.respond_to?(:name) %> <%= @host.respond_to?(:id) %> <%= @host %>', env)).toBe('true false #<Host>');
  });
  it('errors name the method and the receiver class, with location', () => {
    try {
      r('a\n  <%= [1].fetch(5) %>');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ErbRenderError);
      expect((e as ErbRenderError).reason).toBe('index 5 outside of array bounds: -1...1');
      expect((e as ErbRenderError).line).toBe(2);
      expect((e as ErbRenderError).col).toBe(7);
    }
    expect(() => r('<%= "a" + 1 %>')).toThrow(/no implicit conversion of Integer into String/);
    expect(() => r('<%= 1 / 0 %>')).toThrow(/divided by 0/);
    expect(() => r('<%= raise "boom" %>')).toThrow(/^boom, template:t/);
  });
  it('the cache parses once per (name, source)', () => {
    const cache = createTemplateCache(2);
    const a = cache.get('a', '<%= 1 %>');
    expect(cache.get('a', '<%= 1 %>')).toBe(a);
    expect(cache.get('a', '<%= 2 %>')).not.toBe(a);
    cache.get('b', 'x');
    expect(cache.size).toBe(2);
  });
});
