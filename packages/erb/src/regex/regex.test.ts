import { describe, expect, it } from 'vitest';
import { lastRunSteps } from './pike-vm.ts';
import { compileRegex, escapeRegex, execRegex, parseFlags, regexInspect, regexToS } from './regex.ts';
import { RegexSyntaxError } from './syntax.ts';

/** Our result as JS `exec` would show it: [match, ...groups] with undefined for unset groups. */
function ours(pattern: string, flags: string, input: string, start = 0): (string | undefined)[] | null {
  const re = compileRegex(pattern, parseFlags(flags));
  const m = execRegex(re, input, start);
  if (!m) return null;
  const out: (string | undefined)[] = [];
  for (let g = 0; g < m.length; g += 2) out.push(m[g]! < 0 ? undefined : input.slice(m[g], m[g + 1]));
  return out;
}

/** JavaScript's answer for a safe pattern; Ruby's `^ $` are always line anchors, Ruby's /m is JS /s. */
function oracle(pattern: string, flags: string, input: string): (string | undefined)[] | null {
  const js = `m${flags.includes('i') ? 'i' : ''}${flags.includes('m') ? 's' : ''}`;
  const m = new RegExp(pattern, js).exec(input);
  return m ? [...m] : null;
}

const TABLE: [string, string, string[]][] = [
  ['abc', '', ['abc', 'xabcx', 'ab', '', 'aabbcc']],
  ['a.c', '', ['abc', 'a\nc', 'ac', 'xxaxcxx']],
  ['a.c', 'm', ['a\nc', 'abc']],
  ['a*', '', ['', 'aaa', 'baaa', 'b']],
  ['a+', '', ['', 'aaa', 'baaa', 'b']],
  ['ba?', '', ['b', 'ba', 'baa', 'ab']],
  ['a{2}', '', ['a', 'aa', 'aaa']],
  ['a{2,}', '', ['a', 'aa', 'aaaaa']],
  ['a{1,3}', '', ['', 'a', 'aaaaa', 'baab']],
  ['a{1,3}?', '', ['aaaa', 'baab']],
  ['a*?b', '', ['aaab', 'b', 'aaa']],
  ['a+?', '', ['aaa']],
  ['a??b', '', ['ab', 'b']],
  ['x(a|b)*y', '', ['xy', 'xababy', 'xaby', 'xcy']],
  ['(a|ab)(c|bcd)(d*)', '', ['abcd', 'abcdd', 'acd']],
  ['(foo|foobar)', '', ['foobar', 'fo']],
  ['(?:ab)+', '', ['ababab', 'aba', 'b']],
  ['(\\d+)-(\\d+)', '', ['10-20', 'a1-2b', '12-', '-3']],
  ['\\d+', '', ['abc123def', 'none', '٣']],
  ['\\D+', '', ['12ab34', '123']],
  ['\\w+', '', ['  hello_world1 x', '---', 'é']],
  ['\\W+', '', ['ab, cd', 'abc']],
  ['\\s+', '', ['a \t\nb', 'ab']],
  ['\\S+', '', ['  ab  ', '   ']],
  ['[a-z0-9_]+', '', ['ABC_def9!', '!!']],
  ['[^a-z]+', '', ['abcDEF12ghi', 'abc']],
  ['[-a]+', '', ['x-a-ax']],
  ['[a-]+', '', ['x-a-ax']],
  ['[\\]\\\\]+', '', ['a]\\]b']],
  ['[.*+?]+', '', ['a.*+?b']],
  ['[\\d\\s]+', '', ['ab 1 2 cd']],
  ['[^\\d\\s]+', '', ['12 ab 3']],
  ['^abc', '', ['abc', 'xabc', 'x\nabc']],
  ['abc$', '', ['abc', 'abcx', 'abc\nx']],
  ['^$', '', ['', 'a', 'a\n\nb']],
  ['^\\w+$', '', ['one\ntwo three\nfour']],
  ['\\bfoo\\b', '', ['foo', 'afoo', 'a foo b', 'foobar']],
  ['\\Boo\\B', '', ['foo', 'fooo', 'oo']],
  ['colou?r', 'i', ['COLOR', 'Colour', 'colr']],
  ['[a-c]+', 'i', ['xABCabcx']],
  ['[^a-c]+', 'i', ['ABCdef']],
  ['hello world', 'i', ['HeLLo WoRLD']],
  ['(a)|(b)', '', ['a', 'b', 'c']],
  ['(a)?b', '', ['b', 'ab']],
  ['(a*)b', '', ['b', 'aab']],
  ['(a*)(b*)(c*)', '', ['aabbcc', 'cc', '']],
  ['(.*):(.*)', '', ['key:value:x', 'novalue']],
  ['(.*?):(.*)', '', ['key:value:x']],
  ['^(\\w+)\\s*=\\s*(.*)$', '', ['name = value', 'x=1\ny=2']],
  ['(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})', '', ['ip 192.168.0.1 here', '1.2.3', '1234.1.1.1']],
  ['[0-9a-f]{2}(:[0-9a-f]{2}){5}', 'i', ['mac 00:1A:2b:3C:4d:5E end']],
  ['\\.(rpm|deb)$', '', ['pkg.rpm', 'pkg.deb', 'pkg.rpm.bak']],
  ['^(el|rhel|centos)(\\d+)', '', ['el7', 'rhel9', 'centos8', 'debian']],
  ['\\t|\\n', '', ['a\tb', 'a\nb', 'ab']],
  ['\\x41\\u0042', '', ['xABx']],
  ['a\\.b\\*c\\?\\+\\(\\)\\[\\]\\{\\}\\|\\^\\$', '', ['a.b*c?+()[]{}|^$']],
  ['a{,2}', '', []],
  ['a|', '', ['a', 'b']],
  ['|a', '', ['a', 'b']],
  ['(a|b)+', '', ['abba']],
  ['(?:a|b)*c', '', ['ababc', 'c', 'abab']],
  ['[ab]*c[de]+', '', ['xxabcddex', 'c']],
  ['.+', '', ['line1\nline2']],
  ['.+', 'm', ['line1\nline2']],
  ['a[^\\n]*z', '', ['a...z', 'a\nz']],
  ['x+y+z+', '', ['xxyyzz', 'xyxyz', 'xyz']],
  ['(x+x+)+y', '', ['xxxxxxxxxxxxxxy', 'xxxxxxxxxxxxxxxxx']],
  ['^(a+)+$', '', ['aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaab']],
  ['[^"]*"([^"]*)"', '', ['say "hi" now', 'no quotes']],
  ['\\A\\z', '', []],
  ['\\$\\{(\\w+)\\}', '', ['echo ${HOME}/x']],
  ['[A-Z][a-z]+', '', ['hello World Again']],
  ['\\d+(\\.\\d+)?', '', ['v 3.14', 'v 3', 'v .5']],
  ['[αβ]+', '', ['xαβαx']],
  ['é+', 'i', ['ÉÉé']],
];

describe('regex matcher agrees with JavaScript RegExp on safe patterns', () => {
  const cases: [string, string, string][] = [];
  for (const [p, f, inputs] of TABLE) for (const s of inputs) cases.push([p, f, s]);
  it.each(cases)('/%s/%s on %j', (p, f, s) => {
    expect(ours(p, f, s)).toEqual(oracle(p, f, s));
  });

  it('agrees on a few hundred generated patterns', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const atoms = ['a', 'b', 'c', '.', '[ab]', '[^a]', '\\w', '\\d', '-', '\\s'];
    // Quantified parts are never nullable and never capture, where Ruby and JS disagree on details.
    const gen = (depth: number, capture: boolean): string => {
      const n = 1 + rand(3);
      let out = '';
      for (let i = 0; i < n; i++) {
        const k = rand(10);
        let atom: string;
        if (k < 6 || depth > 2) atom = atoms[rand(atoms.length)]!;
        else if (k < 8) atom = `(?:${gen(depth + 1, false)}|${gen(depth + 1, false)})`;
        else atom = capture ? `(${gen(depth + 1, capture)})` : `(?:${gen(depth + 1, false)})`;
        const q = rand(8);
        if (!atom.startsWith('(') || !capture || atom.startsWith('(?:')) {
          out += atom + ['', '', '*', '+', '?', '{1,2}', '*?', '+?'][q]!;
        } else out += atom;
      }
      if (rand(6) === 0) out = `^${out}`;
      if (rand(6) === 0) out += '$';
      return out;
    };
    const alphabet = 'aabbc1 -\n';
    let compared = 0;
    for (let k = 0; k < 400; k++) {
      const p = gen(0, true);
      const flags = rand(4) === 0 ? 'i' : '';
      for (let j = 0; j < 3; j++) {
        let s = '';
        const len = rand(12);
        for (let i = 0; i < len; i++) s += alphabet[rand(alphabet.length)]!;
        if (rand(3) === 0) s = s.toUpperCase();
        expect(ours(p, flags, s), `/${p}/${flags} on ${JSON.stringify(s)}`).toEqual(oracle(p, flags, s));
        compared++;
      }
    }
    expect(compared).toBe(1200);
  });
});

describe('regex matcher: Ruby specifics', () => {
  it('where Ruby differs from JavaScript, Ruby wins', () => {
    expect(ours('[]a]+', '', 'x]a]x')).toEqual([']a]']); // a leading ']' is literal
    expect(ours('((a)|b)+', '', 'ab')).toEqual(['ab', 'b', 'a']); // captures survive later iterations
    expect(ours('😀.', '', 'a😀😀b')).toEqual(['😀😀']); // code points, not UTF-16 units
    expect(ours('\\w+', '', 'é1')).toEqual(['1']);
  });
  it('\\A \\z \\Z \\h and POSIX brackets', () => {
    expect(ours('\\Aab', '', 'ab\nab', 1)).toBeNull();
    expect(ours('\\Aab', '', 'ab')).toEqual(['ab']);
    expect(ours('ab\\z', '', 'ab\n')).toBeNull();
    expect(ours('ab\\Z', '', 'ab\n')).toEqual(['ab']);
    expect(ours('\\h+', '', 'xx0fA9g')).toEqual(['0fA9']);
    expect(ours('[[:alpha:]]+[[:digit:]]', '', '--ab1')).toEqual(['ab1']);
    expect(ours('[[:^space:]]+', '', '  ab  ')).toEqual(['ab']);
  });
  it('/x ignores whitespace and comments; inline option groups', () => {
    expect(ours(' a  b # comment\n c ', 'x', 'abc')).toEqual(['abc']);
    expect(ours('[ ]', 'x', 'a b')).toEqual([' ']);
    expect(ours('a(?i:b)c', '', 'aBc')).toEqual(['aBc']);
    expect(ours('a(?i:b)c', '', 'aBC')).toBeNull();
    expect(ours('(?i)abc', '', 'ABC')).toEqual(['ABC']);
    expect(ours('(?-mix:a.b)', '', 'a\nb')).toBeNull();
    expect(ours('(?m:a.b)', '', 'a\nb')).toEqual(['a\nb']);
  });
  it('named groups make plain groups non-capturing (Onigmo)', () => {
    const re = compileRegex('(?<year>\\d+)-(\\d+)', parseFlags(''));
    expect(re.groups).toBe(1);
    expect(re.names).toEqual([['year', 1]]);
  });
  it('a literal { that is not a quantifier', () => {
    expect(ours('a{', '', 'a{')).toEqual(['a{']);
    expect(ours('a{x}', '', 'a{x}')).toEqual(['a{x}']);
    expect(ours('a{,2}', '', 'aaa')).toEqual(['aa']);
  });
  it('skips positions that cannot start a match (first-character filter)', () => {
    expect(ours('😀b', '', 'a😀a😀b')).toEqual(['😀b']);
    expect(ours('[é-ë]x', 'i', 'aaaÉx')).toEqual(['Éx']);
    expect(ours('\\bfoo', '', 'xfoo foo')).toEqual(['foo']);
    const re = compileRegex('needle', parseFlags(''));
    expect(execRegex(re, `${'hay '.repeat(10_000)}needle`, 0)?.[0]).toBe(40_000);
    expect(lastRunSteps()).toBeLessThan(10_000); // skipped characters cost 1/8 step each
  });
  it('searches from a start offset, looking behind it for anchors', () => {
    expect(ours('\\bb', '', 'ab b', 1)).toEqual(['b']);
    expect(execRegex(compileRegex('b', parseFlags('')), 'ab b', 2)?.[0]).toBe(3);
  });
  it('to_s, inspect and escape', () => {
    expect(regexToS(compileRegex('a/b', parseFlags('')))).toBe('(?-mix:a/b)');
    expect(regexToS(compileRegex('a', parseFlags('mi')))).toBe('(?mi-x:a)');
    expect(regexInspect(compileRegex('a/b\\/c', parseFlags('ix')))).toBe('/a\\/b\\/c/ix');
    expect(escapeRegex('a.b*c? d\n[x]-$')).toBe('a\\.b\\*c\\?\\ d\\n\\[x\\]\\-\\$');
  });
});

describe('regex matcher: refused and bounded', () => {
  it.each([
    ['(a)\\1', 'backreferences (\\1)', 3],
    ['(?<n>a)\\k<n>', 'backreferences (\\k<name>)', 7],
    ['a(?=b)', 'lookahead', 1],
    ['a(?!b)', 'lookahead', 1],
    ['(?<=a)b', 'lookbehind', 0],
    ['(?<!a)b', 'lookbehind', 0],
    ['(?>a+)', 'atomic groups', 0],
    ['a++', 'possessive', 2],
    ['\\p{Alpha}', 'character properties', 0],
    ['\\G', "'\\G'", 0],
    ['[a&&b]', 'intersection', 2],
    ['[[a]]', 'nested character classes', 1],
    ['(a', 'unmatched parenthesis', 0],
    ['a)', "unmatched close parenthesis ')'", 1],
    ['*a', 'target of repeat operator', 0],
    ['[b-a]', 'empty range', 2],
    ['a{1001}', 'repeat count too large', 1],
    ['[abc', 'premature end of char-class', 0],
  ])('/%s/ → %s at %d', (p, msg, at) => {
    let err: unknown;
    try {
      compileRegex(p, parseFlags(''));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegexSyntaxError);
    expect((err as RegexSyntaxError).message).toContain(msg);
    expect((err as RegexSyntaxError).offset).toBe(at);
  });
  it('rejects patterns that compile too large', () => {
    expect(() => compileRegex('((a{1000}){1000}){1000}', parseFlags(''))).toThrow(/too large/);
    expect(() => compileRegex('a'.repeat(70_000), parseFlags(''))).toThrow(/too long/);
    expect(() => parseFlags('q')).toThrow(/unknown regular expression option 'q'/);
    expect(() => compileRegex('[\\u0100-\\u08ff]'.repeat(4000), parseFlags('i'))).toThrow(/too large/);
    expect(() => compileRegex(`a${'*'.repeat(60_000)}`, parseFlags(''))).toThrow(/too many repeat operators/);
    expect(() => compileRegex('(?:'.repeat(300) + ')'.repeat(300), parseFlags(''))).toThrow(/nested too deeply/);
    expect(() => compileRegex('('.repeat(300) + ')'.repeat(300), parseFlags(''))).toThrow(/too many capture groups in regular expression \(limit 100\)/);
    expect(() => compileRegex('(a)'.repeat(100), parseFlags(''))).not.toThrow();
  });
  it('pathological backtracking patterns finish in a bounded number of steps', () => {
    const input = `${'a'.repeat(30)}!`;
    for (const p of ['(a+)+$', '(a|a)*$', '(a*)*$', '(a|aa)+$', '^(\\w+\\s?)*$', '(.*a){12}$']) {
      const re = compileRegex(p, parseFlags(''));
      const m = execRegex(re, input, 0);
      expect(m === null || m[0] === input.length, p).toBe(true); // no match, or only the empty one at the end
      // O(input × program): a backtracking engine needs ~2^30 steps for the first one.
      expect(lastRunSteps(), p).toBeLessThan((input.length + 1) * re.program.code.length);
    }
    const big = 'a'.repeat(100_000);
    const re = compileRegex('(a+)+$', parseFlags(''));
    let metered = 0;
    expect(execRegex(re, `${big}b`, 0, (n) => (metered += n))).toBeNull();
    expect(metered).toBe(lastRunSteps());
    expect(metered).toBeLessThan(100_001 * 40);
  });
  it('a meter that throws stops the match', () => {
    const re = compileRegex('(a+)+$', parseFlags(''));
    let calls = 0;
    expect(() => execRegex(re, `${'a'.repeat(50_000)}b`, 0, () => {
      if (++calls > 2) throw new Error('budget');
    })).toThrow('budget');
  });
});

describe('regex engine fuzz', () => {
  it('random patterns either compile or fail with RegexSyntaxError; matching never throws', () => {
    let seed = 99;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['a', 'b', '.', '*', '+', '?', '{', '}', '{2}', '{1,', ',3}', '(', ')', '(?:', '(?<n>', '(?i)', '(?-m:', '[', ']',
      '^', '$', '\\', '\\d', '\\w', '\\b', '\\A', '\\z', '|', '-', '[:alpha:]', '#', ' ', '\n', '\\u{1F600}', 'é', '\\x4', '\\1', '?<'];
    let compiled = 0;
    for (let k = 0; k < 3000; k++) {
      let p = '';
      const n = 1 + rand(12);
      for (let i = 0; i < n; i++) p += pieces[rand(pieces.length)]!;
      const flags = ['', 'i', 'm', 'x', 'imx'][rand(5)]!;
      let re;
      try {
        re = compileRegex(p, parseFlags(flags));
      } catch (e) {
        expect(e, p).toBeInstanceOf(RegexSyntaxError);
        const off = (e as RegexSyntaxError).offset;
        expect(off >= 0 && off <= p.length, `${p} offset ${off}`).toBe(true);
        continue;
      }
      compiled++;
      for (const s of ['', 'ab', 'aab\nB1 é😀', 'x'.repeat(40)]) {
        const m = execRegex(re, s, 0);
        if (m) expect(m[0]! <= m[1]! && m[1]! <= s.length, `${p} on ${s}`).toBe(true);
      }
    }
    expect(compiled).toBeGreaterThan(300);
  });
});

