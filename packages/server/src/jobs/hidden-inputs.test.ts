import { describe, expect, it } from 'vitest';

import { HIDDEN_MASK, maskHiddenValues, maskInputs } from './hidden-inputs.ts';

describe('hidden input masking', () => {
  const hidden = new Set(['password', 'empty']);

  it('masks hidden values as typed and shell-escaped, longest first, and leaves the rest', () => {
    const inputs = { password: "p@ss w'rd", other: 'visible', empty: '' };
    const text = "login --password p@ss w'rd\nlogin --password p@ss\\ w\\'rd --user visible\n";
    expect(maskHiddenValues(text, inputs, hidden)).toBe(`login --password ${HIDDEN_MASK}\nlogin --password ${HIDDEN_MASK} --user visible\n`);
  });

  it('masks hidden inputs in an inputs map, not empty ones', () => {
    expect(maskInputs({ password: 'x', other: 'y', empty: '' }, hidden)).toEqual({ password: HIDDEN_MASK, other: 'y', empty: '' });
  });
});
