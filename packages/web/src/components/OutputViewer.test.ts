// @vitest-environment happy-dom
/**
 * OutputViewer renders hostile output as text (never HTML), ANSI colours as spans, stderr
 * marked, and a 100 KB line whole; folding groups identical outputs.
 */
import { cleanup, render } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';

import { OutputViewer } from './OutputViewer.tsx';
import { ansiSegments, foldOutputs, toLines } from './output-lines.ts';
import type { ViewerLine } from './output-lines.ts';

afterEach(cleanup);

function view(lines: ViewerLine[]) {
  return render(createElement(OutputViewer, { lines, label: 'out', follow: false })).container;
}

describe('OutputViewer', () => {
  it('renders hostile markup as text, never as elements', () => {
    const c = view([
      { stream: 'stdout', text: '<script>alert(1)</script>' },
      { stream: 'stdout', text: '<img src=x onerror=alert(2)>' },
    ]);
    expect(c.querySelector('script')).toBeNull();
    expect(c.querySelector('img')).toBeNull();
    expect(c.textContent).toContain('<script>alert(1)</script>');
    expect(c.textContent).toContain('<img src=x onerror=alert(2)>');
  });

  it('renders ANSI colours as styled spans without the escape codes', () => {
    const c = view([{ stream: 'stdout', text: '\u001b[31mred\u001b[0m plain \u001b[1;32mbold green\u001b[0m' }]);
    expect(c.textContent).not.toContain('\u001b');
    expect(c.textContent).toContain('red plain bold green');
    const red = [...c.querySelectorAll('span')].find((s) => s.textContent === 'red');
    expect(red?.getAttribute('style')).toMatch(/color: rgb\(187, 0, 0\)/);
    const bold = [...c.querySelectorAll('span')].find((s) => s.textContent === 'bold green');
    expect(bold?.getAttribute('style')).toMatch(/font-weight: bold/);
  });

  it('marks stderr lines so they can be told from stdout', () => {
    const c = view([
      { stream: 'stdout', text: 'fine' },
      { stream: 'stderr', text: 'broken' },
    ]);
    const err = c.querySelector('[data-stream="stderr"]');
    expect(err?.textContent).toContain('broken');
    expect(c.querySelector('[data-stream="stdout"]')?.textContent).toBe('fine');
  });

  it('renders a 100 KB line whole, wrapped', () => {
    const long = `${'x'.repeat(100_000)}<b>end</b>`;
    const c = view([{ stream: 'stdout', text: long }]);
    expect(c.querySelector('b')).toBeNull();
    expect(c.textContent).toContain(long);
    const row = c.querySelector('[data-index="0"]');
    expect(row?.getAttribute('style')).toMatch(/white-space: pre-wrap/);
  });

  it('virtualises: 100,000 lines do not become 100,000 elements', () => {
    const lines = Array.from({ length: 100_000 }, (_, i): ViewerLine => ({ stream: 'stdout', text: `line ${i}` }));
    const c = view(lines);
    const rendered = c.querySelectorAll('[data-index]').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(500);
  });
});

describe('output lines', () => {
  it('joins chunks into lines, a chunk without newline continuing on the next', () => {
    expect(
      toLines([
        { output_type: 'stdout', output: 'a\nb' },
        { output_type: 'stdout', output: 'c\n' },
        { output_type: 'stderr', output: 'e\n' },
      ]),
    ).toEqual([
      { stream: 'stdout', text: 'a' },
      { stream: 'stdout', text: 'bc' },
      { stream: 'stderr', text: 'e' },
    ]);
  });

  it('strips control characters other than ANSI colours', () => {
    expect(ansiSegments('a\u0007b\u0000c').map((s) => s.text).join('')).toBe('abc');
  });

  it('folds identical outputs across hosts into groups, largest first', () => {
    const same = toLines([{ output_type: 'stdout', output: 'hello\nExit status: 0\n' }]);
    const groups = foldOutputs([
      { host: 'h1', lines: same },
      { host: 'h2', lines: toLines([{ output_type: 'stderr', output: 'boom\nExit status: 1\n' }]) },
      { host: 'h3', lines: toLines([{ output_type: 'stdout', output: 'hello\nExit status: 0\n' }]) },
      { host: 'h4', lines: same },
    ]);
    expect(groups.map((g) => g.hosts)).toEqual([['h1', 'h3', 'h4'], ['h2']]);
    expect(groups[0]?.lines.map((l) => l.text)).toEqual(['hello', 'Exit status: 0']);
  });

  it('does not fold outputs that differ only in their stream', () => {
    const groups = foldOutputs([
      { host: 'a', lines: [{ stream: 'stdout', text: 'x' }] },
      { host: 'b', lines: [{ stream: 'stderr', text: 'x' }] },
    ]);
    expect(groups).toHaveLength(2);
  });
});
