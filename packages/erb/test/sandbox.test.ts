/**
 * Sandbox / denial-of-service suite (LiquidJS `dos.spec` style): every escape attempt and every
 * resource abuse ends in a clean ErbSyntaxError or ErbRenderError within the limits.
 */
import { describe, expect, it } from 'vitest';
import { defineRubyObject, ErbRenderError, ErbSyntaxError, parseTemplate, renderJobTemplate } from '../src/index.ts';
import type { ErbLimits, JobTemplateSource, RenderEnvironment } from '../src/index.ts';

function outcome(src: string, env: RenderEnvironment = {}, limits?: Partial<ErbLimits>): { kind: 'ok' | 'syntax' | 'render'; text: string } {
  try {
    const t = parseTemplate(src, { name: 'evil', ...(limits ? { limits } : {}) });
    return { kind: 'ok', text: t.render(env) };
  } catch (e) {
    if (e instanceof ErbSyntaxError) return { kind: 'syntax', text: e.message };
    if (e instanceof ErbRenderError) return { kind: 'render', text: e.message };
    throw e;
  }
}

function expectClean(src: string, pattern: RegExp, env: RenderEnvironment = {}, limits?: Partial<ErbLimits>): void {
  const r = outcome(src, env, limits);
  expect(r.kind, `${src} → ${r.text}`).not.toBe('ok');
  expect(r.text).toMatch(pattern);
  expect(r.text).toMatch(/line:\d+, col:\d+/);
}

const host = defineRubyObject('Host::Managed', { name: () => 'h1' });
const env: RenderEnvironment = { instanceVariables: { host }, macros: { input: () => 'x' } };

describe('escape attempts', () => {
  const cases: [string, RegExp][] = [
    ['<%= "".constructor %>', /constructor/],
    ['<%= [].__proto__ %>', /__proto__/],
    ['<%= "x".send(:system, "id") %>', /send/],
    ['<%= __send__(:eval, "1") %>', /__send__/],
    ['<%= "x".public_send(:upcase) %>', /public_send/],
    ['<%= "x".instance_eval { 1 } %>', /instance_eval/],
    ['<%= @host.instance_variable_get(:@x) %>', /instance_variable_get/],
    ['<%= eval("1 + 1") %>', /eval/],
    ['<%= system("id") %>', /system/],
    ['<%= exec("id") %>', /exec/],
    ['<%= `id` %>', /backticks/],
    ['<%= %x(id) %>', /%x/],
    ["<%= File.read('/etc/passwd') %>", /File/],
    ['<%= IO.popen("id") %>', /IO/],
    ['<%= Kernel.exit %>', /Kernel/],
    ['<%= ObjectSpace.each_object { } %>', /ObjectSpace/],
    ['<% define_method(:x) { 1 } %>', /define_method/],
    ['<%= method(:input) %>', /method/],
    ['<%= binding %>', /binding/],
    ['<%= "x".class.new %>', /new/],
    ['<%= $stdout %>', /global variables/],
    ['<%= @@secret %>', /class variables/],
    ['<%= ::File %>', /::/],
    ['<%= Process.pid %>', /Process/],
    ['<% def x; end %>', /def/],
    ['<% class Foo; end %>', /class/],
    ['<%= require "json" %>', /require/],
    ['<%= open("/etc/passwd") %>', /open/],
    ['<%= __FILE__ %>', /__FILE__/],
    ['<%= self %>', /self/],
    ['<%= ->(x) { x } %>', /lambda/],
    ['<%= "x".toString %>', /undefined method 'toString' for String/],
    ['<%= [].hasOwnProperty("x") %>', /undefined method 'hasOwnProperty' for Array/],
    ['<%= @host.toString %>', /undefined method 'toString' for Host::Managed/],
    ['<%= @host.valueOf %>', /undefined method 'valueOf' for Host::Managed/],
    ['<%= toString %>', /undefined local variable or method 'toString'/],
    ['<%= hasOwnProperty("input") %>', /undefined method 'hasOwnProperty'/],
    ['<%= "x".foo %>', /undefined method 'foo' for String/],
    ['<%= nil.upcase %>', /undefined method 'upcase' for nil/],
    ['<%= 1.foo %>', /undefined method 'foo' for Integer/],
    ['<%= {}.each_key %>', /no block given/],
    ['<%= [1, 2].inject(:constructor) %>', /undefined method 'constructor' for Integer/],
    ['<%= "aa".gsub(/(a)\\1/, "b") %>', /backreferences \(\\1\) are not supported/],
    ['<%= "ab" =~ /a(?=b)/ %>', /lookahead/],
    ['<% x = "(a" %><%= "a" =~ /#{x}/ %>', /unmatched parenthesis/],
    ['<%= /a/.hasOwnProperty("source") %>', /undefined method 'hasOwnProperty' for Regexp/],
    ['<%= "a".match(/a/).toString %>', /undefined method 'toString' for MatchData/],
    ['<%= Regexp.new("a").instance_eval("1") %>', /not allowed/],
    ['<%= Regexp.send(:new, "a") %>', /not allowed/],
    ['<%= String.new("a") %>', /not allowed/],
    ['<%= "x".match(/\\p{Alpha}/) %>', /character properties/],
    ['<%= <<~EOS\n  unterminated\n%>', /unterminated heredoc/],
  ];
  for (const [src, pattern] of cases) {
    it(src, () => expectClean(src, pattern, env));
  }

  it('dynamic dispatch stays inside the allow-list', () => {
    expect(outcome('<%= "x".try(:constructor).inspect %>|<%= "x".try(:upcase) %>|<%= "x".respond_to?(:__proto__) %>', env).text).toBe('nil|X|false');
    expect(outcome('<%= {"constructor" => 1, "__proto__" => 2}["__proto__"] %>|<%= @__proto__.inspect %>|<%= @constructor.inspect %>', env).text).toBe('2|nil|nil');
  });

  it('a host value that is not a Ruby value is rejected', () => {
    const bad: RenderEnvironment = { macros: { leak: () => ({ process: 1 }) as never, fn: () => (() => 1) } };
    expectClean('<%= leak %>', /not a Ruby value/, bad);
    expectClean('<%= fn %>', /not a Ruby value/, bad);
  });
});

describe('resource limits', () => {
  it('infinite loops hit the step limit', () => {
    expectClean('<% while true %><% end %>', /render step limit/);
    expectClean('<% until false do end %>', /render step limit/);
    expectClean('<% loop do %>x<% end %>', /render step limit|output size/);
    expectClean('<% loop { } %>', /render step limit/);
    expectClean('<% 1.upto(10**12) { |i| } %>', /render step limit|collection size/);
    expectClean('<% (10**12).times { } %>', /render step limit/);
  });
  it('huge ranges and collections hit the collection limit', () => {
    expectClean('<% (1..10**9).each { } %>', /collection size/);
    expectClean('<%= (1..10**9).to_a.size %>', /collection size/);
    expectClean('<% a = [1]; 40.times { a = a + a } %>', /collection size/);
    expectClean('<% a = [1] * 10**8 %>', /collection size/);
  });
  it('huge strings hit the string limit', () => {
    expectClean('<%= "x" * 10**9 %>', /string size/);
    expectClean('<%= "x".ljust(10**9) %>', /string size/);
    expectClean('<%= "x".center(10**9, "ab") %>', /string size/);
    expectClean('<% s = "x"; 40.times { s = s + s } %>', /string size/);
    expectClean('<% s = "x"; 40.times { s << s } %>', /string size/);
    expectClean('<% s = "x"; 40.times { s = "#{s}#{s}" } %>', /string size/);
    expectClean('<%= "%1000000000d" % 1 %>', /string size/);
    expectClean('<% s = "ab" * 1000; s = s.gsub("a", "x" * 100000) %>', /string size/);
    expectClean('<% a = [1]; 30.times { a = [a, a] } %><%= a.to_s.size %>', /string size/);
  });
  it('catastrophic-backtracking patterns cannot hang: linear matching, steps counted', () => {
    // A backtracking engine needs ~2^n steps here; the Pike VM is linear and finishes at once.
    const r = outcome(`<%= ("a" * 30 + "!") =~ /(a+)+$/ %>|<%= ("a" * 5000 + "!").scan(/(a|aa)+$/).size %>`);
    expect(r).toEqual({ kind: 'ok', text: '|0' });
    // On big inputs the VM steps are charged to the render budget.
    expectClean('<% s = "a" * 500000 + "!" %><%= s =~ /(a|a)*(a+)+$/ %>', /render step limit/, {}, { maxRenderSteps: 50_000 });
    expectClean('<% s = "ab" * 200000 %><% 100.times { s.gsub(/b/, "c") } %>', /render step limit/);
    expectClean('<% s = "a" * 100000 %><%= s.split(//).size %>', /collection size|render step limit/, {}, { maxCollectionSize: 1000 });
    expectClean('<% s = "a" * 1000 %><%= s.gsub(/a/, "x" * 10000) %>', /string size/);
    expectClean('<%= /((a{1000}){1000}){1000}/ %>', /too large/);
    // Each matcher thread copies the capture slots: their number is capped, their copies charged.
    expectClean(`<%= "y" =~ /${'(x?)'.repeat(101)}z/ %>`, /too many capture groups/);
    expectClean(`<%= ("y" * 2000) =~ Regexp.new("(x?)" * 101 + "z") %>`, /too many capture groups/);
    // A replacement that would expand past the string limit fails before it is built (5,000,000
    // characters): the error comes as soon as the expansion passes the limit.
    for (const src of ['<%= ("a" * 1000).sub(/.*/, "\\\\0" * 5000) %>', '<%= ("a" * 1000).sub("a" * 1000, "\\\\0" * 5000) %>']) {
      expectClean(src, /string size/, {}, { maxStringSize: 100_000 });
      const reached = Number(/\((\d+) > 100000 characters\)/.exec(outcome(src, {}, { maxStringSize: 100_000 }).text)?.[1]);
      expect(reached, src).toBeLessThan(200_000);
    }
  });
  it('huge outputs hit the output limit', () => {
    expectClean('<% 100000.times do %>xxxxxxxxxxxxxxxxxxxx<% end %>', /output size/, {}, { maxOutputSize: 10_000 });
    expectClean('<% s = "y" * 1000000 %><% 100.times do %><%= s %><% end %>', /output size/);
  });
  it('recursive data structures are handled', () => {
    expect(outcome('<% a = []; a << a %><%= a.inspect %>').text).toBe('[[...]]');
    expectClean('<% a = []; a << a %><%= a.flatten %>', /recursive array/);
    expectClean('<% a = []; a << a; b = []; b << b %><%= a == b %>', /nested too deeply/);
    expectClean('<% h = {}; h[:a] = h %><%= { h => 1 } %>', /nested too deeply/);
  });
  it('deeply nested expressions are rejected at parse time', () => {
    expectClean(`<%= ${'('.repeat(10000)}1${')'.repeat(10000)} %>`, /nesting too deep|too long/);
    expectClean(`<%= ${'['.repeat(10000)}1${']'.repeat(10000)} %>`, /nesting too deep/);
    expectClean(`<%= ${'!'.repeat(100000)}true %>`, /nesting too deep/);
    expectClean(`<%= ${'-'.repeat(100000)}1 %>`, /nesting too deep/);
    expectClean(`<%= 1${' + 1'.repeat(100000)} %>`, /too long/);
    expectClean(`<%= "x"${'.upcase'.repeat(100000)} %>`, /chain too long/);
    expectClean(`<% ${'if true; '.repeat(5000)}${'end; '.repeat(5000)} %>`, /nesting too deep/);
    expectClean(`<% ${'[1].each { '.repeat(5000)}${'} '.repeat(5000)} %>`, /nesting too deep/);
    expectClean(`<%= ${'"#{'.repeat(1000)}${'}"'.repeat(1000)} %>`, /nested too deeply|nesting too deep/);
    expectClean(`<%= ${'a = '.repeat(100000)}1 %>`, /nesting too deep/);
  });
  it('template size is limited', () => {
    expectClean('x'.repeat(2000), /template too large/, {}, { maxTemplateSize: 1000 });
  });
  it('a limit error reports where it happened', () => {
    const r = outcome('line1\n<% while true %>\n<% end %>');
    expect(r.text).toContain('line:2, col:4');
    expect(r.text).toContain('>> 2| <% while true %>');
  });
});

describe('render_template recursion', () => {
  const mk = (name: string, template: string): JobTemplateSource => ({ name, template, inputs: [], foreign_input_sets: [] });
  const run = (templates: JobTemplateSource[], limits?: Partial<ErbLimits>): string => {
    const reg = new Map(templates.map((t) => [t.name, t]));
    return renderJobTemplate({
      template: templates[0]!, lookupTemplate: (n) => reg.get(n), host: null, inputValues: {}, preview: false, currentUser: null,
      ...(limits ? { limits } : {}),
    });
  };
  it('self recursion is detected', () => {
    expect(() => run([mk('A', "<%= render_template('A') %>")])).toThrow(/Recursive rendering of templates detected/);
  });
  it('indirect recursion is detected and points at the callee', () => {
    try {
      run([mk('A', "x\n<%= render_template('B') %>"), mk('B', "<%= render_template('A') %>")]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ErbRenderError);
      expect((e as ErbRenderError).reason).toBe('Recursive rendering of templates detected');
      expect((e as ErbRenderError).templateName).toBe('B');
    }
  });
  it('snippet recursion is detected too', () => {
    expect(() => run([mk('A', "<%= snippet('S') %>"), mk('S', "<%= snippet('S') %>")])).toThrow(/Recursive rendering/);
  });
  it('deep non-cyclic chains hit the render depth limit', () => {
    const chain = Array.from({ length: 30 }, (_, i) => mk(`T${i}`, `<%= render_template('T${i + 1}') %>`));
    expect(() => run(chain)).toThrow(/render depth limit/);
  });
  it('nested renders share one step budget', () => {
    const t = [mk('A', "<% 3.times do %><%= render_template('B') %><% end %>"), mk('B', '<% 400.times { } %>ok')];
    expect(run(t, { maxRenderSteps: 5000 })).toBe('okokok');
    expect(() => run(t, { maxRenderSteps: 1000 })).toThrow(/render step limit/);
  });
  it('a missing template is a clean error', () => {
    expect(() => run([mk('A', "<%= render_template('Nope') %>")])).toThrow(/included template 'Nope' not found/);
  });
});
