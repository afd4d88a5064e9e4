import { describe, expect, it } from 'vitest';
import { ErbSyntaxError } from '../errors.ts';
import { parseTemplate } from './template.ts';

const t = (src: string): string => parseTemplate(src, { name: 't' }).render({ macros: { input: () => 'nginx' } });

describe('heredocs inside ERB tags', () => {
  it('<<~ strips the common indentation and interpolates', () => {
    const src = [
      '<%- pkg = input("package") -%>',
      '<%- script = <<~EOS',
      '    #!/bin/sh',
      '    if rpm -q #{pkg}; then',
      '      echo "#{pkg.upcase} installed"',
      '    fi',
      '  EOS',
      '-%>',
      '<%= script -%>',
      'done',
    ].join('\n');
    expect(t(src)).toBe('#!/bin/sh\nif rpm -q nginx; then\n  echo "NGINX installed"\nfi\ndone');
  });
  it("<<~'EOS' does not interpolate nor unescape", () => {
    expect(t("<%= <<~'EOS'\n  echo #{HOME} \\n $x\n  EOS\n%>")).toBe('echo #{HOME} \\n $x\n');
  });
  it('<<-EOS keeps the indentation and allows an indented terminator; <<EOS needs column 0', () => {
    expect(t('<%= <<-EOS\n  a\n    b\n  EOS\n%>|')).toBe('  a\n    b\n|');
    expect(t('<%= <<EOS\n  a\nEOS\n%>|')).toBe('  a\n|');
    expect(t('<%= <<"EOS"\n#{1 + 1}\\t\nEOS\n%>|')).toBe('2\t\n|');
  });
  it('a method call on the opener and several heredocs on one line', () => {
    expect(t('<%= <<~EOS.strip.upcase\n  hi\n  EOS\n%>!')).toBe('HI!');
    expect(t('<%= [<<~A, <<~B].map(&:strip).join("+")\n  one\n  A\n  two\n  B\n%>')).toBe('one+two');
    expect(t('<% x = <<~A + "mid" + <<~B\n  first\n  A\n  second\n  B\n%><%= x %>')).toBe('first\nmidsecond\n');
  });
  it('the statement goes on after the body', () => {
    expect(t('<% s = <<~EOS\n  body\n  EOS\nn = s.size %><%= n %>')).toBe('5');
  });
  it('an interpolation may hold ERB-looking text and method calls', () => {
    expect(t('<%= <<~EOS\n  #{["a", "b"].map { |x| x * 2 }.join(",")}\n  EOS\n%>')).toBe('aa,bb\n');
  });
  it('unterminated heredocs are syntax errors at the opener', () => {
    for (const src of ['<%= <<~EOS\n  a\n%>', '<%= <<~EOS %>\nEOS', '<%= <<~EOS\n  a\n  EOX\n%>']) {
      let err: unknown;
      try {
        parseTemplate(src, { name: 't' });
      } catch (e) {
        err = e;
      }
      expect(err, src).toBeInstanceOf(ErbSyntaxError);
      expect((err as ErbSyntaxError).reason).toMatch(/unterminated heredoc/);
      expect((err as ErbSyntaxError).col).toBe(5);
    }
  });
  it('`<<` stays the append operator where a value ends', () => {
    expect(t('<% a = [] %><% a << 1 %><% a <<2 %><%= a.inspect %>')).toBe('[1, 2]');
    expect(t('<% s = "x" %><% s << "y" %><%= s %>')).toBe('xy');
  });
});
