import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { GLOSSARY, glossaryMarkdownList } from './glossary.ts';

const DOC = new URL('../../../../docs/glossary.md', import.meta.url);

describe('glossary', () => {
  it('docs/glossary.md lists exactly the terms and definitions of GLOSSARY, in order', () => {
    const lines = readFileSync(DOC, 'utf8').split('\n').filter((l) => l.startsWith('- '));
    expect(lines.join('\n')).toBe(glossaryMarkdownList());
  });

  it('has unique terms and one-line definitions', () => {
    expect(new Set(GLOSSARY.map((e) => e.term)).size).toBe(GLOSSARY.length);
    for (const e of GLOSSARY) expect(e.definition).toMatch(/^[^\n]+$/);
  });
});
