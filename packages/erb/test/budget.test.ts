/**
 * The render budget covers everything a template can make the engine do (security finding:
 * one template aborted the whole server process with V8's "invalid size", others froze the event
 * loop for minutes). Every expensive builtin is charged by the size of what it touches; deep
 * walks stop at the structure depth limit. The reported templates run in child processes, so the
 * old code's fatal abort or endless loop fails the test (killed after a generous timeout)
 * instead of killing Vitest.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, ErbRenderError, parseTemplate } from '../src/index.ts';
import type { ErbLimits } from '../src/index.ts';
import type { FuzzSummary } from './budget/fuzz-campaign.ts';
import type { RenderOutcome } from './budget/outcome.ts';
import { renderOutcome } from './budget/outcome.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

interface ChildResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Run a TypeScript file in a child Node process (tsx), killed after `timeoutMs`. */
function runChild(file: string, args: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(here, 'budget', file), ...args], {
      timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: { ...process.env, ...env },
    }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** The templates of the report, each rendered alone in a child process. */
const REPORTED: [string, RegExp][] = [
  // V8 "invalid size" fatal error (process abort) on the old code.
  ['<% a=[1] %><% 20.times { a = [a,a] } %><%= [a,a].uniq.size %>', /hash key too large|render step limit/],
  // Froze the event loop for over 9 minutes on the old code.
  ['<% a=(1..99999).to_a %><% b=[a]*99999 %><%= b.uniq.size %>', /render step limit/],
  ['<% a=(1..99999).to_a %><% b=[a]*99999 %><%= (b - [[1]]).size %>', /render step limit/],
  ['<% a=(1..99999).to_a %><% h={} %><% 99999.times { |i| h[a] = i } %><%= h.size %>', /render step limit/],
];

describe('reported templates end with a budget error (child process)', () => {
  const worst: number[] = [];
  for (const [src, reason] of REPORTED) {
    it(src, async () => {
      const r = await runChild('run-templates.ts', [JSON.stringify([src])], 120_000);
      expect(r.signal, `child killed (abort or hang): ${r.stderr.slice(-2000)}`).toBeNull();
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      const o = JSON.parse(r.stdout.trim()) as RenderOutcome;
      expect(o.kind, o.reason).toBe('limit');
      expect(o.reason).toMatch(reason);
      worst.push(o.ms);
      console.log(`reported template: ${o.reason} after ${Math.round(o.ms)} ms: ${src}`);
    }, 150_000);
  }
});

describe('the wall clock is read inside long builtin calls (child process)', () => {
  it('with an unlimited step budget, the reported templates stop at the time limit, mid-walk', async () => {
    const limits = { maxRenderSteps: 1e12, maxRenderMillis: 200 };
    const r = await runChild('run-templates.ts', [JSON.stringify(REPORTED.map(([src]) => src)), JSON.stringify(limits)], 120_000);
    expect(r.signal, `child killed (abort or hang): ${r.stderr.slice(-2000)}`).toBeNull();
    const outcomes = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RenderOutcome);
    expect(outcomes).toHaveLength(REPORTED.length);
    // The first may also end at the hash-key size cap; none may run on unmetered.
    for (const o of outcomes) expect(o.reason).toMatch(/render time limit exceeded \(200 ms\)|hash key too large/);
  }, 150_000);
});

function expectLimit(src: string, reason: RegExp, limits: Partial<ErbLimits> = {}): void {
  const o = renderOutcome(src, limits);
  expect(o.kind, `${src} → ${o.kind}: ${o.reason}`).toBe('limit');
  expect(o.reason).toMatch(reason);
}

describe('expensive builtins are charged by what they touch', () => {
  // Small inputs (the old code finished them quickly, uncharged): with 20,000 steps each must fail.
  const limits = { maxRenderSteps: 20_000 };
  // b holds the same 4,000-element array ten times; c differs from it in its last element only:
  // comparing b's elements with each other or with c walks 4,000 elements each time.
  const big = '<% a = (1..4000).to_a %><% b = [a] * 10 %><% c = a.dup %><% c[-1] = 0 %>';
  const cases: string[] = [
    `${big}<%= b.uniq.size %>`, `${big}<%= (b - [[1]]).size %>`, `${big}<%= (b & [[1]]).size %>`, `${big}<%= (b | [[1]]).size %>`,
    `${big}<%= b.include?(c) %>`, `${big}<%= b.index(c).inspect %>`, `${big}<%= b.count(c) %>`, `${big}<%= b.tally.size %>`,
    `${big}<% h = {} %><% h[a] = 1 %><% h[a] = 2 %><% h[a] = 3 %><% h[a] = 4 %><% h[a] = 5 %><%= h.key?(a) %>`,
    `${big}<%= b == b.map { |x| x.dup } %>`, `${big}<%= b.eql?(b.map(&:dup)) %>`, `${big}<%= (b <=> b.map(&:dup)) %>`,
    `${big}<%= b.inspect.size %>`, `${big}<%= b.to_s.size %>`, `${big}<%= b.join(",").size %>`, `${big}<%= b.to_json.size %>`,
    `${big}<%= b.sort.size %>`, `${big}<%= b.sort_by { |x| x }.size %>`, `${big}<%= b.min.size %>`, `${big}<%= b.max.size %>`,
    `${big}<%= b.flatten.size %>`, '<%= ([1] * 30000).size %>', '<%= ("ab" * 700000).size %>', '<%= (1..30000).to_a.size %>',
    '<%= (1..200).to_a.product((1..200).to_a).size %>', '<%= (1..300).to_a.each_cons(150).to_a.size %>',
    '<% a = [1]; 16.times { a = [a, a] } %><%= a.to_s.size %>', '<% a = [1]; 16.times { a = [a, a] } %><%= a.flatten.size %>',
    '<% a = [1]; 16.times { a = [a, a] } %><%= a.join.size %>', '<% a = [1]; 16.times { a = [a, a] } %><%= a.to_json.size %>',
    '<% a = [1]; 16.times { a = [a, a] } %><%= { a => 1 }.size %>', '<% a = [1]; b = [1]; 16.times { a = [a, a]; b = [b, b] } %><%= a == b %>',
    '<%= ("a" * 100000).tr("\\u0000-\\uffff\\u0000-\\uffff", "b").size %>', '<% s = "x" * 500000 %><% 30.times { s.length } %>',
    '<% s = "1" * 100000 %><% 30.times { Integer(s) } %>',
    '<% s = "x" * 100000; t = "x" * 100000 %><% 20.times { s == t } %>', '<% a = (1..4000).to_a %><% 10.times { a.member?(0) } %>',
    '<% a = (1..4000).to_a %><% 10.times { a.freeze } %>', '<% s = "x" * 100000 %><% 20.times { "y".start_with?(s) } %>',
  ];
  for (const src of cases) it(src, () => expectLimit(src, /render step limit|string size limit|collection size limit/, limits));

  it('a structure nested deeper than maxValueDepth fails cleanly when walked', () => {
    for (const op of ['a.inspect', 'a == b', '(a <=> b)', '{ a => 1 }', 'a.flatten', 'a.join', 'a.to_json', '[a].uniq']) {
      expectLimit(`<% a = [1]; b = [1]; 150.times { a = [a]; b = [b] } %><%= ${op} %>`, /structure depth limit exceeded \(value nested too deeply: more than 100 levels\)/);
    }
    expectLimit('<% a = [1]; 20.times { a = [a] } %><%= a.inspect %>', /more than 10 levels/, { maxValueDepth: 10 });
    expect(renderOutcome('<% a = [1]; 90.times { a = [a] } %><%= a.flatten.inspect %>', {})).toMatchObject({ kind: 'ok' });
  });

  it('a spent budget stays spent (a later charge fails too)', () => {
    const t = parseTemplate('<% a = (1..1000).to_a %><%= [a, a.dup].uniq.size %>', { limits: { maxRenderSteps: 1500 } });
    expect(() => t.render({})).toThrow(ErbRenderError);
    expect(() => t.render({})).toThrow(/render step limit exceeded \(1500 steps\)/);
  });

  it('ordinary work still fits the default budget', () => {
    const src = '<% a = (1..1000).to_a.map { |i| [i % 7, "h#{i}"] } %><%= a.uniq.size %> <%= a.sort.first.inspect %> <%= a.to_h.size %> <%= a.group_by(&:first).size %> <%= a.flatten.join(",").size %>';
    expect(renderOutcome(src, {})).toMatchObject({ kind: 'ok' });
    expect(parseTemplate(src).render({})).toBe('1000 [0, "h105"] 7 7 6892');
  });
});

describe('fuzz campaign (fast-check, child process)', () => {
  it('every generated template ends with output or an engine error, never a JavaScript error or the wall clock', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'erb-fuzz-'));
    const current = path.join(dir, 'current.erb');
    try {
      const runs = process.env.REMEX_FUZZ_RUNS ?? '100';
      const r = await runChild('fuzz-campaign.ts', [], 600_000, { REMEX_FUZZ_RUNS: runs, REMEX_FUZZ_CURRENT: current });
      let last = '';
      try {
        last = readFileSync(current, 'utf8');
      } catch {
        last = '(none)';
      }
      expect(r.signal, `fuzz child killed (abort or hang) while rendering: ${last}\n${r.stderr.slice(-2000)}`).toBeNull();
      expect(r.code, `fuzz child failed while rendering: ${last}\n${r.stderr.slice(-2000)}`).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as FuzzSummary;
      console.log(`fuzz: ${summary.runs} runs (seed ${summary.seed}) ${JSON.stringify(summary.outcomes)}, worst render ${summary.worstMs} ms: ${summary.worstTemplate}`);
      expect(summary.failure).toBeNull();
      expect(summary.runs).toBe(Number(runs));
      expect(summary.limits.maxRenderSteps).toBe(DEFAULT_LIMITS.maxRenderSteps);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 660_000);
});
