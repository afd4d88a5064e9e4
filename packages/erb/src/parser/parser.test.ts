import { describe, expect, it } from 'vitest';
import type { Node, ProgramNode } from '../ast/nodes.ts';
import { ErbSyntaxError } from '../errors.ts';
import { SourceFile } from '../tokens/source-file.ts';
import { tokenizeTemplate } from '../tokens/tokenize.ts';
import { Parser } from './parser.ts';

const parse = (s: string): ProgramNode => {
  const f = new SourceFile('t', s);
  return new Parser(f, tokenizeTemplate(f), { maxDepth: 200 }).parseProgram();
};
/** Compact S-expression view of a node for assertions. */
function sx(n: Node | null): string {
  if (n === null) return '_';
  switch (n.kind) {
    case 'call':
      return `(${n.safeNav ? '&.' : ''}${n.name} ${sx(n.recv)}${n.args.map((a) => ` ${sx(a)}`).join('')}${n.block ? ` {${n.block.symbol ?? n.block.params.join(',')}|${n.block.body.map(sx).join(';')}}` : ''})`;
    case 'lvar': return n.name;
    case 'ivar': return `@${n.name}`;
    case 'lasgn': return `(= ${n.name} ${sx(n.value)})`;
    case 'opasgn': return `(${n.op}= ${sx(n.target)} ${sx(n.value)})`;
    case 'str': return JSON.stringify(n.value);
    case 'num': return String(n.value);
    case 'sym': return `:${n.name}`;
    case 'nil': return 'nil';
    case 'bool': return String(n.value);
    case 'and': case 'or': return `(${n.kind} ${sx(n.left)} ${sx(n.right)})`;
    case 'not': return `(! ${sx(n.operand)})`;
    case 'if': return `(if ${sx(n.cond)} [${n.then.map(sx).join(';')}] [${n.else.map(sx).join(';')}])`;
    case 'array': return `[${n.elements.map(sx).join(' ')}]`;
    case 'hash': return `{${n.pairs.map(([k, v]) => `${sx(k)}=>${sx(v)}`).join(' ')}}`;
    case 'text': return `T${JSON.stringify(n.value)}`;
    case 'output': return `(out ${n.body.map(sx).join(';')})`;
    case 'range': return `(${sx(n.from)}${n.exclusive ? '...' : '..'}${sx(n.to)})`;
    case 'case': return `(case ${n.subject ? sx(n.subject) : '_'} ${n.whens.map((w) => `[${w.conds.map(sx).join(',')}: ${w.body.map(sx).join(';')}]`).join(' ')} else[${(n.else ?? []).map(sx).join(';')}])`;
    default: return n.kind;
  }
}
const code = (s: string): string => parse(`<% ${s} %>`).body.map(sx).join(' ; ');

describe('Parser', () => {
  it('binary precedence and unary minus', () => {
    expect(code('1 + 2 * 3 ** 2')).toBe('(+ 1 (* 2 (** 3 2)))');
    expect(code('a = 1 == 1 && !nil || false')).toBe('(= a (or (and (== 1 1) (! nil)) false))');
    expect(code('-2.abs')).toBe('(abs -2)');
    expect(code('x = 5; -x')).toBe('(= x 5) ; (-@ x)');
  });
  it('local variables vs method calls', () => {
    expect(code('foo')).toBe('(foo _)');
    expect(code('foo = 1; foo')).toBe('(= foo 1) ; foo');
    expect(code('x = 1; x -1')).toBe('(= x 1) ; (- x 1)');
    expect(code('foo -1')).toBe('(foo _ -1)');
    expect(code('foo - 1')).toBe('(- (foo _) 1)');
    expect(() => code('puts -1')).toThrow(/method 'puts' is not allowed/);
  });
  it('command calls, hashes and block binding', () => {
    expect(code("render_error N_('x') unless y")).toBe('(if (y _) [] [(render_error _ (N_ _ "x"))])');
    expect(code("render_template('A', :a => 1, b: 2)")).toBe('(render_template _ "A" {:a=>1 :b=>2})');
    expect(code('a.map { |x| x * 2 }.join(",")')).toBe('(join (map (a _) {x|(* x 2)}) ",")');
    expect(code('list.each do |k, v| k end')).toBe('(each (list _) {k,v|k})');
    expect(code('x.map(&:strip)')).toBe('(map (x _) {strip|})');
    expect(code('s.start_with? "yum"')).toBe('(start_with? (s _) "yum")');
    expect(code('h = {a: 1, "b" => [1, 2]}; h[:a] ||= 3')).toBe('(= h {:a=>1 "b"=>[1 2]}) ; (||= ([] h :a) 3)');
    expect(code('a&.b')).toBe('(&.b (a _))');
  });
  it('ternary, ranges and modifiers', () => {
    expect(code('a ? b : c')).toBe('(if (a _) [(b _)] [(c _)])');
    expect(code('x = 1..3')).toBe('(= x (1..3))');
    expect(code('y = 2 if z')).toBe('(if (z _) [(= y 2)] [])');
  });
  it('statements span ERB tags', () => {
    const p = parse('<% if a %>yes<%= b %><% else %>no<% end %>');
    expect(p.body.map(sx).join('')).toBe('(if (a _) [T"yes";(out (b _))] [T"no"])');
    const c = parse('<% case x\n when 1 %>one<% when 2, 3 %>two<% else %>many<% end %>');
    expect(c.body.map(sx).join('')).toBe('(case (x _) [1: T"one"] [2,3: T"two"] else[T"many"])');
  });
  it('method chains may continue on the next line', () => {
    expect(code('a\n  .b\n  .c')).toBe('(c (b (a _)))');
  });
  it('reports syntax errors with line and column', () => {
    try {
      parse('ok\n<% if x %>\n<%= 1 + %>');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ErbSyntaxError);
      const err = e as ErbSyntaxError;
      expect(err.line).toBe(3);
      expect(err.message).toMatch(/^syntax error, unexpected '%>', template:t, line:3, col:\d+\n/);
      expect(err.excerpt).toContain('>> 3| <%= 1 + %>');
    }
    expect(() => parse('<% if x %>')).toThrow(/expected 'end' to close 'if' at line 1/);
    expect(() => parse('<% [1].each do |x| %>')).toThrow(/expected 'end'/);
  });
});
