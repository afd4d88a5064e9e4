import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { SecretBox } from '../../secrets/secret-box.ts';
import { HIDDEN_MASK, maskHiddenValues, maskInputs, openInputs, sealInputs, tidyMasks } from './hidden-inputs.ts';

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

  it('seals only hidden, non-empty values for storage and opens them back (clear values from before pass)', () => {
    const box = new SecretBox(randomBytes(32));
    const stored = sealInputs({ password: 'pw', other: 'enc:v1:looks-sealed', empty: '' }, hidden, box);
    expect(SecretBox.isSealed(stored.password ?? '')).toBe(true);
    expect(stored).toMatchObject({ other: 'enc:v1:looks-sealed', empty: '' });
    expect(JSON.stringify(stored)).not.toContain('"pw"');
    expect(openInputs(JSON.stringify(stored), hidden, box)).toEqual({ password: 'pw', other: 'enc:v1:looks-sealed', empty: '' });
    expect(openInputs(JSON.stringify({ password: 'legacy' }), hidden, box)).toEqual({ password: 'legacy' });
  });

  it('shows a shell-escaped mask as the mask, and touches nothing else', () => {
    expect(tidyMasks('a=\\*\\*\\*\\*\\* b=\\* c=*****')).toBe('a=***** b=\\* c=*****');
  });
});
