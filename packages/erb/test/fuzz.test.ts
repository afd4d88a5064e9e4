/**
 * Fuzzing for a bounded time: random token soups and mutated corpus templates must either render
 * or fail with ErbSyntaxError / ErbRenderError — never another exception type, never a hang.
 */
import { seededRandom as rng } from '@remex/testkit';
import { describe, expect, it } from 'vitest';
import { ErbRenderError, ErbSyntaxError, parseTemplate, renderJobTemplate } from '../src/index.ts';
import type { ErbLimits, JobTemplateSource } from '../src/index.ts';
import { HOSTS, readCorpus, toSource } from './corpus-fixtures.ts';

const PIECES = [
  '<%', '<%=', '<%-', '-%>', '%>', '<%#', '<%%', '%%>', '\n', ' ', '  ', 'if', 'elsif', 'else', 'end', 'unless', 'case', 'when',
  'while', 'until', 'do', 'then', 'and', 'or', 'not', 'nil', 'true', 'false', 'x', 'y', '@host', '@x', 'input', '(', ')', '[',
  ']', '{', '}', '|', '||', '&&', '!', '?', ':', '::', ',', '.', '&.', '..', '...', '=', '==', '+=', '||=', '<=>', '+', '-',
  '*', '/', '%', '**', '<<', '1', '0', '-1', '3.5', '10**9', "'a'", '"b"', '"#{x}"', '"#{', ':sym', '%w[a b]', 'each', 'map',
  'times', 'loop', 'break', 'next', 'split', 'join', 'render_template', "'Run Command - Script Default'", 'send', 'File',
  'upcase', 'size', '{ |a| a }', 'do |a, b|', '=>', 'a:', '"\\n"', '`', '$x', '#', ';', 'operatingsystem', 'family',
  'render_error', 'host_param', 'preview?', 'indent(2)', 'snippet', 'to_s', 'inspect', 'flatten', 'ljust', '0x1f', '1e3',
  '/a+/', '/(a|b)*c$/i', '=~', '!~', '%r{x/y}', '/#{x}/', 'gsub', 'scan', 'match', '[/a/]', 'Regexp', '\\1', '(?<n>', '<<~EOS',
  "<<-'EOS'", 'EOS', '<<A', '\nA\n', '.strip',
];

const ALPHABET = '<%=->#{}[]()|&!?:;.,\'"`@$ \n\tabcxyz019_*+/\\';

function randomTemplate(r: () => number): string {
  let s = '';
  const n = 1 + Math.floor(r() * 40);
  for (let i = 0; i < n; i++) s += r() < 0.85 ? PIECES[Math.floor(r() * PIECES.length)] : ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function mutate(src: string, r: () => number): string {
  let s = src;
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const len = Math.floor(r() * 20);
    const op = r();
    if (op < 0.3) s = s.slice(0, at) + s.slice(at + len);
    else if (op < 0.6) s = s.slice(0, at) + (PIECES[Math.floor(r() * PIECES.length)] ?? '') + s.slice(at);
    else if (op < 0.8) s = s.slice(0, at) + s.slice(at, at + len).repeat(2 + Math.floor(r() * 3)) + s.slice(at);
    else {
      const from = Math.floor(r() * s.length);
      s = s.slice(0, at) + s.slice(from, from + len) + s.slice(at + len);
    }
  }
  return s;
}

const limits: Partial<ErbLimits> = { maxRenderSteps: 20_000, maxStringSize: 100_000, maxOutputSize: 200_000, maxCollectionSize: 10_000, maxRenderMillis: 1_000 };
const corpus = readCorpus().map((f) => toSource(f.source));
const byName = new Map(corpus.map((t) => [t.name, t]));

function check(name: string, src: string): 'ok' | 'syntax' | 'render' {
  try {
    const tpl: JobTemplateSource = { name, template: src, inputs: [{ name: 'x', input_type: 'user' }, { name: 'action', input_type: 'user' }], foreign_input_sets: [] };
    renderJobTemplate({
      template: tpl, lookupTemplate: (n) => byName.get(n), host: HOSTS.redhat7, inputValues: { x: 'v', action: 'install' },
      preview: false, currentUser: 'fuzz', limits,
    });
    return 'ok';
  } catch (e) {
    if (e instanceof ErbSyntaxError) return 'syntax';
    if (e instanceof ErbRenderError) {
      expect(e.line).toBeGreaterThan(0);
      return 'render';
    }
    throw new Error(`unexpected ${String(e)} for template ${JSON.stringify(src)}`, { cause: e });
  }
}

describe('fuzz', () => {
  it('random token soups and mutated corpus templates end cleanly (about 5 s)', () => {
    const r = rng(0xc0ffee);
    const stats = { ok: 0, syntax: 0, render: 0 };
    const deadline = Date.now() + 5_000;
    let i = 0;
    while (Date.now() < deadline) {
      const src = i % 2 === 0 ? randomTemplate(r) : mutate(corpus[Math.floor(r() * corpus.length)]!.template, r);
      stats[check(`fuzz-${i}`, src)]++;
      i++;
    }
    expect(i).toBeGreaterThan(100);
    expect(stats.ok + stats.render).toBeGreaterThan(0);
    expect(stats.syntax).toBeGreaterThan(0);
  });

  it('parser never throws anything but ErbSyntaxError on raw random bytes', () => {
    const r = rng(42);
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = Math.floor(r() * 60);
      for (let k = 0; k < n; k++) s += String.fromCharCode(Math.floor(r() * 128));
      if (r() < 0.7) s = `<%= ${s} %>`;
      try {
        parseTemplate(s);
      } catch (e) {
        if (!(e instanceof ErbSyntaxError)) throw new Error(`unexpected ${String(e)} for ${JSON.stringify(s)}`, { cause: e });
      }
    }
  });
});
