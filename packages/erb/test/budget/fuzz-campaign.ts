/**
 * @module
 * Fuzz campaign (fast-check), run as a child process by `test/budget.test.ts` or by hand:
 * templates build nested and shared structures (arrays, hashes, ranges, strings, `*`, `times`
 * loops, `[x, x]` nesting, structures as hash keys) and apply the expensive operations (hashing,
 * `==`/`<=>`/`eql?`, `uniq`, `-`, `&`, `|`, `include?`, `index`, hash keys, `inspect`/`to_s`/
 * `join`/`to_json`, sorting, `min`/`max`, `flatten`, `*`, `product`, `transpose`, string
 * building…) in random combinations. Every render must end as the engine says: output, a syntax
 * error, or a render error — never a JavaScript error, never the wall clock (the time limit is
 * raised to 60 s here, so only the step meter may stop a render).
 *
 * Env: `REMEX_FUZZ_RUNS` (Default: 100), `REMEX_FUZZ_SEED`, `REMEX_FUZZ_CURRENT` (file that holds
 * the template being rendered, so a fatal abort can be traced). Prints one JSON summary line.
 * Run: `REMEX_FUZZ_RUNS=5000 node --import tsx packages/erb/test/budget/fuzz-campaign.ts`.
 */
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../../src/index.ts';
import type { ErbLimits } from '../../src/index.ts';
import { renderOutcome } from './outcome.ts';
import type { RenderOutcome } from './outcome.ts';

const num = fc.constantFrom('0', '1', '2', '3', '7', '20', '30', '64', '100', '1000', '5000', '99999', '100000', '(10**6)', '(10**9)', '(-1)');
const small = fc.constantFrom('1', '2', '3', '5', '10', '30', '100');
const v = fc.constantFrom('a', 'b', 'c', 'h', 's');

const atom: fc.Arbitrary<string> = fc.oneof(
  v,
  fc.constantFrom('[1]', '[]', '"x"', '"ab" * 1000', 'nil', '1', '1.5', ':s', '(1..5)', '{1 => 2}', '[[1]]', '{}', '"a-z"'),
  num.map((n) => `(1..${n}).to_a`),
  num.map((n) => `"x" * ${n}`),
  num.map((n) => `(1..${n})`),
);

const expr: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: atom },
  fc.tuple(atom, atom).map(([x, y]) => `[${x}, ${y}]`),
  fc.tuple(atom, num).map(([x, n]) => `[${x}] * ${n}`),
  fc.tuple(atom, atom).map(([x, y]) => `{${x} => ${y}}`),
  fc.tuple(atom, atom).map(([x, y]) => `(${x} + ${y})`),
  fc.tuple(atom, num).map(([x, n]) => `(${x} * ${n})`),
  atom.map((x) => `Array(${x})`),
);

/** The expensive operations, applied to generated operands. */
const OPS: readonly ((x: string, y: string, n: string) => string)[] = [
  (x) => `${x}.uniq`, (x) => `${x}.uniq.size`, (x, y) => `(${x} - [${y}])`, (x, y) => `(${x} - ${y})`, (x, y) => `(${x} & ${y})`,
  (x, y) => `(${x} | ${y})`, (x, y) => `${x}.include?(${y})`, (x, y) => `${x}.index(${y})`, (x, y) => `${x}.rindex(${y})`,
  (x) => `h[${x}]`, (x, y) => `(h[${x}] = ${y})`, (x) => `h.key?(${x})`, (x) => `h.fetch(${x}, 0)`, (x) => `${x}.inspect`,
  (x) => `${x}.to_s`, (x) => `${x}.join(",")`, (x) => `${x}.to_json`, (x) => `${x}.sort`, (x) => `${x}.sort_by { |e| e }`,
  (x) => `${x}.min`, (x) => `${x}.max`, (x) => `${x}.minmax`, (x) => `${x}.flatten`, (x, _y, n) => `${x}.flatten(${n})`,
  (x, _y, n) => `(${x} * ${n})`, (x, y) => `${x}.product(${y})`, (x, y) => `${x}.product(${y}, ${y})`, (x) => `${x}.combination(2).to_a`,
  (x, y) => `(${x} == ${y})`, (x, y) => `(${x} <=> ${y})`, (x, y) => `${x}.eql?(${y})`, (x, y) => `(${x} != ${y})`, (x) => `${x}.tally`,
  (x) => `${x}.group_by { |e| e }`, (x, y) => `${x}.count(${y})`, (x, y) => `${x}.delete(${y})`, (x) => `${x}.transpose`,
  (x, _y, n) => `${x}.each_cons(${n}).to_a`, (x, _y, n) => `${x}.each_slice(${n}).to_a`, (x, y) => `${x}.zip(${y})`,
  (x) => `${x}.dup`, (x) => `${x}.reverse`, (x) => `"#{${x}}"`, (x) => `${x}.size`, (x) => `${x}.sum`, (x) => `${x}.sum([])`,
  (x) => `${x}.tr("a-z", "b")`, (x) => `${x}.split("")`, (x) => `${x}.chars`, (x, _y, n) => `${x}.center(${n})`,
  (x, _y, n) => `${x}.ljust(${n}, "ab")`, (x) => `format("%s|%p", ${x}, ${x})`, (x) => `${x}.to_a`, (x, _y, n) => `${x}.first(${n})`,
  (x, _y, n) => `${x}.last(${n})`, (x) => `${x}.lines`, (x) => `${x}.gsub("x", "yy")`, (x) => `${x}.count("a-z")`, (x) => `${x}.squeeze`,
  (x) => `${x}.length`, (x) => `${x}.to_h`, (x) => `${x}.invert`, (x, y) => `${x}.merge(${y})`, (x) => `${x}.values`, (x) => `${x}.keys`,
  (x) => `${x}.flat_map { |e| [e, e] }`, (x) => `${x}.map { |e| [e, e] }`, (x) => `${x}.inject(:+)`, (x) => `${x}.to_sym`,
  (x) => `${x}.each_with_index.to_a`, (x) => `${x}.compact`, (x) => `${x}.rotate`, (x, y) => `${x}.assoc(${y})`, (x) => `${x}.hash`,
  (x, y) => `${x}.value?(${y})`, (x, y) => `{${x} => 1}.key?(${y})`, (x, y) => `[${x}, ${y}].uniq.size`, (x) => `${x}.chars.sort.join`,
  (x, _y, n) => `${x}.each_char.first(${n})`, (x) => `${x}.upto(5).to_a`, (x) => `${x}.times.to_a`, (x) => `Integer(${x})`,
  (x, y) => `${x}.member?(${y})`, (x) => `(${x} == ${x}.dup)`, (x) => `${x}.freeze`, (x, _y, n) => `${x}.each_slice(${n}).map(&:size)`,
  (x, y) => `(h[${x}] ||= ${y})`, (x) => `case ${x} when ${x}.dup then 1 end`, (x) => `${x}.to_s.size`, (x, y) => `${x}.end_with?(${y})`,
  (x) => `${x}.digits`, (x) => `${x}.reverse.scan(/x+/)`, (x) => `(${x} =~ /(x|xx)+y/)`, (x, y) => `${x}.start_with?(${y})`,
];

const op: fc.Arbitrary<string> = fc
  .tuple(fc.nat(OPS.length - 1), expr, expr, num)
  .map(([i, x, y, n]) => OPS[i]!(x, y, n));

const stmt: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(v, expr).map(([x, e]) => `${x} = ${e}`),
  fc.tuple(v, op).map(([x, e]) => `${x} = ${e}`),
  fc.tuple(small, v, expr).map(([n, x, e]) => `${n}.times { ${x} = ${e} }`),
  fc.tuple(num, v).map(([n, x]) => `${n}.times { ${x} = [${x}, ${x}] }`),
  fc.tuple(num, v, v).map(([n, x, y]) => `${n}.times { ${x} = [${x}, ${y}]; ${y} = [${y}, ${x}] }`),
  fc.tuple(num, v).map(([n, x]) => `${n}.times { ${x} = {${x} => ${x}} }`),
  fc.tuple(num, v).map(([n, x]) => `${n}.times { ${x} = ${x} + ${x} }`),
  fc.tuple(expr, expr).map(([k, x]) => `h[${k}] = ${x}`),
  fc.tuple(num, expr).map(([n, k]) => `${n}.times { |i| h[${k}] = i }`),
  fc.tuple(num, op).map(([n, o]) => `${n}.times { ${o} }`),
  fc.tuple(v, expr).map(([x, e]) => `${x} << ${e}`),
  // String building from template-controlled numbers.
  fc.tuple(num, v).map(([n, x]) => `${n}.times { s << s.to_s }`.replace('s.to_s', `${x}.to_s`)),
  fc.tuple(num, v).map(([n, x]) => `${n}.times { s = "#{s}#{${x}}" }`),
  fc.tuple(num, num).map(([n, w]) => `${n}.times { s = format("%-*s|%s", ${w}, s, s) }`),
  fc.tuple(num, expr).map(([n, e]) => `${n}.times { s = s.to_s.gsub(/x*/) { |m| m + ${e}.to_s } }`),
  fc.tuple(num, v).map(([n, x]) => `${n}.times { ${x} = ${x}.to_s.center(${x}.to_s.size * 2, "ab") }`),
  fc.tuple(num, v).map(([n, x]) => `${n}.times { ${x} = ${x}.to_s.split("").each_slice(2).map(&:join) }`),
);

const template: fc.Arbitrary<string> = fc
  .tuple(fc.array(stmt, { minLength: 1, maxLength: 6 }), fc.array(op, { minLength: 1, maxLength: 3 }))
  .map(([stmts, outs]) => `<% a = [1]; b = [2]; c = [3]; h = {}; s = "x" %>${stmts.map((x) => `<% ${x} %>`).join('')}${outs.map((o) => `<%= ${o} %>`).join('|')}`);

/** Default limits, except the wall clock: raised so that only the step meter may stop a render. */
const LIMITS: Partial<ErbLimits> = { maxRenderMillis: 60_000 };

/** Summary printed by the campaign. */
export interface FuzzSummary {
  runs: number;
  seed: number;
  outcomes: Record<string, number>;
  worstMs: number;
  worstTemplate: string;
  failure: string | null;
  limits: ErbLimits;
}

function main(): void {
  const runs = Number(process.env.REMEX_FUZZ_RUNS ?? 100);
  const seed = Number(process.env.REMEX_FUZZ_SEED ?? Date.now() % 2 ** 31);
  const current = process.env.REMEX_FUZZ_CURRENT;
  const summary: FuzzSummary = { runs: 0, seed, outcomes: {}, worstMs: 0, worstTemplate: '', failure: null, limits: { ...DEFAULT_LIMITS, ...LIMITS } };
  const result = fc.check(
    fc.property(template, (src) => {
      if (current) writeFileSync(current, src);
      const o: RenderOutcome = renderOutcome(src, LIMITS);
      summary.runs++;
      summary.outcomes[o.kind] = (summary.outcomes[o.kind] ?? 0) + 1;
      if (o.ms > summary.worstMs) {
        summary.worstMs = Math.round(o.ms);
        summary.worstTemplate = src;
      }
      if (o.kind === 'bad') throw new Error(`${o.reason} (after ${Math.round(o.ms)} ms)`);
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  if (result.failed) summary.failure = fc.defaultReportMessage(result) ?? 'failed';
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main();
