import { describe, expect, it } from 'vitest';

import { lineDiff } from './line-diff.ts';

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones in order', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual([
      { kind: ' ', text: 'a' },
      { kind: '-', text: 'b' },
      { kind: '+', text: 'B' },
      { kind: ' ', text: 'c' },
      { kind: '+', text: 'd' },
    ]);
    expect(lineDiff('same', 'same')).toEqual([{ kind: ' ', text: 'same' }]);
  });

  it('compares very long texts as a whole', () => {
    const long = Array.from({ length: 4000 }, (_v, i) => String(i)).join('\n');
    const d = lineDiff(long, `${long}\nx`);
    expect(d.filter((l) => l.kind === '-')).toHaveLength(4000);
    expect(d.filter((l) => l.kind === '+')).toHaveLength(4001);
  });
});
